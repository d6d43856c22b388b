"""Handoff benchmark: request -> topic created, and a coach's message -> delivered to the person.

    .venv/bin/python benchmarks/handoff_bench.py                 # SQLite, 60 people
    .venv/bin/python benchmarks/handoff_bench.py --postgres --people 100

In one process, as `python -m bot run` builds it: the Telegram channel (polling) on the real
Dialogue (real flows/ content, a scripted NLU: this measures the handoff, not the NLU), the
relay worker, and the fake Bot API (tests/channels/telegram/tg_fake_api.py) over real HTTP.
Translation is off (the issue's target is without translation).

For each person: consent, /coach, the reason button. "request -> topic" is from pushing the
reason button's update to the fake receiving the topic's first message (createForumTopic,
then the summary with Claim). A registered coach claims; then "coach -> person" is from
pushing the coach's message in the topic to the fake receiving the sendMessage to the
person's chat. People go `--concurrency` at a time.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "channels" / "telegram")]

from sqlalchemy import text  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402
from tg_fake_api import TOKEN, FakeBotAPI  # noqa: E402
from tg_people import TelegramUser  # noqa: E402

from bot.app import build_services  # noqa: E402
from bot.channels.telegram import TelegramService  # noqa: E402
from bot.content.store import read_directory, store_files  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from bot.db.session import make_engine, make_sessionmaker  # noqa: E402
from bot.dialogue.manager import Dialogue  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.web.accounts import create_user  # noqa: E402
from tests.support.fakes import ScriptedNLU  # noqa: E402

GROUP = -1009876543210
COACH_TG = 880001
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
_ids = itertools.count(7_000_000)


def group_message(thread_id: int, text_: str) -> dict[str, Any]:
    return {"message": {
        "message_id": next(_ids), "date": int(time.time()), "message_thread_id": thread_id,
        "is_topic_message": True, "text": text_,
        "from": {"id": COACH_TG, "is_bot": False, "first_name": "Coach"},
        "chat": {"id": GROUP, "type": "supergroup", "title": "Coaches", "is_forum": True}}}


def claim_update(ticket_id: int, opener: dict[str, Any]) -> dict[str, Any]:
    return {"callback_query": {
        "id": f"cq{next(_ids)}", "chat_instance": "coaches", "data": f"ho:claim:{ticket_id}",
        "from": {"id": COACH_TG, "is_bot": False, "first_name": "Coach"},
        "message": {k: v for k, v in opener.items() if not k.startswith("_")}}}


async def wait_for(api: FakeBotAPI, since: int, match: Any, within: float = 30) -> float:
    """Seconds (perf_counter) when a call matching `match` arrived after index `since`."""
    deadline = time.perf_counter() + within
    while time.perf_counter() < deadline:
        for call in api.calls[since:]:
            if call.status == 200 and match(call):
                return call.at
        await asyncio.sleep(0.002)
    tail = [(c.method, c.params.get("chat_id"), str(c.params.get("text"))[:40])
            for c in api.calls[since:] if c.method != "getUpdates"]
    raise TimeoutError(f"the call never came; since then: {tail}")


async def ticket_of(sessions: Any, chat_id: int) -> tuple[int, int]:
    """The person's ticket and its topic, once the relay opened it (topics name nobody)."""
    from sqlalchemy import select

    from bot.db.models import Person
    from bot.handoff.models import Ticket

    for _ in range(3000):
        async with sessions() as session:
            found = (await session.execute(select(Ticket.id, Ticket.topic_thread_id).join(
                Person, Person.id == Ticket.person_id).where(
                Person.external_id == str(chat_id)))).first()
        if found is not None and found[1] is not None:
            return int(found[0]), int(found[1])
        await asyncio.sleep(0.005)
    raise TimeoutError(f"no topic for chat {chat_id}")


async def one_person(api: FakeBotAPI, sessions: Any, chat_id: int,
                     out: dict[str, list[float]]) -> None:
    user = TelegramUser(api, chat_id, "en")
    for step, expect in ((lambda: user.says("hello"), "cmd:consent"),
                         (lambda: user.presses("cmd:consent"), "cmd:language"),
                         (lambda: user.says("/coach"), "answer:work_permit")):
        since = len(api.calls)
        step()
        await wait_for(api, since, lambda c, expect=expect: c.method == "sendMessage"
                       and int(c.params["chat_id"]) == chat_id
                       and expect in str(c.params.get("reply_markup")))
    since = len(api.calls)
    started = time.perf_counter()
    user.presses("answer:work_permit")
    ticket_id, thread_id = await ticket_of(sessions, chat_id)
    at = await wait_for(api, since, lambda c: c.method == "sendMessage"
                        and int(c.params["chat_id"]) == GROUP
                        and f"ho:claim:{ticket_id}" in str(c.params.get("reply_markup")))
    out["request_to_topic"].append(at - started)
    opener = next(m for (chat, _), m in api.messages.items()
                  if chat == GROUP and m["text"].startswith(f"Ticket #{ticket_id} "))
    since = len(api.calls)
    api.push(claim_update(ticket_id, opener))
    await wait_for(api, since, lambda c: c.method == "sendMessage"
                   and int(c.params["chat_id"]) == chat_id)  # "a coach is here"
    for n in range(3):
        since = len(api.calls)
        started = time.perf_counter()
        api.push(group_message(thread_id, f"Hello, this is message {n} from your coach."))
        at = await wait_for(api, since, lambda c: c.method == "sendMessage"
                            and int(c.params["chat_id"]) == chat_id
                            and "message" in str(c.params.get("text")))
        out["coach_to_person"].append(at - started)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    api = FakeBotAPI()
    await api.start()
    schema = None
    if args.postgres:
        schema = f"bench_{secrets.token_hex(4)}"
        admin = create_async_engine(POSTGRES)
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        await admin.dispose()
        engine = create_async_engine(POSTGRES, pool_size=10, connect_args={
            "server_settings": {"search_path": schema}})
    else:
        tmp = tempfile.mkdtemp()
        engine = make_engine(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3")
    await upgrade(engine)
    sessions = make_sessionmaker(engine)
    async with sessions() as session, session.begin():
        await store_files(session, read_directory(ROOT / "flows"), by="bench")
        await create_user(session, email="coach@example.org", name="Bench Coach", role="coach",
                          password="a long enough password", telegram_id=COACH_TG,
                          languages=["en"])
    settings = load_settings(ROOT / "config.yml", env={
        "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
        "TELEGRAM_COACH_GROUP_ID": str(GROUP)})
    nlu = ScriptedNLU().teach("hello", ("greet", 0.95))
    services = await build_services(settings, engine=engine, nlu=nlu)
    from telegram.ext import BaseRateLimiter

    class NoLimits(BaseRateLimiter[Any]):  # measure us, not Telegram's 30 messages/s
        async def initialize(self) -> None: ...
        async def shutdown(self) -> None: ...
        async def process_request(self, callback: Any, args: Any, kwargs: Any, endpoint: Any,
                                  data: Any, rate_limit_args: Any) -> Any:
            return await callback(*args, **kwargs)

    service = TelegramService(settings, Dialogue(services), poll_timeout=1,
                              rate_limiter=NoLimits())
    await service.start()
    out: dict[str, list[float]] = {"request_to_topic": [], "coach_to_person": []}
    started = time.perf_counter()
    try:
        gate = asyncio.Semaphore(args.concurrency)

        async def run(chat_id: int) -> None:
            async with gate:
                await one_person(api, sessions, chat_id, out)

        await asyncio.gather(*(run(900_000 + i) for i in range(args.people)))
    finally:
        from sqlalchemy import func, select

        from bot.handoff.models import RelayMessage

        async with sessions() as session:
            rows = (await session.execute(select(RelayMessage.sender, RelayMessage.status,
                                                 func.count()).group_by(
                RelayMessage.sender, RelayMessage.status))).all()
        coach_sends = sum(1 for c in api.calls if c.method == "sendMessage"
                          and "from your coach" in str(c.params.get("text")))
        print("relayed rows:", sorted(tuple(r) for r in rows), "coach messages sent:",
              coach_sends)
        await service.stop()
        await api.stop()
        await engine.dispose()
        if schema:
            admin = create_async_engine(POSTGRES)
            async with admin.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            await admin.dispose()
    elapsed = time.perf_counter() - started
    print(f"handoff benchmark: {args.people} people, {args.concurrency} at a time, "
          f"{'PostgreSQL' if args.postgres else 'SQLite'}, {elapsed:.1f} s")
    for name, values in out.items():
        ms = sorted(v * 1000 for v in values)
        p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
        print(f"  {name:18s} n={len(ms):4d}  p50={statistics.median(ms):6.1f} ms  "
              f"p95={p95:6.1f} ms  max={ms[-1]:6.1f} ms  (target p95 <= 200 ms)")
    if api.violations:
        print("calls Telegram would refuse:", *api.violations[:5], sep="\n  ")


if __name__ == "__main__":
    asyncio.run(main())
