"""Dialogue benchmark: many scripted conversations through the core, no channel.

    .venv/bin/python benchmarks/dialogue_bench.py               # SQLite, 200 people
    .venv/bin/python benchmarks/dialogue_bench.py --postgres    # PostgreSQL at 127.0.0.1:5432
    .venv/bin/python benchmarks/dialogue_bench.py --people 50 --json

Every run starts from an empty database (a temporary SQLite file, or a fresh PostgreSQL schema
that is dropped afterwards), imports flows/ into it and builds the services the way the bot
does (`bot.app.build_services`, default settings, the embedded NLU trained from nlu/ or loaded
from its cache). Two passes follow:

  sequential  one person at a time, one message at a time: latency without queueing
  concurrent  N people at once on one event loop, each person's messages in order

Latency is the wall time of one `Dialogue.handle` call; in the concurrent pass it includes the
time a message waits for the event loop, which is what a person would feel. Peak memory is
`ru_maxrss` (the process's high-water mark, so it only ever grows from phase to phase).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import logging
import os
import platform
import resource
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a plain script from anywhere
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine  # noqa: E402

from bot.app import build_services  # noqa: E402
from bot.content.store import read_directory, store_files  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from bot.db.session import make_engine, make_sessionmaker  # noqa: E402
from bot.dialogue.manager import Dialogue  # noqa: E402
from bot.messages import IncomingMessage, OutgoingMessage  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402

POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
CHANNEL = "bench"
# The boundary's apology (Dialogue._error_reply): a run that measures error paths is not valid.
ERROR_MARKERS = ("something went wrong",)


# -- the scripts -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """One thing a person sends: typed text, or a button press (payload plus its label)."""

    text: str = ""
    payload: str | None = None

    def message(self, person: str, lang: str | None, number: int) -> IncomingMessage:
        return IncomingMessage(
            channel=CHANNEL, external_id=person, kind="button" if self.payload else "text",
            text=self.text, payload=self.payload, lang_hint=lang, message_id=f"m{number}",
        )


def say(text: str) -> Step:
    return Step(text=text)


def tap(payload: str, label: str = "") -> Step:
    return Step(text=label, payload=payload)


@dataclass(frozen=True)
class Script:
    name: str
    lang: str | None  # the channel's language hint (a browser or Telegram client sends one)
    steps: tuple[Step, ...]
    # Flow steps and intents the replies must show, so that a content change which sends a
    # script down another path is noticed instead of silently benchmarking something else.
    reaches: tuple[str, ...] = ()


def marks(reply: OutgoingMessage) -> list[str]:
    """What a reply says about where the conversation is: flow, step, intent."""
    return [str(reply.meta[k]) for k in ("flow", "step", "intent") if reply.meta.get(k)]


# Realistic conversations in several languages. Dates are well in the past so the answer does
# not depend on the day the benchmark runs. Every script starts with consent, as a newcomer's
# conversation does; the first question asked before consent is answered right after it.
SCRIPTS: tuple[Script, ...] = (
    Script("en: FAQ questions", "en", (
        say("hello"), tap("cmd:consent", "Yes, I agree"),
        say("What is a TWV?"), say("who applies for the work permit?"),
        say("do I need a BSN to work?"), say("thank you"), say("menu"),
    ), reaches=("work_permit/what_is_twv", "work_permit/who_applies", "documents/bsn")),
    Script("en: may I work, invalid date, correction", "en", (
        say("can I work?"), tap("cmd:consent", "Yes, I agree"),
        tap("answer:yes", "Yes"), say("31-02-2025"), say("15-03-2025"),
        tap("answer:coa_location", "Yes, I live in a COA location"), tap("answer:yes", "Yes"),
        say("stop"),
    ), reaches=("can_i_work", "ask_date", "allowed")),
    Script("nl: mag ik werken, month only", "nl", (
        say("hallo, mag ik werken?"), tap("cmd:consent", "Ja, akkoord"),
        say("ja"), say("maart 2025"), tap("answer:coa_location"), tap("answer:not_yet"),
        say("menu"), say("wat is een BSN?"),
    ), reaches=("can_i_work", "allowed_needs_w_document", "documents/bsn")),
    Script("ar: language picked, questions, gibberish", "ar", (
        say("مرحبا"), tap("cmd:consent"), tap("lang:ar", "العربية"),
        say("هل يمكنني العمل؟"), say("ما هو تصريح العمل TWV؟"),
        say("qwrtz fjdksl ploo"), say("القائمة"),
    ), reaches=("can_i_work", "work_permit/what_is_twv", "out_of_scope")),
    Script("fr: may I work, future date, correction, stop", "fr", (
        say("bonjour"), tap("cmd:consent"), say("est-ce que je peux travailler ?"),
        tap("answer:yes"), say("01/01/2099"), say("01/02/2025"), say("arrêter"),
    ), reaches=("can_i_work", "ask_reception")),
    Script("en -> nl -> en language switch, fallback twice", "en", (
        say("hi"), tap("cmd:consent"),
        tap("cmd:language", "Language"), tap("lang:nl", "Nederlands"),
        say("wat is een BSN?"), tap("lang:en", "English"),
        say("asdf qwer zxcv"), say("blorp fnord xkcd"), say("menu"),
    ), reaches=("documents/bsn", "out_of_scope")),
    Script("tr/uk/fa: short questions", None, (
        say("merhaba"), tap("cmd:consent"), say("çalışabilir miyim?"), tap("cmd:stop"),
        say("чи можу я працювати?"), say("menu"), say("آیا می‌توانم کار کنم؟"), say("stop"),
    ), reaches=("can_i_work",)),
    Script("en: may I work from the menu, FAQ detour mid-flow, continue", "en", (
        say("hey"), tap("cmd:consent"), tap("flow:may_i_work", "May I work?"),
        tap("answer:yes"), say("what is a TWV?"),
        tap("cmd:continue"), say("March 2025"), tap("answer:dont_know"),
        tap("answer:yes"), tap("cmd:menu"),
    ), reaches=("work_permit/what_is_twv", "explain_reception", "allowed")),
)


# -- measuring --------------------------------------------------------------------------------

@dataclass
class PassResult:
    name: str
    people: int
    messages: int
    replies: int
    errors: int
    seconds: float
    cpu_seconds: float  # this process, all threads (aiosqlite runs queries in its own thread)
    latencies_ms: list[float] = field(repr=False)
    peak_rss_mb: float

    @property
    def rate(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        return percentile(self.latencies_ms, p)

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        del data["latencies_ms"]
        data.update(
            messages_per_second=round(self.rate, 1),
            p50_ms=round(self.percentile(50), 2),
            p95_ms=round(self.percentile(95), 2),
            p99_ms=round(self.percentile(99), 2),
            max_ms=round(max(self.latencies_ms, default=0.0), 2),
            mean_ms=round(statistics.fmean(self.latencies_ms), 2) if self.latencies_ms else 0,
            seconds=round(self.seconds, 3),
            cpu_seconds=round(self.cpu_seconds, 3),
            cpu_ms_per_message=round(1000 * self.cpu_seconds / max(self.messages, 1), 2),
        )
        return data


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile with linear interpolation (numpy's default method)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@dataclass
class Counter:
    replies: int = 0
    errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    first_error: str | None = None

    def record(self, started: float, replies: list[OutgoingMessage], what: str) -> None:
        self.latencies_ms.append((time.perf_counter() - started) * 1000)
        self.replies += len(replies)
        if not replies or any(m in r.text.casefold() for r in replies for m in ERROR_MARKERS):
            self.errors += 1
            self.first_error = self.first_error or what


async def converse(
    dialogue: Dialogue, script: Script, person: str, counter: Counter,
    transcript: list[str] | None = None, seen: set[str] | None = None,
) -> None:
    """Send one person's messages in order, timing each `handle` call."""
    for number, step in enumerate(script.steps):
        message = step.message(person, script.lang, number)
        started = time.perf_counter()
        replies = await dialogue.handle(message)
        counter.record(started, replies, f"{script.name}: step {number} {step}")
        if seen is not None:
            seen.update(mark for reply in replies for mark in marks(reply))
        if transcript is not None:
            transcript.append(f"  you> {step.payload or ''} {step.text}".rstrip())
            transcript.extend(
                f"  bot> [{'/'.join(marks(r)) or '-'}] "
                + r.text.replace("\n", " ")[:110]
                for r in replies
            )


def person_id(run: str, pass_name: str, index: int) -> str:
    return f"{run}-{pass_name}-{index:05d}"


async def sequential_pass(dialogue: Dialogue, run: str, people: int) -> PassResult:
    counter = Counter()
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(people):
        await converse(dialogue, SCRIPTS[i % len(SCRIPTS)], person_id(run, "seq", i), counter)
    return finish("sequential", people, counter, time.perf_counter() - started,
                  time.process_time() - cpu)


async def concurrent_pass(dialogue: Dialogue, run: str, people: int) -> PassResult:
    counter = Counter()
    started, cpu = time.perf_counter(), time.process_time()
    async with asyncio.TaskGroup() as group:
        for i in range(people):
            group.create_task(converse(
                dialogue, SCRIPTS[i % len(SCRIPTS)], person_id(run, "con", i), counter
            ))
    return finish("concurrent", people, counter, time.perf_counter() - started,
                  time.process_time() - cpu)


def finish(
    name: str, people: int, counter: Counter, seconds: float, cpu_seconds: float
) -> PassResult:
    if counter.errors:
        logging.getLogger(__name__).error(
            "%s pass: %d message(s) got the error reply or no reply; first: %s",
            name, counter.errors, counter.first_error,
        )
    return PassResult(
        name=name, people=people, messages=len(counter.latencies_ms), replies=counter.replies,
        errors=counter.errors, seconds=seconds, cpu_seconds=cpu_seconds,
        latencies_ms=counter.latencies_ms, peak_rss_mb=peak_rss_mb(),
    )


# -- set-up -----------------------------------------------------------------------------------

@asynccontextmanager
async def fresh_database(postgres: bool) -> AsyncIterator[tuple[AsyncEngine, str, str]]:
    """A migrated, empty database; yields (engine, url, label) and removes it afterwards."""
    if not postgres:
        with tempfile.TemporaryDirectory(prefix="werkpad-bench-") as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
            engine = make_engine(url)
            try:
                await upgrade(engine)
                yield engine, url, "SQLite (temporary file, WAL)"
            finally:
                await engine.dispose()
        return
    schema = f"bench_{secrets.token_hex(6)}"
    admin = create_async_engine(POSTGRES_URL)
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = make_engine(POSTGRES_URL)  # the bot's own engine and pool settings

        @event.listens_for(engine.sync_engine, "connect")
        def _use_schema(dbapi_conn: Any, _record: Any) -> None:
            # Session-level, outside any transaction, so it stays set for the connection's life.
            dbapi_conn.run_async(
                lambda conn: conn.execute(f'SET search_path TO "{schema}"'))

        try:
            await upgrade(engine)
            yield engine, POSTGRES_URL, f"PostgreSQL (schema {schema}, dropped afterwards)"
        finally:
            await engine.dispose()
            async with admin.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        await admin.dispose()


async def import_content(engine: AsyncEngine, settings: Settings) -> int:
    files = read_directory(settings.path(settings.content.dir))
    async with make_sessionmaker(engine)() as session, session.begin():
        await store_files(session, files, by="benchmark")
    return len(files)


# -- running ----------------------------------------------------------------------------------

async def run(args: argparse.Namespace) -> dict[str, Any]:
    log = logging.getLogger(__name__)
    load_before = os.getloadavg()
    async with fresh_database(args.postgres) as (engine, url, label):
        settings = load_settings(ROOT / "config.yml", env={"DATABASE_URL": url})
        content_files = await import_content(engine, settings)
        t0 = time.perf_counter()
        services = await build_services(settings, engine=engine)
        setup_seconds = time.perf_counter() - t0
        log.info("services built in %.1f s (NLU trained or loaded from its cache)", setup_seconds)
        dialogue = Dialogue(services)
        run_id = secrets.token_hex(4)
        rss_after_setup = peak_rss_mb()

        if args.transcript:
            for i, script in enumerate(SCRIPTS):
                lines: list[str] = []
                await converse(dialogue, script, person_id(run_id, "show", i), Counter(), lines)
                print(f"== {script.name} (lang hint {script.lang})", *lines, sep="\n")

        # Warm up: first-use costs (SQLAlchemy statement compilation, regex caches, the first
        # NLU call) are paid once per process and are not what this measures.
        warm = Counter()
        for i, script in enumerate(SCRIPTS):
            seen: set[str] = set()
            await converse(dialogue, script, person_id(run_id, "warm", i), warm, seen=seen)
            if missing := [mark for mark in script.reaches if mark not in seen]:
                log.warning("script %r no longer reaches %s (the content or NLU changed?); "
                            "check it with --transcript", script.name, ", ".join(missing))

        passes = [await sequential_pass(dialogue, run_id, args.sequential)]
        passes.append(await concurrent_pass(dialogue, run_id, args.people))
        dialect = engine.dialect.name
        server = ""
        if dialect == "postgresql":
            async with engine.connect() as conn:
                server = str(await conn.scalar(text("SHOW server_version")))
        else:
            server = sqlite3.sqlite_version

    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": label,
        "database_version": server,
        "nlu": type(services.nlu).__name__,
        "content_files": content_files,
        "scripts": len(SCRIPTS),
        "messages_per_script": [len(s.steps) for s in SCRIPTS],
        "setup_seconds": round(setup_seconds, 2),
        "peak_rss_after_setup_mb": round(rss_after_setup, 1),
        "machine": {
            "cpus": os.cpu_count(),
            # Other work on the machine slows every figure; the load says how busy it was.
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
            "platform": platform.platform(terse=True),
        },
        "passes": [p.summary() for p in passes],
    }


def print_table(result: dict[str, Any]) -> None:
    machine = result["machine"]
    load = ", ".join(f"{x:.1f}" for x in machine["load_average_before"])
    print(f"\nWerkpad dialogue benchmark, {result['date']}")
    print(f"database: {result['database']} {result['database_version']}")
    print(f"NLU: {result['nlu']}; {result['scripts']} scripts of "
          f"{min(result['messages_per_script'])}-{max(result['messages_per_script'])} messages; "
          f"{machine['cpus']} CPUs (load average before: {load}), Python {machine['python']}, "
          f"{machine['platform']}")
    print(f"set-up (content + NLU): {result['setup_seconds']} s; "
          f"peak RSS after set-up {result['peak_rss_after_setup_mb']} MB\n")
    header = (f"{'pass':<11} {'people':>6} {'messages':>8} {'errors':>6} {'msg/s':>7} "
              f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'CPU ms/msg':>10} "
              f"{'peak RSS MB':>11}")
    print(header)
    print("-" * len(header))
    for p in result["passes"]:
        print(f"{p['name']:<11} {p['people']:>6} {p['messages']:>8} {p['errors']:>6} "
              f"{p['messages_per_second']:>7.1f} {p['p50_ms']:>8.2f} {p['p95_ms']:>8.2f} "
              f"{p['p99_ms']:>8.2f} {p['max_ms']:>8.2f} {p['cpu_ms_per_message']:>10.2f} "
              f"{p['peak_rss_mb']:>11.1f}")
    print("\nlatency = one Dialogue.handle call; in the concurrent pass it includes waiting for "
          "the event loop,\nthe database pool and locks (every person sends at once, no pause).")


class FirstFew(logging.Filter):
    """Let the first few records of each message through: one traceback tells the story,
    hundreds of the same one under load hide the table (the errors column counts them all)."""

    def __init__(self, limit: int = 3) -> None:
        super().__init__()
        self.limit = limit
        self.seen: collections.Counter[tuple[str, object]] = collections.Counter()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.msg)
        self.seen[key] += 1
        if self.seen[key] == self.limit + 1:
            record.msg, record.args, record.exc_info = (
                f"(more of {record.msg!r} are not shown)", None, None)
            return True
        return self.seen[key] <= self.limit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--people", type=int, default=200,
                        help="simulated people in the concurrent pass (default 200)")
    parser.add_argument("--sequential", type=int, default=None, metavar="N",
                        help="people in the sequential pass (default: the same as --people)")
    parser.add_argument("--postgres", action="store_true",
                        help=f"use a fresh schema at {POSTGRES_URL} instead of SQLite")
    parser.add_argument("--json", action="store_true", help="print the result as JSON only")
    parser.add_argument("--transcript", action="store_true",
                        help="first print one conversation of every script (to check them)")
    args = parser.parse_args(argv)
    if args.people < 1:
        parser.error("--people must be at least 1")
    args.sequential = args.people if args.sequential is None else args.sequential

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(FirstFew())
    logging.getLogger(__name__).setLevel(logging.INFO)
    result = asyncio.run(run(args))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)
    return 1 if any(p["errors"] for p in result["passes"]) else 0


if __name__ == "__main__":
    sys.exit(main())
