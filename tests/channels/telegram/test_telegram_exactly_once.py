"""Exactly once: a redelivered update gets no second reply; an update left half-done by a
crash is finished on restart, without answering anything twice.

The crash cases set the ledger up as a killed process leaves it, then start the channel.
tests/channels/telegram/test_telegram_process.py does it for real with kill -9.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from tg_harness import Harness, MakeBot, buttons, texts

from bot.channels.telegram.formatting import Part
from bot.db import repositories as repo
from bot.db.models import TelegramUpdate, utcnow
from bot.db.session import make_sessionmaker
from bot.messages import IncomingMessage


async def put_row(engine: AsyncEngine, update: dict[str, Any], chat_id: int, status: str,
                  **fields: Any) -> None:
    async with make_sessionmaker(engine)() as session, session.begin():
        session.add(TelegramUpdate(
            update_id=update["update_id"], chat_id=chat_id, status=status, body=update,
            sent=fields.pop("sent", 0), attempts=fields.pop("attempts", 1),
            lease_until=utcnow(), **fields))


async def test_the_same_update_twice_in_one_batch_is_answered_once(bot: Harness) -> None:
    ana = bot.user(601)
    update = {"update_id": 77_001, **ana.text_update("hello")}
    bot.api.push(update)
    bot.api.push(update)
    await bot.settled(77_001)
    marker = bot.user(602)
    await bot.say(marker, "hello")  # pushed after: once answered, the duplicate was seen
    assert len(bot.api.sent(601)) == 1


async def test_an_update_redelivered_after_a_restart_is_not_answered_again(
    make_bot: MakeBot,
) -> None:
    first = await make_bot()
    ana = first.user(603)
    replies = await first.say(ana, "hello")
    assert len(replies) == 1
    update_id = max(first.api.history)
    await first.service.stop()  # as if it died before confirming the offset

    second = await make_bot()
    first.api.redeliver(update_id)
    await second.say(second.user(604), "hello")  # a marker behind the redelivered update
    assert len(second.api.sent(603)) == 1


async def test_a_quick_second_tap_on_the_same_keyboard_counts_once(bot: Harness) -> None:
    ana = bot.user(605)
    await bot.say(ana, "hello")
    first = bot.api.push(ana.press_update("cmd:consent"))
    second = bot.api.push(ana.press_update("cmd:decline"))  # before the keyboard is gone
    await bot.settled(first, second)
    replies = bot.api.sent(605)[1:]
    assert "Thank you" in texts(replies)
    assert "I have not saved anything" not in texts(replies)
    assert await bot.person(605) is not None
    # both taps were acknowledged, so neither button keeps spinning
    assert len(bot.api.answered_queries) == 2


async def test_an_update_stored_but_never_handled_is_answered_at_start(
    make_bot: MakeBot, db_engine: AsyncEngine,
) -> None:
    make_user = (await make_bot()).user  # a first run, so the fake and content exist
    ana = make_user(606)
    update = {"update_id": 88_001, **ana.text_update("hello")}
    await put_row(db_engine, update, 606, "received", attempts=0)

    second = await make_bot()
    await second.settled(88_001)
    [consent] = second.api.sent(606)
    assert "Do you agree?" in consent["text"]


async def test_replies_kept_but_only_partly_sent_are_finished_not_repeated(
    make_bot: MakeBot, db_engine: AsyncEngine,
) -> None:
    first = await make_bot()
    ana = first.user(607)
    update = {"update_id": 88_002, **ana.text_update("hello")}
    parts = [Part("one"), Part("two"), Part("three", ((("Menu", "cmd:menu"),),))]
    await put_row(db_engine, update, 607, "handled", sent=1,
                  parts=[p.to_json() for p in parts])

    second = await make_bot()
    await second.settled(88_002)
    sent = second.api.sent(607)
    assert [m["text"] for m in sent] == ["two", "three"]
    assert buttons(sent[-1]) == ["cmd:menu"]


async def test_an_answer_lost_in_a_crash_shows_where_we_are_instead_of_answering_twice(
    make_bot: MakeBot, db_engine: AsyncEngine,
) -> None:
    """The core took "1" (waiting for the IND) and moved to the age question, then the
    process died before the reply was sent. Handling "1" again would answer the age question
    with "1"; instead the person is asked the age question again."""
    first = await make_bot()
    ana = first.user(608)
    await first.say(ana, "hello")
    await first.press(ana, "cmd:consent")
    replies = await first.say(ana, "can I work?")
    assert "where is your asylum case now?" in replies[-1]["text"]
    async with make_sessionmaker(db_engine)() as session:
        _, revision = await repo.person_revision(session, channel="telegram",
                                                 external_id="608")
    assert revision is not None
    await first.service.stop()
    update = {"update_id": 88_003, **ana.text_update("1")}
    await put_row(db_engine, update, 608, "working", revision=revision)
    # the core's half of the work, committed before the crash
    await first.dialogue.handle(IncomingMessage(
        channel="telegram", external_id="608", text="1", lang_hint="en"))

    second = await make_bot()
    await second.settled(88_003)
    sent = second.api.sent(608)
    assert "How old are you?" in sent[-1]["text"]
    assert "Please tap" not in texts(sent[-2:])
