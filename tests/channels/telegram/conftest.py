"""Fixtures: the fake Bot API, and the real Telegram channel on the real Dialogue.

The bot is the production code path end to end: TelegramService (polling or webhook) ->
ledger -> Dialogue (real flows/ content, embedded NLU) -> sender -> PTB -> real HTTP -> fake.
Every test fails at teardown if the bot made a call Telegram would refuse.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from tg_fake_api import TOKEN, FakeBotAPI
from tg_harness import WEBHOOK_SECRET, WEBHOOK_URL, Harness, MakeBot
from tg_serve import Served, serve

from bot.app import build_services, build_web_app
from bot.channels.telegram import TelegramService
from bot.content.store import read_directory, store_files
from bot.db.session import make_sessionmaker
from bot.dialogue.manager import Dialogue
from bot.nlu.base import NLUEngine
from bot.settings import ROOT
from tests.conftest import make_settings

TODAY = date(2026, 11, 28)


@pytest.fixture(scope="session")
def places() -> Any:
    from bot.jobs.places import Places

    return Places.load()


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    fake = FakeBotAPI()
    await fake.start()
    yield fake
    await fake.stop()
    assert not fake.violations, "calls Telegram would refuse:\n" + "\n".join(fake.violations)




@pytest.fixture
async def make_bot(
    db_engine: AsyncEngine, api: FakeBotAPI, real_nlu: NLUEngine, places: Any,
    tmp_path: Any,
) -> AsyncIterator[MakeBot]:
    """Start the Telegram channel: `await make_bot()` polls, `make_bot(webhook=True)` serves
    the webhook on the web app (real uvicorn, random port)."""
    sessions = make_sessionmaker(db_engine)
    async with sessions() as session, session.begin():
        await store_files(session, read_directory(ROOT / "flows"), by="test")
    running: list[tuple[TelegramService, Served | None]] = []

    async def factory(*, webhook: bool = False, env_extra: dict[str, str] | None = None,
                      **service_kw: Any) -> Harness:
        env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
               **(env_extra or {})}
        if webhook:
            env |= {"TELEGRAM_WEBHOOK_URL": WEBHOOK_URL, "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET}
        settings = make_settings(tmp_path, **env)
        services = await build_services(settings, engine=db_engine, nlu=real_nlu,
                                        today=lambda: TODAY, places=places)
        dialogue = Dialogue(services)
        service = TelegramService(settings, dialogue, poll_timeout=1, **service_kw)
        harness = Harness(api, service, sessions, settings, dialogue)
        served = None
        if webhook:  # mounted on the web app, as bot.cli.run does
            app = build_web_app(settings, dialogue)
            route = service.webhook_route()
            assert route is not None
            app.add_route(route[0], route[1], methods=["POST"])
            served = await serve(app)
            harness.webhook = f"{served.url}{route[0]}"
        await service.start()
        running.append((service, served))
        return harness

    yield factory
    for service, served in running:
        await service.stop()
        if served is not None:
            await served.stop()


@pytest.fixture
async def bot(make_bot: MakeBot) -> Harness:
    """The channel in polling mode."""
    return await make_bot()
