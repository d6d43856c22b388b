"""A message sent again with the same message_id (the web chat retries after a lost answer)
is answered as the first time and changes nothing: a resent "yes" is not applied to the next
question (issue 15, item 5)."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import ConversationState, Event, Person
from bot.messages import IncomingMessage
from tests.dialogue.conftest import MakeDialogue
from tests.support.dialog import Chat


async def where(chat: Chat) -> tuple[str | None, str | None, dict[str, object]]:
    async with chat.dialogue.s.sessions() as session:
        person = (await session.scalars(select(Person).where(
            Person.external_id == chat.user))).one()
        state = await session.get(ConversationState, person.id)
        assert state is not None
        return state.flow_id, state.step_id, dict(state.slots)


async def incoming(chat: Chat) -> list[Event]:
    async with chat.dialogue.s.sessions() as session:
        return list((await session.scalars(select(Event).where(
            Event.direction == "in").order_by(Event.id))).all())


async def test_a_resent_button_press_is_answered_again_and_applied_once(
        make_dialogue: MakeDialogue) -> None:
    chat = Chat(await make_dialogue(), user="retry-person")
    await chat.agree()
    await chat.say("can I work?")
    button = chat.last[-1].buttons[0]
    press = IncomingMessage(channel="web", external_id=chat.user, kind="button",
                            payload=button.payload, text=button.label, message_id="m-0001")
    first = await chat.send(press)
    after_first = await where(chat)
    again = await chat.send(press)  # the answer was lost on the way: the page sends it again
    assert [r.text for r in again] == [r.text for r in first]
    assert [[b.payload for b in r.buttons] for r in again] == \
        [[b.payload for b in r.buttons] for r in first]
    assert all(r.meta.get("repeat") for r in again)
    assert await where(chat) == after_first  # not applied to the next question
    ids = [e.meta.get("message_id") for e in await incoming(chat)]
    assert ids.count("m-0001") == 1


async def test_the_same_words_with_a_new_message_id_are_a_new_message(
        make_dialogue: MakeDialogue) -> None:
    chat = Chat(await make_dialogue(), user="retry-person-2")
    await chat.agree()
    for n in (1, 2):
        await chat.send(IncomingMessage(channel="web", external_id=chat.user,
                                        text="what is a bsn", message_id=f"bsn-{n}"))
        assert not any(r.meta.get("repeat") for r in chat.last)
    ids = [e.meta.get("message_id") for e in await incoming(chat)]
    assert ids.count("bsn-1") == 1 and ids.count("bsn-2") == 1


async def test_a_resent_yes_to_forget_deletes_once_and_the_retry_is_told_kindly(
        make_dialogue: MakeDialogue) -> None:
    """Nothing is left to answer from: the retry gets an ordinary reply, no crash."""
    chat = Chat(await make_dialogue(), user="retry-forget")
    await chat.agree()
    await chat.say("/forget")
    yes = IncomingMessage(channel="web", external_id=chat.user, kind="button",
                          payload="cmd:forget_yes", message_id="forget-1")
    await chat.send(yes)
    replies = await chat.send(yes)
    assert replies and all(r.text for r in replies)
    async with chat.dialogue.s.sessions() as session:
        left = (await session.scalars(select(Person).where(
            Person.external_id == chat.user))).all()
    assert all(p.consent_at is None for p in left)
