"""A due reminder reaches a Telegram person through the fake Bot API, over real HTTP, once."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot

from bot.app import build_services
from bot.channels.telegram.outbound import TelegramOutbound
from bot.channels.telegram.sender import TelegramSender
from bot.content.strings import Strings
from bot.dialogue.manager import Services
from bot.flows.render import format_value
from bot.reminders.worker import ReminderWorker
from bot.settings import Settings
from tests.reminders.conftest import Clock
from tests.reminders.test_reminder_worker import DUE_AT, DUE_ON, add_reminder, row
from tests.support.fakes import ScriptedNLU

# the fake Bot API lives with the Telegram channel's tests, which import it as a top-level module
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "channels" / "telegram"))
from tg_fake_api import TOKEN, FakeBotAPI


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    fake = FakeBotAPI()
    await fake.start()
    yield fake
    await fake.stop()
    assert not fake.violations, "calls Telegram would refuse:\n" + "\n".join(fake.violations)


@pytest.fixture
async def services(
    db_engine: AsyncEngine, settings: Settings, api: FakeBotAPI
) -> AsyncIterator[Services]:
    built = await build_services(settings, engine=db_engine, nlu=ScriptedNLU())
    bot = Bot(TOKEN, base_url=api.base_url)
    async with bot:  # getMe, as the channel does when it starts
        built.delivery.register("telegram", TelegramOutbound(TelegramSender(bot, backoff=0.01)))
        yield built


@pytest.mark.parametrize("lang", ["ar", "ti"])
async def test_one_send_message_in_the_persons_language(
    services: Services, api: FakeBotAPI, lang: str
) -> None:
    reminder_id = await add_reminder(services.sessions, "7001", channel="telegram", lang=lang)
    clock = Clock(DUE_AT)
    worker = ReminderWorker.for_services(services, now=clock)
    await worker.run_once()
    clock.advance(days=1)
    await worker.run_once()  # a second round (or a restart) sends nothing more

    [message] = api.sent(7001)
    expected = Strings.load().t("reminder.work_allowed", lang, date=format_value(DUE_ON, lang))
    assert message["text"] == expected
    assert message["parse_mode"] == "HTML"
    keyboard = message["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for row_ in keyboard for b in row_] == ["cmd:coach", "cmd:menu"]
    assert (await row(services.sessions, reminder_id)).status == "sent"


async def test_a_person_who_blocked_the_bot_is_not_tried_again(
    services: Services, api: FakeBotAPI
) -> None:
    reminder_id = await add_reminder(services.sessions, "7002", channel="telegram")
    api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user", times=10)
    clock = Clock(DUE_AT)
    worker = ReminderWorker.for_services(services, now=clock)
    assert (await worker.run_once()).undeliverable == 1
    clock.advance(days=1)
    assert (await worker.run_once()).claimed == 0
    assert len([c for c in api.calls if c.method == "sendMessage"]) == 1
    assert (await row(services.sessions, reminder_id)).status == "undeliverable"
