"""The commands behind `python -m bot` (argument parsing lives in bot/__main__.py)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.errors import WerkpadError
from bot.settings import Settings

logger = logging.getLogger(__name__)


async def db_upgrade(settings: Settings) -> int:
    from bot.db.migrate import upgrade
    from bot.db.session import make_engine

    engine = make_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    print(f"database is up to date ({_safe_url(settings.database_url)})")
    return 0


def _safe_url(url: str) -> str:
    """The URL without its password, for printing."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':')[0]}:***@{host}"
    return url


def content_command(settings: Settings, command: str, out: Path | None) -> int:
    from bot.content import store

    content_dir = settings.path(settings.content.dir)
    if command == "check":
        issues = store.check_directory(content_dir, settings)
        for issue in issues:
            print(issue)
        print(f"{len(issues)} problem(s) in {content_dir}" if issues
              else f"{content_dir}: all good")
        return 1 if issues else 0
    if command == "import":
        return asyncio.run(store.import_directory(content_dir, settings))
    if command == "export":
        return asyncio.run(store.export_directory(out or content_dir, settings))
    if command == "diagrams":
        from bot.flows.diagram import write_diagrams

        bundle, issues = store.load_directory(content_dir)
        for issue in issues:
            print(issue)
        written = write_diagrams(bundle, settings.path(Path("docs/diagrams")))
        print(f"wrote {len(list(written))} diagram(s) to docs/diagrams/")
        return 0
    raise AssertionError(command)


def _read_password(from_stdin: bool) -> str:
    import getpass
    import sys

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise WerkpadError("the two passwords differ; nothing was saved")
    return first


async def users_add(settings: Settings, args: argparse.Namespace) -> int:
    """Add a console user (`users add --role admin|coach --name ... --email ...`)."""
    from bot.db.session import make_engine, make_sessionmaker
    from bot.web.accounts import AccountError, create_user

    def split(value: str | None) -> list[str] | None:
        return [v.strip() for v in value.split(",") if v.strip()] if value else None

    languages = split(args.languages)
    unknown = sorted(set(languages or ()) - set(settings.languages.supported))
    if unknown:
        raise WerkpadError(f"unknown language code(s) {', '.join(unknown)}; use "
                           f"{', '.join(settings.languages.supported)}")
    password = _read_password(args.password_stdin)
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            user = await create_user(
                session, email=args.email, name=args.name, role=args.role, password=password,
                telegram_id=args.telegram_id, languages=languages, regions=split(args.regions),
            )
    except AccountError as exc:
        raise WerkpadError(f"user not added: {exc}") from None
    finally:
        await engine.dispose()
    print(f"added {user.role} {user.email} (id {user.id}); sign in at "
          f"http://{settings.web.host}:{settings.web.port}/console/")
    return 0


def nlu_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.nlu import cli as nlu_cli

    data_dir = settings.path(settings.nlu.data_dir)
    cache_dir = settings.path(settings.nlu.cache_dir)
    engine = getattr(args, "engine", None) or settings.nlu.engine
    if args.nlu_command == "train":
        return nlu_cli.cmd_train(data_dir, cache_dir)
    if args.nlu_command == "parse":
        return nlu_cli.cmd_parse(args.text, data_dir, cache_dir, engine=engine,
                                 rasa_url=settings.secrets.rasa_url)
    if args.nlu_command == "test":
        return nlu_cli.cmd_test(args.data, args.out, data_dir, cache_dir, engine=engine,
                                rasa_url=settings.secrets.rasa_url)
    raise AssertionError(args.nlu_command)


async def jobs_import(
    settings: Settings, path: Path, *, replace_sample: bool, if_empty: bool, dry_run: bool
) -> int:
    """Check a job-leads CSV, print a line per row, import the good rows in one transaction.

    Exit 0 when rows were imported and none rejected (or --if-empty found leads), 1 when some
    rows were rejected (the good ones are imported), 2 when the file cannot be read at all.
    """
    from bot.app import load_places, make_clock
    from bot.db.session import make_engine, make_sessionmaker
    from bot.jobs.csvfile import LeadFileError
    from bot.jobs.importer import ProgressBar, import_file

    engine = make_engine(settings.database_url)
    try:
        report = await import_file(
            make_sessionmaker(engine), path, places=load_places(), today=make_clock(settings)(),
            replace_sample=replace_sample, if_empty=if_empty, dry_run=dry_run,
            progress=ProgressBar(),
        )
    except LeadFileError as exc:
        print(f"werkpad: {exc}", file=sys.stderr)
        return 2
    finally:
        await engine.dispose()
    for result in report.results:
        print(result.describe())
    print(report.summary())
    return report.exit_code


async def run(settings: Settings, *, web_only: bool) -> int:
    """Serve the web chat (and console) on localhost; Telegram too when a token is set."""
    import uvicorn

    from bot.app import build_services, build_web_app
    from bot.dialogue.manager import Dialogue

    services = await build_services(settings)
    dialogue = Dialogue(services)
    app = build_web_app(settings, dialogue)
    telegram = None
    if settings.telegram_enabled and not web_only:
        from bot.channels.telegram import TelegramService

        telegram = TelegramService(settings, dialogue)
        if (route := telegram.webhook_route()) is not None:
            path, endpoint = route
            app.add_route(path, endpoint, methods=["POST"], include_in_schema=False)
    config = uvicorn.Config(app, host=settings.web.host, port=settings.web.port,
                            log_level="info", access_log=False)
    server = uvicorn.Server(config)
    if telegram is not None:
        await telegram.start()
        print(f"Werkpad Telegram channel: {telegram.mode}", flush=True)
    print(f"Werkpad web chat: http://{settings.web.host}:{settings.web.port}/", flush=True)
    from bot.privacy import purge_forever

    # what the consent text promises: nothing older than the retention period is kept
    retention = asyncio.create_task(
        purge_forever(services.sessions, days=settings.privacy.retention_days))
    try:
        await server.serve()
    finally:
        retention.cancel()
        if telegram is not None:
            await telegram.stop()
    return 0
