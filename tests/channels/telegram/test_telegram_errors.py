"""Limits and errors: rate limits waited out, blocked people marked inactive, refused
messages logged, network errors retried, nothing crashes the process."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from tg_harness import Harness, MakeBot, texts


def to_chat(chat_id: int) -> Callable[[dict[str, Any]], bool]:
    return lambda params: int(params.get("chat_id", 0)) == chat_id


async def test_a_429_is_waited_out_and_the_message_delivered_once(bot: Harness) -> None:
    ana = bot.user(801)
    bot.api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    started = time.monotonic()
    [consent] = await bot.say(ana, "hello")
    assert time.monotonic() - started >= 1.0
    assert "Do you agree?" in consent["text"]
    statuses = [c.status for c in bot.api.calls if c.method == "sendMessage"]
    assert statuses == [429, 200]


async def test_a_blocked_person_is_marked_inactive_and_nothing_crashes(bot: Harness) -> None:
    ana = bot.user(802)
    await bot.say(ana, "hello")
    bot.api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user",
                 when=to_chat(802), times=100)
    assert await bot.say(ana, "hello again") == []
    person = await bot.person(802)
    assert person is not None and not person.active
    # the bot goes on for everyone else
    assert len(await bot.say(bot.user(803), "hello")) == 1


async def test_blocking_and_unblocking_the_bot(bot: Harness) -> None:
    ana = bot.user(804)
    await bot.say(ana, "hello")
    assert await bot.turn(ana, lambda: ana.membership("kicked")) == []
    person = await bot.person(804)
    assert person is not None and not person.active
    assert await bot.turn(ana, lambda: ana.membership("member")) == []
    person = await bot.person(804)
    assert person is not None and person.active


async def test_a_refused_message_is_logged_and_the_bot_goes_on(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    ana = bot.user(805)
    bot.api.fail("sendMessage", 400, "Bad Request: chat not found", when=to_chat(805))
    with caplog.at_level(logging.ERROR, logger="bot.channels.telegram"):
        assert await bot.say(ana, "hello") == []
    assert "Chat not found" in caplog.text
    assert len(await bot.say(ana, "hello")) == 1


async def test_html_telegram_cannot_parse_is_sent_again_as_plain_text(bot: Harness) -> None:
    ana = bot.user(806)
    bot.api.fail("sendMessage", 400, "Bad Request: can't parse entities: unclosed tag",
                 when=to_chat(806))
    [reply] = await bot.say(ana, "hello")
    assert "parse_mode" not in reply
    assert "Do you agree?" in reply["text"]


async def test_a_network_error_is_retried_with_backoff(bot: Harness) -> None:
    ana = bot.user(807)
    bot.api.fail("sendMessage", 502, "Bad Gateway", times=2)
    [reply] = await bot.say(ana, "hello")
    assert "Do you agree?" in reply["text"]
    assert [c.status for c in bot.api.calls if c.method == "sendMessage"] == [502, 502, 200]


async def test_when_telegram_stays_down_the_update_is_taken_up_again_later(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(recover_every=timedelta(milliseconds=300))
    ana = bot.user(808)
    bot.api.fail("sendMessage", 502, "Bad Gateway", times=4)  # every retry of one attempt
    [reply] = await bot.turn(ana, lambda: ana.says("hello"))
    assert "Do you agree?" in reply["text"]
    assert [c.status for c in bot.api.calls if c.method == "sendMessage"] == [502] * 4 + [200]


async def test_photos_voice_and_stickers_get_the_kind_reply(bot: Harness) -> None:
    ana = bot.user(809)
    await bot.say(ana, "hello")
    await bot.press(ana, "cmd:consent")
    for kind in ("sticker", "voice", "photo", "document", "video_note", "audio", "contact"):
        replies = await bot.turn(ana, lambda kind=kind: ana.sends(kind))
        assert "I can only read text" in texts(replies), kind
