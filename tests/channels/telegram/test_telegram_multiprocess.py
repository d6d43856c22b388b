"""Three `python -m bot run` processes in webhook mode on one PostgreSQL database, behind a
small round-robin proxy (as a load balancer would be): every update is answered exactly once,
and each person's updates are handled in the order they were sent, whichever process took
them.

Telegram sends one chat's updates one after the other (the next after our 200), different
chats at once; the proxy hands consecutive updates to different processes, so a person's
second message usually lands on another process while the first is still being handled.
Before the privacy question is answered, each message gets exactly one reply (the consent
question), so counting replies per chat shows a lost or doubled answer; the ledger's finish
times per chat show the order.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tg_fake_api import TOKEN, FakeBotAPI
from tg_people import TelegramUser
from tg_process import BotProcess, prepare_database
from tg_serve import serve

from bot.channels.telegram.webhook import SECRET_HEADER
from bot.db.models import TelegramUpdate
from bot.db.session import make_engine, make_sessionmaker
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.slow

PROCESSES, PEOPLE, MESSAGES = 3, 10, 5
WEBHOOK_URL = "https://werkpad.example/telegram/webhook"
SECRET = "multi_process_secret_0123456789"


class RoundRobin:
    """POST /telegram/webhook -> the next bot process, as a load balancer does."""

    def __init__(self, targets: list[str]) -> None:
        self.targets = itertools.cycle(targets)
        self.client = httpx.AsyncClient(timeout=30)
        self.app = Starlette(routes=[Route("/telegram/webhook", self.forward, methods=["POST"])])
        self.sent_to: Counter[str] = Counter()

    async def forward(self, request: Request) -> Response:
        target = next(self.targets)
        self.sent_to[target] += 1
        upstream = await self.client.post(
            target, content=await request.body(),
            headers={"content-type": "application/json",
                     SECRET_HEADER: request.headers.get(SECRET_HEADER, "")})
        return Response(upstream.content, status_code=upstream.status_code)


async def fresh_database() -> tuple[str, str]:
    name = f"werkpad_mp_{secrets.token_hex(4)}"
    admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return name, POSTGRES_URL.rsplit("/", 1)[0] + "/" + name


async def drop_database(name: str) -> None:
    admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


async def ready(bot: BotProcess, within: float = 90) -> None:
    deadline = asyncio.get_running_loop().time() + within
    async with httpx.AsyncClient() as client:
        while True:
            try:
                if (await client.get(f"http://127.0.0.1:{bot.web_port}/healthz")).status_code \
                        == 200 and "Telegram channel" in bot.log():
                    return
            except httpx.TransportError:
                pass
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("a bot process did not start:\n" + bot.log()[-3000:])
            await asyncio.sleep(0.2)


async def test_three_processes_answer_each_update_once_and_in_order(
        tmp_path: Path) -> None:
    api = FakeBotAPI()
    await api.start()
    name, url = await fresh_database()
    bots: list[BotProcess] = []
    proxy = None
    try:
        await prepare_database(url)
        for n in range(PROCESSES):
            bot = BotProcess.configure(tmp_path / f"bot{n}", api_base=api.base_url, token=TOKEN,
                                       database_url=url, webhook_url=WEBHOOK_URL,
                                       webhook_secret=SECRET)
            bots.append(bot)
            await bot.start()
        for bot in bots:
            await ready(bot)
        balancer = RoundRobin([f"http://127.0.0.1:{b.web_port}/telegram/webhook" for b in bots])
        proxy = await serve(balancer.app)
        people = [TelegramUser(api, 7100 + i, ["en", "ar", "ti", "nl"][i % 4])
                  for i in range(PEOPLE)]

        async def telegram_sends(person: TelegramUser) -> list[int]:
            ids = []
            async with httpx.AsyncClient(timeout=30) as client:
                for n in range(MESSAGES):
                    update_id = next(api._update_ids)
                    update = {"update_id": update_id,
                              **person.text_update(f"message {n} from {person.chat_id}")}
                    response = await client.post(f"{proxy.url}/telegram/webhook", json=update,
                                                 headers={SECRET_HEADER: SECRET})
                    assert response.status_code == 200, response.text
                    ids.append(update_id)
            return ids

        sent = await asyncio.gather(*(telegram_sends(p) for p in people))
        assert min(balancer.sent_to.values()) >= PEOPLE * MESSAGES // PROCESSES - 1

        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        deadline = asyncio.get_running_loop().time() + 90
        all_ids = [i for ids in sent for i in ids]
        while True:
            async with sessions() as session:
                rows = (await session.scalars(select(TelegramUpdate).where(
                    TelegramUpdate.update_id.in_(all_ids)))).all()
            if len(rows) == len(all_ids) and all(r.status == "done" for r in rows):
                break
            if asyncio.get_running_loop().time() > deadline:
                states = Counter(r.status for r in rows)
                raise AssertionError(f"not all updates finished: {states}\n"
                                     + "\n".join(b.log()[-1500:] for b in bots))
            await asyncio.sleep(0.1)
        await engine.dispose()
        await asyncio.sleep(0.5)  # any second answer would come now

        replies: Counter[int] = Counter(int(c.params["chat_id"]) for c in api.calls
                                        if c.method == "sendMessage" and c.status == 200)
        assert replies == {p.chat_id: MESSAGES for p in people}, replies
        by_id = {r.update_id: r for r in rows}
        for ids in sent:
            finished = [by_id[i].finished_at for i in ids]
            assert all(a is not None for a in finished)
            assert finished == sorted(finished), "a person's updates were handled out of order"
        assert not api.violations
    finally:
        for bot in bots:
            await bot.stop()
        if proxy is not None:
            await proxy.stop()
        await api.stop()
        await drop_database(name)
