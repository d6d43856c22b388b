"""A place in a question (issue 13): jobs near it, or "what would you like to know about X?";
the place is taken as the answer to the jobs flow's question instead of asking it again."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.db.models import ConversationState
from tests.dialogue.conftest import MakeDialogue
from tests.support.dialog import Chat


async def state_of(chat: Chat) -> ConversationState:
    async with chat.dialogue.s.sessions() as session:
        state = await session.scalar(select(ConversationState))
        assert state is not None
        return state


async def test_a_job_question_with_a_place_skips_the_place_question(
    make_dialogue: MakeDialogue, nlu: Any
) -> None:
    nlu.teach("where can i find a job near azc budel", ("find_job", 0.81))
    chat = Chat(await make_dialogue())
    await chat.agree()
    await chat.say("where can I find a job near AZC Budel")
    state = await state_of(chat)
    assert (state.flow_id, state.step_id) == ("jobs", "ask_sector")
    assert state.slots["municipality"] == "GM1706"  # Cranendonck
    chat.expect("Cranendonck", "What kind of work")
    assert "answer:cleaning" in chat.buttons


async def test_the_prefilled_place_can_be_corrected_with_back(
    make_dialogue: MakeDialogue, nlu: Any
) -> None:
    nlu.teach("i live in tilburg and want a job", ("find_job", 0.77))
    chat = Chat(await make_dialogue())
    await chat.agree()
    await chat.say("I live in Tilburg and want a job")
    assert (await state_of(chat)).slots["municipality"] == "GM0855"
    await chat.press("cmd:back")
    chat.expect("In which municipality")  # asked now, not filled in again
    await chat.say("Zwolle")
    assert (await state_of(chat)).slots["municipality"] == "GM0193"


async def test_a_place_alone_asks_what_the_person_wants_to_know(chat: Chat) -> None:
    await chat.say("Budel")  # the scripted NLU: out_of_scope
    chat.expect("Cranendonck")
    assert "place:jobs:GM1706" in chat.buttons and "flow:may_i_work" in chat.buttons
    await chat.press("place:jobs:GM1706")
    state = await state_of(chat)
    assert (state.flow_id, state.step_id, state.slots["municipality"]) == (
        "jobs", "ask_sector", "GM1706")


async def test_i_live_in_a_place_in_dutch_asks_too(chat: Chat) -> None:
    await chat.say("ik woon in azc Budel")
    assert "place:jobs:GM1706" in chat.buttons


async def test_the_weather_somewhere_is_not_a_job_search(chat: Chat) -> None:
    await chat.say("what's the weather in Eindhoven tomorrow")
    state = await state_of(chat)
    assert state.flow_id is None
    assert not any(b.startswith("place:") for b in chat.buttons)


async def test_a_confident_other_question_with_a_place_is_answered_as_asked(
    make_dialogue: MakeDialogue, nlu: Any
) -> None:
    nlu.teach("can i work in tilburg?", ("can_i_work", 0.9))
    chat = Chat(await make_dialogue())
    await chat.agree()
    await chat.say("can I work in Tilburg?")
    assert (await state_of(chat)).flow_id == "may_i_work"
    # and the jobs flow started later does not ask for the place again
    await chat.payload("cmd:menu")
    await chat.press("flow:jobs")
    state = await state_of(chat)
    assert (state.step_id, state.slots["municipality"]) == ("ask_sector", "GM0855")


async def test_a_place_button_for_an_unknown_code_is_refused_kindly(chat: Chat) -> None:
    await chat.payload("place:jobs:GM9999")
    state = await state_of(chat)
    assert (state.flow_id, state.step_id) == ("jobs", "ask_place")
