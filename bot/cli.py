"""The commands behind `python -m bot` (argument parsing lives in bot/__main__.py)."""

from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path

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


async def run(settings: Settings, *, web_only: bool) -> int:
    """Serve the web chat (and console) on localhost; Telegram too when a token is set."""
    import uvicorn

    from bot.app import build_services, build_web_app
    from bot.dialogue.manager import Dialogue

    services = await build_services(settings)
    dialogue = Dialogue(services)
    app = build_web_app(settings, dialogue)
    config = uvicorn.Config(app, host=settings.web.host, port=settings.web.port,
                            log_level="info", access_log=False)
    server = uvicorn.Server(config)
    if settings.telegram_enabled and not web_only:
        logger.warning("TELEGRAM_BOT_TOKEN is set, but the Telegram channel is not built yet; "
                       "serving the web chat only")
    print(f"Werkpad web chat: http://{settings.web.host}:{settings.web.port}/", flush=True)
    await server.serve()
    return 0
