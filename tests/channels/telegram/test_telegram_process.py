"""`python -m bot run` as its own process: kill -9 in the middle of a burst and restart
(every update answered, exactly once), and the webhook served on the web app.

The bot runs against the fake Bot API and a SQLite file.
Each person writes several times before agreeing to the privacy notice, and every such
message is answered with exactly one message (the consent question), so counting the
messages per chat shows any update lost or answered twice.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
from tg_fake_api import TOKEN, FakeBotAPI
from tg_people import TelegramUser
from tg_process import BotProcess, prepare_database

from bot.db.models import TelegramUpdate
from bot.db.session import make_engine, make_sessionmaker

pytestmark = pytest.mark.slow

PEOPLE, MESSAGES = 12, 6


async def wait_until(condition: object, within: float, what: str, bot: BotProcess) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not condition():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}; bot log:\n{bot.log()[-4000:]}")
        await asyncio.sleep(0.02)


def push_burst(api: FakeBotAPI) -> Counter[int]:
    expected: Counter[int] = Counter()
    people = [TelegramUser(api, 9000 + i, ["en", "ar", "nl", None][i % 4]) for i in range(PEOPLE)]
    for round_ in range(MESSAGES):
        for person in people:
            if round_ % 3 == 2:
                person.sends("sticker")
            else:
                person.says(f"message {round_} from {person.chat_id}")
            expected[person.chat_id] += 1
    return expected


async def run_crash(api: FakeBotAPI, tmp_path: Path, *, freeze: bool) -> tuple[
        Counter[int], Counter[int], str]:
    database = tmp_path / "werkpad.sqlite3"
    await prepare_database(f"sqlite:///{database}")
    bot = BotProcess.configure(tmp_path / "bot", api_base=api.base_url, token=TOKEN,
                               database_url=f"sqlite:///{database}")
    try:
        await bot.start()
        await wait_until(lambda: any(c.method == "getUpdates" for c in api.calls), 60,
                         "the bot to poll", bot)
        expected = push_burst(api)
        total = sum(expected.values())
        await wait_until(lambda: len(api.sent()) >= total // 3, 60, "a third of the replies",
                         bot)
        if freeze:  # cut the network first, so no reply is in flight when the process dies
            api.freeze()
            await asyncio.sleep(0.5)
        bot.kill_9()
        await bot.wait()
        api.thaw()
        answered_before = len(api.sent())
        assert answered_before < total, "the burst finished before the kill; make it bigger"

        await bot.start()
        await wait_until(lambda: len(api.sent()) >= total, 60, "every update answered", bot)
        await asyncio.sleep(1.0)  # time for a late duplicate to show up
        got = Counter(int(m["chat_id"]) for m in api.sent())
        engine = make_engine(f"sqlite+aiosqlite:///{database}")
        async with make_sessionmaker(engine)() as session:
            statuses = Counter((await session.scalars(
                TelegramUpdate.__table__.select().with_only_columns(TelegramUpdate.status)
            )).all())
        await engine.dispose()
        assert statuses == {"done": total}, statuses
        return expected, got, bot.log()
    finally:
        await bot.stop()


async def test_kill_9_with_the_network_cut_loses_nothing_and_repeats_nothing(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    expected, got, log = await run_crash(api, tmp_path, freeze=True)
    assert got == expected, log[-4000:]
    assert "taking up" in log  # the restart found unfinished updates in the ledger


async def test_kill_9_at_any_moment_loses_nothing(api: FakeBotAPI, tmp_path: Path) -> None:
    """Without the network cut a reply can be in flight when the process dies: Telegram has
    it, but we never heard back. That one message may come twice (the Bot API has no
    idempotency key); nothing may be lost."""
    expected, got, _ = await run_crash(api, tmp_path, freeze=False)
    assert all(got[chat] >= count for chat, count in expected.items()), (expected, got)
    duplicates = sum(got.values()) - sum(expected.values())
    assert duplicates <= 32, f"{duplicates} replies came twice (at most the in-flight ones)"


async def test_bot_run_serves_the_webhook_on_the_web_app(api: FakeBotAPI, tmp_path: Path) -> None:
    """`python -m bot run` with TELEGRAM_WEBHOOK_URL: setWebhook with the secret, and the
    endpoint on the web app's port answers Telegram's POSTs (403 without the secret)."""
    import httpx
    from tg_harness import WEBHOOK_SECRET, WEBHOOK_URL

    database = tmp_path / "werkpad.sqlite3"
    await prepare_database(f"sqlite:///{database}")
    bot = BotProcess.configure(tmp_path / "bot", api_base=api.base_url, token=TOKEN,
                               database_url=f"sqlite:///{database}", webhook_url=WEBHOOK_URL,
                               webhook_secret=WEBHOOK_SECRET)
    url = f"http://127.0.0.1:{bot.web_port}/telegram/webhook"
    ana = TelegramUser(api, 9100, "nl")
    try:
        await bot.start()
        async with httpx.AsyncClient() as client:
            async def up() -> bool:
                try:
                    await client.get(f"http://127.0.0.1:{bot.web_port}/healthz")
                except httpx.HTTPError:
                    return False
                return True

            while not await up():
                assert bot.process is not None and bot.process.returncode is None, bot.log()
                await asyncio.sleep(0.1)
            assert api.webhook is not None and api.webhook["secret_token"] == WEBHOOK_SECRET
            update = {"update_id": 1, **ana.text_update("hallo")}
            refused = await client.post(url, json=update)
            accepted = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})
        assert (refused.status_code, accepted.status_code) == (403, 200)
        await wait_until(lambda: len(api.sent(9100)) == 1, 30, "the reply", bot)
        assert "akkoord" in api.sent(9100)[0]["text"]
    finally:
        await bot.stop()
