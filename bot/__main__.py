"""Command line: python -m bot run | shell | web | nlu ... | content ... | db ... | jobs ...

Settings are loaded and validated before any command does anything; a SettingsError stops the
process with the key and the fix, exit code 2.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.errors import SettingsError, WerkpadError
from bot.settings import Settings, load_settings


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="werkpad", description="Werkpad assistant")
    p.add_argument("--config", type=Path, help="path of config.yml (default: WERKPAD_CONFIG)")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("run", help="all configured channels plus the web chat and console")
    sub.add_parser("web", help="only the web app (web chat and console)")
    sub.add_parser("keygen", help="print a new key for WERKPAD_ENCRYPTION_KEY")
    shell = sub.add_parser("shell", help="chat in the terminal (stdin line by line when piped)")
    shell.add_argument("--user", default="local", help="the person's id in the shell channel")
    shell.add_argument("--lang", help="language hint, e.g. ar")
    shell.add_argument("--json", action="store_true", help="print one JSON object per reply")

    nlu = sub.add_parser("nlu", help="train, test or try the NLU").add_subparsers(
        dest="nlu_command", required=True)
    nlu.add_parser("train")
    parse = nlu.add_parser("parse")
    parse.add_argument("text")
    parse.add_argument("--engine", choices=["embedded", "rasa"])
    test = nlu.add_parser("test")
    test.add_argument("--data", type=Path, nargs="+", required=True)
    test.add_argument("--out", type=Path, required=True)
    test.add_argument("--engine", choices=["embedded", "rasa"])

    content = sub.add_parser("content", help="check, import or export flows and answers")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    content_sub.add_parser("check")
    content_sub.add_parser("import")
    export = content_sub.add_parser("export")
    export.add_argument("--out", type=Path, help="folder to write to (default: content.dir)")
    content_sub.add_parser("diagrams", help="write docs/diagrams/<flow>.md (Mermaid)")
    content_sub.add_parser("stale", help="rules, figures and sources past their review or "
                                         "planned date, newest risk first")

    users = sub.add_parser("users", help="console users (admins and coaches)").add_subparsers(
        dest="users_command", required=True)
    add = users.add_parser("add", help="add a console user; asks for the password")
    add.add_argument("--role", choices=["admin", "coach"], required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--email", required=True)
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of stdin")
    add.add_argument("--telegram-id", type=int, help="coach: Telegram user id")
    add.add_argument("--languages", help="coach: languages spoken, e.g. ar,en,nl")
    add.add_argument("--regions", help="coach: labour-market regions, comma-separated")
    add.add_argument("--teams", help="coach: handoff teams whose tickets they see, "
                                     "comma-separated (default: the first team)")

    db = sub.add_parser("db", help="database migrations").add_subparsers(
        dest="db_command", required=True)
    db.add_parser("upgrade")

    jobs = sub.add_parser("jobs", help="job leads").add_subparsers(
        dest="jobs_command", required=True)
    jobs_import = jobs.add_parser(
        "import", help="check a CSV of job leads and import its good rows (docs/jobs.md)")
    jobs_import.add_argument("file", type=Path)
    jobs_import.add_argument("--replace-sample", action="store_true",
                             help="delete the sample leads first (same transaction)")
    jobs_import.add_argument("--if-empty", action="store_true",
                             help="do nothing when the database already has job leads")
    jobs_import.add_argument("--dry-run", action="store_true",
                             help="check and report, write nothing")
    jobs_import.add_argument("--quiet", action="store_true",
                             help="report only rejected rows and the summary")
    from bot.cli import add_rules_parser

    add_rules_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        settings = load_settings(args.config)
    except SettingsError as exc:
        print(f"werkpad: configuration error\n{exc}", file=sys.stderr)
        return 2
    try:
        return _dispatch(args, settings)
    except WerkpadError as exc:
        print(f"werkpad: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from bot import cli

    if args.command == "keygen":
        from bot.db.crypto import new_key

        print(new_key())
        return 0
    if args.command == "run":
        return asyncio.run(cli.run(settings, web_only=False))
    if args.command == "web":
        return asyncio.run(cli.run(settings, web_only=True))
    if args.command == "shell":
        from bot.channels.shell import run_shell

        return asyncio.run(run_shell(settings, user=args.user, lang=args.lang, as_json=args.json))
    if args.command == "db":
        return asyncio.run(cli.db_upgrade(settings))
    if args.command == "content":
        return cli.content_command(settings, args.content_command, getattr(args, "out", None))
    if args.command == "nlu":
        return cli.nlu_command(settings, args)
    if args.command == "users":
        return asyncio.run(cli.users_add(settings, args))
    if args.command == "rules":
        return asyncio.run(cli.rules_command(settings, args))
    if args.command == "jobs":
        return asyncio.run(cli.jobs_import(
            settings, args.file, replace_sample=args.replace_sample, if_empty=args.if_empty,
            dry_run=args.dry_run, quiet=args.quiet))
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())
