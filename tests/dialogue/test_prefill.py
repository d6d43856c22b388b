"""What a person already said is taken, and said back, instead of asked again (issue 13)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.db.models import ConversationState
from tests.dialogue.conftest import MakeDialogue
from tests.support.dialog import Chat
from tests.support.eligibility import TO_DATE


async def state_of(chat: Chat) -> ConversationState:
    async with chat.dialogue.s.sessions() as session:
        state = await session.scalar(select(ConversationState))
        assert state is not None
        return state


async def asked(make_dialogue: MakeDialogue, nlu: Any, text: str) -> Chat:
    nlu.teach(text, ("can_i_work", 0.9))
    chat = Chat(await make_dialogue())  # today: 28 November 2026
    await chat.agree()
    await chat.say(text)
    assert (await state_of(chat)).flow_id == "may_i_work"
    for answer in TO_DATE:
        await chat.press(answer)
    return chat


async def test_a_waiting_time_said_in_the_question_fills_the_date(
    make_dialogue: MakeDialogue, nlu: Any
) -> None:
    chat = await asked(make_dialogue, nlu, "I have been waiting 7 months, can I work?")
    state = await state_of(chat)
    assert state.step_id != "ask_date"
    assert state.slots["application_date"] == "2026-05-13"  # 7 months back, the latest day
    chat.expect("From what you wrote, I noted", "estimate")
    assert "cmd:back" in chat.buttons


async def test_a_day_and_month_are_read_as_the_last_such_day_and_said_back(
    make_dialogue: MakeDialogue, nlu: Any
) -> None:
    chat = await asked(make_dialogue, nlu, "I applied on 6 October, may I work now?")
    assert (await state_of(chat)).slots["application_date"] == "2026-10-06"
    chat.expect("From what you wrote, I noted", "I read that as")


async def test_change_asks_the_date_question(make_dialogue: MakeDialogue, nlu: Any) -> None:
    chat = await asked(make_dialogue, nlu, "I have been waiting 7 months, can I work?")
    await chat.press("cmd:back")
    state = await state_of(chat)
    assert state.step_id == "ask_date" and "application_date" not in state.slots
    await chat.say("10 January 2027")
    chat.expect("That date is in the future")


async def test_a_question_without_a_date_asks_the_date_as_before(
    make_dialogue: MakeDialogue, nlu: Any
) -> None:
    chat = await asked(make_dialogue, nlu, "can i work?")
    assert (await state_of(chat)).step_id == "ask_date"
    assert "I noted" not in chat.text
