"""Telegram channel benchmark: many simulated people through the fake Bot API.

    .venv/bin/python benchmarks/telegram_bench.py                  # both modes, both databases
    .venv/bin/python benchmarks/telegram_bench.py --mode webhook --db sqlite --rate 250

The bot runs in its own process, built like `python -m bot run` (TelegramService + the web
app on uvicorn, real Dialogue, embedded NLU, real flows/ content), against the fake Bot API
(tests/channels/telegram/tg_fake_api.py) served by this process. Telegram's own limits (the
AIORateLimiter's 30 messages/s) are lifted unless --telegram-limits: they would measure
Telegram, not us.

Load is open-loop: every 1/rate seconds one person who is not waiting for an answer sends
their next message (a conversation: consent, the may-I-work check with buttons and a date,
FAQ questions, the menu). Polling mode queues the update at the fake; webhook mode POSTs it
to the bot like Telegram does (at most 40 connections). Latency is from the update leaving
to the first sendMessage for that chat arriving at the fake.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import os
import secrets
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "channels" / "telegram")]

import httpx  # noqa: E402
from tg_fake_api import TOKEN, FakeBotAPI  # noqa: E402
from tg_people import TelegramUser  # noqa: E402
from tg_process import BotProcess, prepare_database  # noqa: E402

SECRET = "bench_webhook_secret_0123456789"
WEBHOOK_URL = "https://werkpad.example/telegram/webhook"
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
SCRIPT: list[tuple[str, str]] = [  # (say | press, what); repeats from CYCLE
    ("say", "hello"), ("press", "cmd:consent"),
    ("say", "can I work?"), ("press", "answer:yes"), ("say", "01-03-2026"),
    ("press", "answer:coa_location"), ("press", "answer:yes"),
    ("say", "what is a BSN?"), ("say", "/menu"), ("say", "how much does a TWV cost?"),
    ("say", "thank you"),
]
CYCLE = 2


@dataclass
class Person:
    user: TelegramUser
    step: int = 0  # the next step of SCRIPT (repeating from CYCLE)
    waiting_since: float | None = None  # when the last update left; None once answered
    expected: int = 0  # messages the last update is answered with (see calibrate)
    received: int = 0  # messages received for it so far

    @property
    def ready(self) -> bool:
        return self.waiting_since is None and self.received >= self.expected


@dataclass
class Result:
    label: str
    sent: int = 0
    latencies: list[float] = field(default_factory=list)
    missed_slots: int = 0
    failed: int = 0
    seconds: float = 0.0
    peak_kib: int | None = None
    cpu_seconds: float = 0.0
    load: float = 0.0
    last_answer: float = 0.0

    def line(self) -> str:
        lat = sorted(self.latencies)

        def pct(p: float) -> float:
            return 1000 * lat[min(len(lat) - 1, int(p * len(lat)))] if lat else float("nan")

        peak = (self.peak_kib or 0) / 1024
        cpu = 1000 * self.cpu_seconds / max(1, len(lat))
        return (f"{self.label:<16} {len(lat):>6}/{self.sent:<6} answered "
                f"{len(lat) / self.seconds:>6.1f} upd/s  p50 {pct(0.50):6.1f} ms  "
                f"p95 {pct(0.95):6.1f} ms  p99 {pct(0.99):6.1f} ms  bot CPU {cpu:5.1f} ms/upd  "
                f"peak {peak:4.0f} MiB  missed slots {self.missed_slots}  failed {self.failed}  "
                f"load {self.load:.1f}")


async def serve_child(mode: str, limits: bool) -> None:
    """The bot process: what bot.cli.run does, with Telegram's rate limits optional."""
    import uvicorn
    from telegram.ext import AIORateLimiter

    from bot.app import build_services, build_web_app
    from bot.channels.telegram import TelegramService
    from bot.dialogue.manager import Dialogue
    from bot.settings import load_settings

    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # as bot/__main__.py does
    settings = load_settings()
    dialogue = Dialogue(await build_services(settings))
    app = build_web_app(settings, dialogue)
    limiter = None if limits else AIORateLimiter(overall_max_rate=0, group_max_rate=0,
                                                 max_retries=3)
    telegram = TelegramService(settings, dialogue, rate_limiter=limiter)
    if (route := telegram.webhook_route()) is not None:
        app.add_route(route[0], route[1], methods=["POST"])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=settings.web.port,
                                           log_level="warning", access_log=False))
    await telegram.start()
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event for this
        await asyncio.sleep(0.05)
    print("ready", flush=True)
    try:
        await serving
    finally:
        await telegram.stop()


async def run_one(mode: str, db: str, args: argparse.Namespace) -> Result:
    api = FakeBotAPI()
    await api.start()
    workdir = Path(tempfile.mkdtemp(prefix=f"tgbench-{mode}-{db}-"))
    database, drop = await make_database(db, workdir)
    await prepare_database(database)
    count = args.processes if mode == "webhook" else 1  # only one process can poll
    bots = []
    for n in range(count):
        bot = BotProcess.configure(
            workdir / f"p{n}" if count > 1 else workdir, api_base=api.base_url, token=TOKEN,
            database_url=database, webhook_url=WEBHOOK_URL if mode == "webhook" else None,
            webhook_secret=SECRET)
        bot.env["BENCH_CHILD"] = f"{mode}:{int(args.telegram_limits)}"
        bots.append(bot)
    result = Result(f"{mode}/{db}" + (f"/{count} processes" if count > 1 else ""))
    try:
        await asyncio.gather(*(start_child(bot) for bot in bots))
        people = [Person(TelegramUser(api, 100_000 + i, "en")) for i in range(args.people)]
        result = await drive(api, bots, people, mode, args, result)
        result.peak_kib = sum(bot.peak_memory_kib() or 0 for bot in bots)
        result.load = os.getloadavg()[0]
    finally:
        for bot in bots:
            await bot.stop()
        await api.stop()
        await drop()
    if UNEXPECTED:
        print(f"  {len(UNEXPECTED)} unexpected replies, e.g. {UNEXPECTED[0]}")
        last = [m["text"][:120] for m in api.sent()[-3:]]
        print(f"  last messages: {last}; log: {workdir / 'bot.log'}")
        UNEXPECTED.clear()
    if api.violations:
        print(f"  {len(api.violations)} call(s) Telegram would refuse, e.g. {api.violations[0]}")
    elif result.failed == 0 and len(result.latencies) == result.sent:
        shutil.rmtree(workdir, ignore_errors=True)  # kept, with the bot's log, when not clean
    return result


async def start_child(bot: BotProcess) -> None:
    bot.runs += 1
    log = (bot.workdir / "bot.log").open("wb")
    bot.process = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--child", cwd=ROOT, env=bot.env,
        stdout=asyncio.subprocess.PIPE, stderr=log)
    assert bot.process.stdout is not None
    line = await asyncio.wait_for(bot.process.stdout.readline(), 120)
    if line.strip() != b"ready":
        raise RuntimeError(f"bot did not start; see {bot.workdir / 'bot.log'}")


class Sender:
    """Hands updates to the bot the way Telegram does in each mode."""

    def __init__(self, api: FakeBotAPI, bots: list[BotProcess], mode: str,
                 result: Result) -> None:
        self.api, self.mode, self.result = api, mode, result
        self.client = httpx.AsyncClient(limits=httpx.Limits(max_connections=40), timeout=30)
        # several processes: round robin, as a load balancer in front of them would do
        self.urls = itertools.cycle(
            [f"http://127.0.0.1:{bot.web_port}/telegram/webhook" for bot in bots])
        self.tasks: set[asyncio.Task[None]] = set()

    def send(self, update: dict[str, Any]) -> None:
        if self.mode == "polling":
            self.api.push(update)
            return
        task = asyncio.create_task(deliver(self.client, next(self.urls), update, self.result))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)


async def calibrate(api: FakeBotAPI, sender: Sender) -> list[int]:
    """How many messages answer each step, walking one person slowly through two rounds."""
    person, counts = Person(TelegramUser(api, 99, "en")), []
    for _ in range(2 * len(SCRIPT) - CYCLE):
        before = len(api.sent(99))
        sender.send(next_update(person))
        quiet_since, seen = time.monotonic(), before
        while (now := time.monotonic()) - quiet_since < 0.6 or seen == before:
            if len(api.sent(99)) != seen:
                seen, quiet_since = len(api.sent(99)), now
            if now - quiet_since > 30:
                raise RuntimeError("the bot does not answer")
            await asyncio.sleep(0.01)
        counts.append(seen - before)
    return counts


def expected_messages(counts: list[int], step: int) -> int:
    """Messages for step `step` (0-based) of a person's walk through SCRIPT."""
    if step < len(SCRIPT):
        return counts[step]
    return counts[len(SCRIPT) + (step - len(SCRIPT)) % (len(SCRIPT) - CYCLE)]


async def drive(api: FakeBotAPI, bots: list[BotProcess], people: list[Person], mode: str,
                args: argparse.Namespace, result: Result) -> Result:
    sender = Sender(api, bots, mode, result)
    counts = await calibrate(api, sender)
    seen = len(api.calls)  # calls already looked at
    by_chat = {p.user.chat_id: p for p in people}
    interval, slot = 1 / args.rate, 0
    start = time.monotonic()
    deadline = start + args.seconds
    cpu_start = sum(bot.cpu_seconds() or 0.0 for bot in bots)
    while time.monotonic() < deadline or not all(p.ready for p in people):
        now = time.monotonic()
        seen = collect(api, by_chat, seen, result)
        if now < deadline and now >= start + slot * interval:
            slot += 1
            person = next((p for p in people if p.ready), None)
            if person is None:
                result.missed_slots += 1
            else:
                person.expected = expected_messages(counts, person.step)
                person.received = 0
                update = next_update(person)
                person.waiting_since = time.monotonic()
                result.sent += 1
                sender.send(update)
        if time.monotonic() > deadline + 60:
            print("  some updates were never answered")
            break
        await asyncio.sleep(0.0005)
    result.cpu_seconds = sum(bot.cpu_seconds() or 0.0 for bot in bots) - cpu_start
    result.seconds = max(result.last_answer, deadline) - start
    await sender.client.aclose()
    return result


UPDATE_IDS = iter(range(1, 10**9))
UNEXPECTED: list[str] = []


async def deliver(client: httpx.AsyncClient, url: str, update: dict[str, Any],
                  result: Result) -> None:
    """POST one update like Telegram does; a refused or failed delivery is counted."""
    try:
        response = await client.post(url, json={"update_id": next(UPDATE_IDS), **update},
                                     headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        if response.status_code != 200:
            result.failed += 1
    except httpx.HTTPError as exc:
        result.failed += 1
        if result.failed == 1:
            print(f"  webhook delivery failed: {exc!r}")


def next_update(person: Person) -> dict[str, Any]:
    index = person.step if person.step < len(SCRIPT) else (
        CYCLE + (person.step - CYCLE) % (len(SCRIPT) - CYCLE))
    person.step += 1
    action, what = SCRIPT[index]
    user = person.user
    if action == "say":
        return user.text_update(what)
    try:
        return user.press_update(what)
    except AssertionError as exc:  # the bot said something else: note it, go on with the menu
        UNEXPECTED.append(f"chat {user.chat_id} step {index}: {exc}")
        return user.text_update("/menu")


def collect(api: FakeBotAPI, by_chat: dict[int, Person], seen: int, result: Result) -> int:
    """Match new sendMessage calls to the people waiting for them."""
    calls = api.calls
    for call in calls[seen:]:
        if call.method != "sendMessage" or call.status != 200:
            continue
        person = by_chat.get(int(call.params["chat_id"]))
        if person is None:
            continue
        person.received += 1
        if person.waiting_since is not None:
            result.latencies.append(call.at - person.waiting_since)
            person.waiting_since = None
            result.last_answer = call.at
    return len(calls)


async def make_database(db: str, workdir: Path) -> tuple[str, Any]:
    if db == "sqlite":
        async def nothing() -> None:
            return None

        return f"sqlite:///{workdir / 'werkpad.sqlite3'}", nothing
    import asyncpg

    name = f"werkpad_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(f"{POSTGRES}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()

    async def drop() -> None:
        conn = await asyncpg.connect(f"{POSTGRES}/postgres")
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    return f"{POSTGRES}/{name}", drop


async def main(args: argparse.Namespace) -> None:
    modes = ["polling", "webhook"] if args.mode == "both" else [args.mode]
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    print(f"{args.people} people, offered {args.rate:.0f} updates/s for {args.seconds:.0f} s "
          f"each; Telegram limits {'on' if args.telegram_limits else 'off'}; "
          f"{os.cpu_count()} CPUs (fake API and load share them with the bot)")
    for mode in modes:
        for db in dbs:
            print(" ", (await run_one(mode, db, args)).line(), flush=True)


if __name__ == "__main__":
    if "--child" in sys.argv:
        child_mode, limits = os.environ["BENCH_CHILD"].split(":")
        if profile_to := os.environ.get("BENCH_PROFILE"):  # where the bot's time goes
            import cProfile

            cProfile.run("asyncio.run(serve_child(child_mode, limits == '1'))", profile_to)
        else:
            asyncio.run(serve_child(child_mode, limits == "1"))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=["polling", "webhook", "both"], default="both")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--people", type=int, default=600)
    parser.add_argument("--rate", type=float, default=200.0, help="offered updates/s")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--processes", type=int, default=1,
                        help="webhook mode: this many bot processes behind a round robin")
    parser.add_argument("--telegram-limits", action="store_true",
                        help="keep the AIORateLimiter's 30 messages/s")
    asyncio.run(main(parser.parse_args()))
