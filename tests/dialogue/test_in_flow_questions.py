"""Inside a flow, a message that is no answer gets an answer or an honest "I can't help with
that here", then the question again; never only "please tap one of the buttons"."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.db.models import ConversationState, Event
from tests.dialogue.conftest import MakeDialogue
from tests.support.dialog import Chat

STATUS_QUESTION = "where is your asylum case now?"


async def in_the_check(make_dialogue: MakeDialogue, nlu: Any, **taught: Any) -> Chat:
    for text, ranking in taught.items():
        nlu.teach(text, *ranking)
    chat = Chat(await make_dialogue())
    await chat.agree()
    await chat.press("flow:may_i_work")
    chat.expect(STATUS_QUESTION)
    return chat


async def test_an_off_topic_question_gets_cant_help_and_the_question_again(
    make_dialogue: MakeDialogue, nlu: Any
) -> None:
    chat = await in_the_check(make_dialogue, nlu)
    await chat.say("what is the weather tomorrow in Utrecht")
    chat.expect("can't help with that here", STATUS_QUESTION)
    assert "tap one of the buttons" not in chat.text
    assert "answer:waiting" in chat.buttons
    async with chat.dialogue.s.sessions() as session:
        state = await session.scalar(select(ConversationState))
        assert state is not None and state.step_id == "ask_situation"


async def test_a_short_question_mark_is_also_not_an_answer(
    make_dialogue: MakeDialogue, nlu: Any
) -> None:
    chat = await in_the_check(make_dialogue, nlu)
    await chat.say("why?")
    chat.expect("can't help with that here", STATUS_QUESTION)


async def test_a_word_that_tries_to_answer_gets_the_hint(
    make_dialogue: MakeDialogue, nlu: Any
) -> None:
    chat = await in_the_check(make_dialogue, nlu)
    await chat.say("maybe")
    chat.expect("tap one of the buttons", STATUS_QUESTION)
    assert "can't help with that here" not in chat.text


async def test_a_question_with_an_answer_is_answered_and_the_check_offered_again(
    make_dialogue: MakeDialogue, nlu: Any
) -> None:
    chat = await in_the_check(make_dialogue, nlu)
    await chat.say("what is a bsn")
    chat.expect("BSN")
    assert "cmd:continue" in chat.buttons


async def test_the_non_answer_is_kept_as_a_near_miss(
    make_dialogue: MakeDialogue, nlu: Any
) -> None:
    chat = await in_the_check(make_dialogue, nlu)
    await chat.say("is the supermarket open on sunday?")
    async with chat.dialogue.s.sessions() as session:
        events = (await session.scalars(select(Event).where(Event.direction == "in"))).all()
    assert any(e.meta.get("not_an_answer") for e in events)
