"""The commands behind `python -m bot` (argument parsing lives in bot/__main__.py)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import WerkpadError
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.content.rules_admin import RuleRow

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
    if command == "stale":
        return asyncio.run(stale_command(settings))
    if command == "diagrams":
        from bot.flows.diagram import write_diagrams

        bundle, issues = store.load_directory(content_dir)
        for issue in issues:
            print(issue)
        written = write_diagrams(bundle, settings.path(Path("docs/diagrams")))
        print(f"wrote {len(list(written))} diagram(s) to docs/diagrams/")
        return 0
    raise AssertionError(command)


async def stale_command(settings: Settings) -> int:
    """Print every rule, figure and source past its review or planned date, newest first,
    for the content the bot runs on (the database's; the files' when it has none)."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.app import make_clock
    from bot.content.glossary import glossary_of
    from bot.content.stale import format_items, stale_items
    from bot.content.store import database_files, read_directory, validate
    from bot.db.session import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            files = await database_files(session)
    except (SQLAlchemyError, OSError) as exc:  # no database yet: the files would be published
        logger.info("content stale reads the files: %s", exc.__class__.__name__)
        files = {}
    finally:
        await engine.dispose()
    where = "the published content"
    if not files:
        files, where = read_directory(settings.path(settings.content.dir)), "the content files"
    bundle, _issues = validate(files, settings)
    glossary, _ = glossary_of({f.path: t for f, t in files.items()}, bundle.answers,
                              settings.languages.required)
    today = make_clock(settings)()
    items = stale_items(bundle, today, glossary)
    print(f"{where}: {format_items(items, today)}")
    return 0


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
    teams = split(getattr(args, "teams", None))
    known = [team.name for team in settings.handoff.teams]
    if unknown := sorted(set(teams or ()) - set(known)):
        raise WerkpadError(f"unknown team(s) {', '.join(unknown)}; the teams in "
                           f"handoff.teams are {', '.join(known)}")
    password = _read_password(args.password_stdin)
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            user = await create_user(
                session, email=args.email, name=args.name, role=args.role, password=password,
                telegram_id=args.telegram_id, languages=languages, regions=split(args.regions),
                teams=teams,
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
    settings: Settings, path: Path, *, replace_sample: bool, if_empty: bool, dry_run: bool,
    quiet: bool = False,
) -> int:
    """Check a job-leads CSV, print a line per row (`quiet`: per rejected row, no progress
    bar), import the good rows in one transaction.

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
            progress=None if quiet else ProgressBar(),
        )
    except LeadFileError as exc:
        print(f"werkpad: {exc}", file=sys.stderr)
        return 2
    finally:
        await engine.dispose()
    for result in report.results:
        if not (quiet and result.ok):
            print(result.describe())
    print(report.summary())
    return report.exit_code


async def run(settings: Settings, *, web_only: bool) -> int:
    """Serve the web chat (and console) on localhost; Telegram too when a token is set."""
    import uvicorn

    from bot.app import build_services, build_web_app
    from bot.dialogue.manager import Dialogue
    from bot.ops.logging import configure_logging

    configure_logging()  # LOG_FORMAT=text|json; uvicorn logs through the same handler
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
                            log_level="info", access_log=False, log_config=None)
    server = uvicorn.Server(config)
    if telegram is not None:
        await telegram.start()
        print(f"Werkpad Telegram channel: {telegram.mode}", flush=True)
    print(f"Werkpad web chat: http://{settings.web.host}:{settings.web.port}/", flush=True)
    from bot.privacy import purge_forever

    # what the consent text promises: nothing older than the retention period is kept
    retention = asyncio.create_task(
        purge_forever(services.sessions, days=settings.privacy.retention_days,
                      unconsented_minutes=settings.chat.unconsented_minutes))
    from bot.reminders.worker import ReminderWorker, remind_forever

    # reminders people asked for, sent once from the database (survives restarts)
    reminding = asyncio.create_task(remind_forever(ReminderWorker.for_services(services)))
    # coaches' messages and handoff notices; with Telegram on, its channel runs the relay
    relaying = None
    if telegram is None:
        from bot.handoff.relay import Relay

        relaying = asyncio.create_task(Relay(services).run_forever())
    try:
        await server.serve()
    finally:
        retention.cancel()
        reminding.cancel()
        if relaying is not None:
            relaying.cancel()
        if telegram is not None:
            await telegram.stop()
    return 0


def add_rules_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`rules list | enact RULE_ID --from DATE [--source URL] | withdraw RULE_ID`."""
    rules = sub.add_parser("rules", help="list rules; put a proposed rule in force, or undo it")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True)
    rules_sub.add_parser("list", help="every rule version with status, dates and sources")
    enact = rules_sub.add_parser("enact", help="a proposed rule in force from a date")
    enact.add_argument("rule_id")
    enact.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    enact.add_argument("--source", help="web address that shows the rule became law")
    enact.add_argument("--title", help="title of that source")
    withdraw = rules_sub.add_parser("withdraw", help="an enacted rule back to proposed")
    withdraw.add_argument("rule_id")


async def rules_command(settings: Settings, args: argparse.Namespace) -> int:
    """List the rules, or publish rules.yml with one rule enacted or withdrawn."""
    from datetime import date

    from bot.app import make_clock
    from bot.content import rules_admin
    from bot.content.store import database_files, validate
    from bot.db.session import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            text = await rules_admin.published_rules_text(session, settings)
            if args.rules_command == "list":
                files = await database_files(session)
                bundle = validate(files, settings)[0] if files else None
                for row in rules_admin.list_rules(text, bundle):
                    print(_rule_line(row))
                return 0
            if args.rules_command == "enact":
                try:
                    start = date.fromisoformat(args.start)
                except ValueError:
                    raise WerkpadError(f"--from {args.start!r} is not a date; write it as "
                                       "YYYY-MM-DD, e.g. 2026-06-12") from None
                source = (rules_admin.NewSource(args.source, args.title)
                          if args.source else None)
                new = rules_admin.enact(text, args.rule_id, start, today=make_clock(settings)(),
                                        source=source)
                detail: dict[str, object] = {"rule": args.rule_id, "from": start.isoformat()}
                action = "rules.enact"
            else:
                new = rules_admin.withdraw(text, args.rule_id)
                detail, action = {"rule": args.rule_id}, "rules.withdraw"
            version = await rules_admin.publish_rules(
                session, settings, new, actor="cli", user_id=None, action=action, detail=detail)
    except rules_admin.RulesEditError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        raise WerkpadError(str(exc)) from None
    finally:
        await engine.dispose()
    what = "enacted" if args.rules_command == "enact" else "withdrawn"
    print(f"{args.rule_id} {what}: published rules.yml version {version}; restart a running "
          "bot to load it (the console's Rules page reloads it at once)"
          if version else "nothing changed: that is already the published rules.yml")
    return 0


def _rule_line(row: RuleRow) -> str:
    span = (f"{row.valid_from.isoformat() if row.valid_from else '…'} – "
            f"{row.valid_to.isoformat() if row.valid_to else '…'}")
    used = f" used by {', '.join(row.used_by)}" if row.used_by else ""
    unit = f" {row.unit}" if row.unit else ""
    sources = "; ".join(
        f"{url} (verified {verified.isoformat()[:7] if verified else 'never'})"
        for _t, url, verified in row.sources)
    return f"{row.id:<30} {row.status:<9} {row.value}{unit:<8} {span}{used}\n    {sources}"
