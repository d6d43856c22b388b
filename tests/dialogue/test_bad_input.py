"""Bad input never raises out of the core: each gets a clear reply and the state stays valid."""

from __future__ import annotations

import asyncio
from itertools import pairwise

import pytest
from sqlalchemy import select

from bot.db.models import ConversationState, Event
from bot.messages import IncomingMessage
from tests.support.dialog import Chat
from tests.support.eligibility import to_date
from tests.support.fakes import FailingTranslator


async def state_of(chat: Chat) -> ConversationState:
    async with chat.dialogue.s.sessions() as session:
        state = await session.scalar(select(ConversationState))
        assert state is not None
        return state


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("", "empty message"),
        ("   \n\t ", "empty message"),
        ("\u200b\u200c\u200d", "empty message"),
        ("😀😀🙏", "only emoji"),
        ("?!...", "only emoji"),
        ("\x00\x07\x1b", "empty message"),
    ],
)
async def test_messages_without_words_get_a_clear_reply(chat: Chat, text: str, reply: str) -> None:
    await chat.say(text)
    chat.expect(reply)
    assert "cmd:menu" in chat.buttons


async def test_ten_thousand_characters_are_read_in_part_and_logged_cut(chat: Chat) -> None:
    await chat.say("can I work? " + "x" * 10_000)
    chat.expect("only read the first part")
    async with chat.dialogue.s.sessions() as session:
        longest = max(len(e.text or "") for e in await session.scalars(select(Event)))
    assert longest <= 4096


async def test_right_to_left_and_mixed_scripts_pass_through(chat: Chat) -> None:
    for text in ("مرحبا I live in AZC Budel ትግርኛ", "سلام \u202e evil override", "Привет مرحبا"):
        replies = await chat.say(text)
        assert replies and all(r.text for r in replies)
    state = await state_of(chat)
    assert state.flow_id in (None, "main_menu")


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        ("31-02-2025", "does not exist"),
        ("2099-05-01", "in the future"),
        ("01-01-1990", "very long ago"),
        ("since last summer", "month and a year"),
        ("٣١-٠٢-٢٠٢٥", "does not exist"),
    ],
)
async def test_impossible_dates_are_refused_and_the_step_stays(
    chat: Chat, answer: str, hint: str
) -> None:
    await chat.say("can I work?")
    await to_date(chat)
    await chat.say(answer)
    chat.expect(hint, "On what date did you apply")
    state = await state_of(chat)
    assert (state.flow_id, state.step_id, state.retries) == ("may_i_work", "ask_date", 1)
    assert "application_date" not in state.slots


async def test_a_failing_translator_still_gives_the_english_text() -> None:
    from bot.content.strings import Strings
    from bot.dialogue.render import Renderer

    translator = FailingTranslator()
    renderer = Renderer(Strings.load(), translator)
    rendered = await renderer.text({"en": "Ask COA.", "nl": "Vraag het COA."}, "so")
    assert (rendered.text, rendered.language) == ("Ask COA.", "en")
    assert rendered.fallback_english
    reply = await renderer.message(rendered, "so")
    assert reply.text.endswith("Ask COA.") and reply.text != "Ask COA."  # marked, in Somali
    assert translator.calls == 1


async def test_one_persons_messages_never_interleave(chat: Chat) -> None:
    """Ten messages at once for one person are handled one after another."""
    dialogue = chat.dialogue
    await chat.say("can I work?")
    messages = [
        IncomingMessage(channel="web", external_id=chat.user, text=text)
        for text in ["menu", "can I work?", "yes", "01-02-2026", "back", "menu",
                     "can I work?", "yes", "stop", "hello"]
    ]
    await asyncio.gather(*(dialogue.handle(m) for m in messages))
    async with dialogue.s.sessions() as session:
        events = list(await session.scalars(select(Event).order_by(Event.id)))
        state = await session.scalar(select(ConversationState))
    assert state is not None
    # every incoming message is followed by its own replies before the next one comes in
    directions = [e.direction for e in events]
    incoming = [i for i, d in enumerate(directions) if d == "in"]
    for a, b in pairwise(incoming):
        assert b - a >= 2, "a message came in before the previous one was answered"
    assert state.revision == len(incoming) + 1  # the first "hello" before consent counts too
