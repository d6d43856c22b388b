"""/privacy, /forget and the retention purge: what we promise in the consent text is true."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.models import Event, Person, utcnow
from bot.privacy import purge_expired
from tests.dialogue.conftest import MakeDialogue
from tests.support.dialog import Chat
from tests.support.eligibility import to_date


async def rows_about(engine: AsyncEngine, person_id: int) -> dict[str, int]:
    """Every table with a person_id column, and how many of its rows name this person."""
    async with engine.connect() as conn:
        tables = await conn.run_sync(
            lambda c: {t: [col["name"] for col in inspect(c).get_columns(t)]
                       for t in inspect(c).get_table_names()}
        )
        counts: dict[str, int] = {}
        for table, columns in tables.items():
            column = "id" if table == "people" else "person_id"
            if column in columns:
                found = await conn.execute(
                    text(f'SELECT count(*) FROM "{table}" WHERE "{column}" = :p'), {"p": person_id}
                )
                counts[table] = int(found.scalar() or 0)
    return counts


async def test_forget_asks_first_then_deletes_every_row_about_the_person(
    make_dialogue: MakeDialogue, db_engine: AsyncEngine
) -> None:
    chat = Chat(await make_dialogue(), user="forget-me")
    await chat.agree()
    await chat.say("can I work?")
    await to_date(chat)
    await chat.say("01-02-2026")
    async with chat.dialogue.s.sessions() as session:
        person = await session.scalar(select(Person))
        assert person is not None
    before = await rows_about(db_engine, person.id)
    assert before["people"] == 1 and before["events"] > 0 and before["conversation_states"] == 1

    await chat.say("/forget")
    chat.expect("delete everything", "cannot be undone")
    await chat.press("No, keep it")
    chat.expect("nothing was deleted")
    assert (await rows_about(db_engine, person.id))["events"] > before["events"] - 1

    await chat.say("/forget")
    await chat.press("Yes, delete everything")
    chat.expect("I deleted everything")
    after = await rows_about(db_engine, person.id)
    assert set(after) >= {"people", "conversation_states", "events"}
    assert all(count == 0 for count in after.values()), after

    await chat.say("hello")  # a new start: the consent question again
    chat.expect("Do you agree?")


async def test_forget_before_consent_also_works(make_dialogue: MakeDialogue) -> None:
    chat = Chat(await make_dialogue(), user="early-forget")
    await chat.say("what is a BSN")
    await chat.say("/forget")
    await chat.press("cmd:forget_yes")
    chat.expect("I deleted everything")
    async with chat.dialogue.s.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 0


async def test_privacy_explains_what_is_kept_and_for_how_long(chat: Chat) -> None:
    await chat.say("/privacy")
    chat.expect("What I save", "180 days", "/forget")


async def test_retention_deletes_old_events_and_people_gone_quiet(
    make_dialogue: MakeDialogue,
) -> None:
    active = Chat(await make_dialogue(), user="still-here")
    await active.agree()
    quiet = Chat(await make_dialogue(), user="gone-quiet")
    await quiet.agree()
    sessions = active.dialogue.s.sessions
    old = utcnow() - timedelta(days=200)
    async with sessions() as session, session.begin():
        people = {p.external_id: p for p in await session.scalars(select(Person))}
        people["gone-quiet"].last_seen = old
        session.add(Event(person_id=people["still-here"].id, direction="in", kind="text",
                          text="an old message", at=old, meta={}))
    events, gone = await purge_expired(sessions, days=180)
    assert gone == 1 and events >= 1
    async with sessions() as session:
        left = {p.external_id for p in await session.scalars(select(Person))}
        texts = [e.text for e in await session.scalars(select(Event))]
    assert left == {"still-here"}
    assert "an old message" not in texts and texts  # recent messages stay


async def people(chat: Chat) -> int:
    async with chat.dialogue.s.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Person)) or 0)


@pytest.mark.parametrize(("lang", "yes"), [("en", "yes"), ("nl", "ja"), ("ar", "نعم"),
                                           ("tr", "evet")])
async def test_yes_typed_to_the_forget_question_deletes(
    make_dialogue: MakeDialogue, lang: str, yes: str
) -> None:
    chat = Chat(await make_dialogue(), user=f"typed-yes-{lang}")
    await chat.agree()
    await chat.payload(f"lang:{lang}")
    await chat.say("/forget")
    await chat.say(yes)
    assert await people(chat) == 0


async def test_no_typed_keeps_everything_and_other_words_go_on_as_usual(
    make_dialogue: MakeDialogue,
) -> None:
    chat = Chat(await make_dialogue(), user="typed-no")
    await chat.agree()
    await chat.say("/forget")
    await chat.say("no")
    chat.expect("nothing was deleted")
    await chat.say("/forget")
    await chat.say("can I work?")  # not an answer: the question is dropped, the message is read
    chat.expect("where is your asylum case now?")
    await chat.say("yes")  # no longer about deleting
    assert await people(chat) == 1


async def test_yes_typed_to_forget_before_consent_deletes_and_does_not_consent(
    make_dialogue: MakeDialogue,
) -> None:
    chat = Chat(await make_dialogue(), user="early-typed-yes")
    await chat.say("hello")
    await chat.say("/forget")
    await chat.say("yes")
    chat.expect("I deleted everything")
    assert await people(chat) == 0


async def test_asking_in_words_to_be_forgotten_reaches_the_forget_question(
    make_dialogue: MakeDialogue, nlu: Any
) -> None:
    nlu.teach("please delete everything you have about me", ("forget_me", 0.91))
    chat = Chat(await make_dialogue(), user="words-forget")
    await chat.agree()
    await chat.say("please delete everything you have about me")
    assert chat.buttons[:2] == ["cmd:forget_yes", "cmd:forget_no"]
    await chat.say("yes")
    assert await people(chat) == 0


async def test_a_forget_request_before_consent_is_not_taken_as_a_question(
    make_dialogue: MakeDialogue, nlu: Any
) -> None:
    nlu.teach("vergeet mij", ("forget_me", 0.88))
    chat = Chat(await make_dialogue(), user="words-forget-early")
    await chat.say("hallo")
    await chat.say("vergeet mij")
    assert chat.buttons[:2] == ["cmd:forget_yes", "cmd:forget_no"]
    await chat.press("cmd:forget_yes")
    assert await people(chat) == 0


async def test_an_unsure_forget_reading_does_not_ask_to_delete(
    make_dialogue: MakeDialogue, nlu: Any
) -> None:
    nlu.teach("forget it, where is the station", ("forget_me", 0.3), ("out_of_scope", 0.2))
    chat = Chat(await make_dialogue(), user="words-forget-unsure")
    await chat.agree()
    await chat.say("forget it, where is the station")
    assert "cmd:forget_yes" not in chat.buttons
    assert await people(chat) == 1
