"""The municipality question of the jobs flow understands places the way people write them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import ConversationState
from bot.messages import IncomingMessage
from tests.support.dialog import Chat


async def municipality_answer(chat: Chat) -> str | None:
    async with chat.dialogue.s.sessions() as session:
        state = await session.scalar(select(ConversationState))
        assert state is not None
        return state.slots.get("municipality")


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Zwolle", "GM0193"), ("I live in AZC Budel", "GM1706"), ("den bosch", "GM0796"),
     ("amsterdm", "GM0363")],
)
async def test_a_typed_place_answers_the_municipality_question(
    chat: Chat, typed: str, code: str
) -> None:
    await chat.press("flow:jobs")
    await chat.say(typed)
    assert await municipality_answer(chat) == code


async def test_an_unknown_place_is_re_asked_with_a_hint(chat: Chat) -> None:
    await chat.press("flow:jobs")
    await chat.say("Atlantis")
    assert await municipality_answer(chat) is None
    chat.expect("name of a municipality", "In which municipality")


async def test_a_shared_location_answers_the_municipality_question(chat: Chat) -> None:
    await chat.press("flow:jobs")
    await chat.send(IncomingMessage(channel="web", external_id=chat.user, kind="location",
                                    location=(52.5125, 6.0944)))  # Zwolle
    assert await municipality_answer(chat) == "GM0193"
