"""Handoff in the core: request -> ticket, ownership, relay, hand back, close, forget.

The web channel is used (its delivery writes to the transcript), with a fixed clock inside
working hours or outside them, and a translator fake where translation matters.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.db.models import Event, Person
from bot.handoff.coaches import Coaches, HandoffRefused
from bot.handoff.models import MessageLink, RelayMessage, Ticket, TopicCleanup
from bot.handoff.relay import Relay
from bot.web.accounts import create_user
from bot.web.models import User
from tests.support.dialog import Chat
from tests.support.eligibility import to_date

WEDNESDAY_NOON = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)  # 12:00 in Amsterdam
SATURDAY = datetime(2026, 12, 5, 11, 0, tzinfo=UTC)


class FakeTranslator:
    """Marks what it translated, so a test can see which text went which way."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str | None, bool]] = []

    async def translate(self, text: str, *, target: str, source: str | None = None,
                        personal: bool = False) -> str | None:
        self.calls.append((text, target, source, personal))
        return f"[{target}] {text}"


async def coach(dialogue: Any, name: str = "Amina", languages: str = "ti,ar",
                telegram_id: int | None = None) -> User:
    async with dialogue.s.sessions() as session, session.begin():
        user = await create_user(session, email=f"{name.lower()}@example.org", name=name,
                                 role="coach", password="a long enough password",
                                 telegram_id=telegram_id, languages=languages.split(","))
        await session.flush()
        session.expunge(user)
    return user


async def ask_for_coach(chat: Chat) -> None:
    await chat.payload("cmd:coach")
    await chat.press("answer:work_permit")


async def tickets(dialogue: Any) -> list[Ticket]:
    async with dialogue.s.sessions() as session:
        return list((await session.scalars(select(Ticket).order_by(Ticket.id))).all())


async def messages(dialogue: Any, sender: str | None = None) -> list[RelayMessage]:
    async with dialogue.s.sessions() as session:
        query = select(RelayMessage).order_by(RelayMessage.id)
        if sender:
            query = query.where(RelayMessage.sender == sender)
        return list((await session.scalars(query)).all())


async def pushed(dialogue: Any) -> list[Event]:
    async with dialogue.s.sessions() as session:
        return list((await session.scalars(
            select(Event).where(Event.kind == "push").order_by(Event.id))).all())


def at(moment: datetime) -> Any:
    import bot.handoff.desk as desk_module

    return moment, desk_module


async def test_asking_for_a_coach_opens_one_ticket_with_a_summary(chat: Chat,
                                                                  monkeypatch: Any) -> None:
    monkeypatch.setattr("bot.handoff.desk.utcnow", lambda: WEDNESDAY_NOON)
    await coach(chat.dialogue)
    await ask_for_coach(chat)
    chat.expect("job coach", "usually answers within 60 minutes")
    assert "cmd:coach_cancel" in chat.buttons
    found = await tickets(chat.dialogue)
    assert len(found) == 1
    ticket = found[0]
    assert (ticket.status, ticket.reason, ticket.language) == ("waiting", "work_permit", "en")
    assert ticket.summary["slots"]["coach_reason"] == "work_permit"
    # asking again does not open a second ticket
    await chat.payload("cmd:coach")
    chat.expect("already waiting")
    assert len(await tickets(chat.dialogue)) == 1


async def test_outside_working_hours_the_person_hears_when_coaches_start(
        chat: Chat, monkeypatch: Any) -> None:
    monkeypatch.setattr("bot.handoff.desk.utcnow", lambda: SATURDAY)
    await coach(chat.dialogue)
    await ask_for_coach(chat)
    chat.expect("not working right now", "December 7, 2026", "09:00", "message here")


async def test_with_no_coach_registered_nobody_is_promised(chat: Chat) -> None:
    await ask_for_coach(chat)
    chat.expect("no coach is available")


async def test_the_eligibility_answers_reach_the_ticket(chat: Chat) -> None:
    await chat.say("can i work?")
    await chat.press("answer:waiting")
    await chat.press("answer:adult")
    await chat.payload("cmd:coach")
    await chat.press("answer:work_permit")
    ticket = (await tickets(chat.dialogue))[0]
    assert ticket.summary["slots"].get("age") == "adult"
    assert ticket.summary["flow_before"] == "may_i_work"
    assert "can_i_work" in ticket.summary["intents"]


async def test_claimed_conversation_the_bot_stays_silent_and_the_coach_gets_everything(
        chat: Chat) -> None:
    dialogue = chat.dialogue
    amina = await coach(dialogue)
    await ask_for_coach(chat)
    ticket = (await tickets(dialogue))[0]
    await Coaches(dialogue.s).claim(ticket.id, amina, via="console")
    replies = await chat.say("can i work?")
    assert replies == []  # the coach answers, not the bot
    await chat.other("photo")
    assert chat.last == []
    from_person = await messages(dialogue, "person")
    assert [m.text for m in from_person] == ["can i work?", "[photo]"]
    assert all(m.status == "pending" for m in from_person)
    relay = Relay(dialogue.s)
    await relay.run_once()
    assert {m.status for m in await messages(dialogue, "person")} == {"delivered"}
    # the person heard that a coach is here, in the transcript their web chat polls
    assert any("Amina" in (e.text or "") for e in await pushed(dialogue))


async def test_coach_message_is_translated_for_the_person_with_the_original(
        make_dialogue: Any) -> None:
    translator = FakeTranslator()
    dialogue = await make_dialogue(translator=translator)
    chat = Chat(dialogue, user="tigrinya-1", lang="ti")
    await chat.agree()
    amina = await coach(dialogue)
    await ask_for_coach(chat)
    ticket = (await tickets(dialogue))[0]
    assert ticket.language == "ti"
    coaches = Coaches(dialogue.s)
    await coaches.claim(ticket.id, amina, via="console")
    done = await coaches.reply(ticket.id, amina, "Goedemiddag, ik help je met je TWV.",
                               via="console")
    await chat.say("ሰላም")
    await Relay(dialogue.s).run_once()
    coach_row = next(m for m in await messages(dialogue, "coach") if m.id == done.message_id)
    assert coach_row.status == "delivered"
    assert coach_row.translation == "[ti] Goedemiddag, ik help je met je TWV."
    assert coach_row.machine_translated
    last = (await pushed(dialogue))[-1]
    assert last.text is not None and last.text.startswith("Amina: [ti] Goedemiddag")
    assert last.meta["original"] == "Goedemiddag, ik help je met je TWV."
    assert [b[1] for b in last.meta["buttons"]] == [f"original:{coach_row.id}"]
    # the person's own words were translated for the coach, never cached (personal)
    person_row = (await messages(dialogue, "person"))[0]
    assert person_row.translation == "[nl] ሰላም"
    assert ("ሰላም", "nl", "ti", True) in translator.calls
    # one tap shows the original
    await chat.payload(f"original:{coach_row.id}")
    chat.expect("Goedemiddag, ik help je met je TWV.")


async def test_without_a_translator_messages_pass_untranslated_and_say_so(
        make_dialogue: Any) -> None:
    dialogue = await make_dialogue()  # NoTranslator: translation.online is off
    chat = Chat(dialogue, user="arabic-1", lang="ar")
    await chat.agree()
    amina = await coach(dialogue)
    await ask_for_coach(chat)
    ticket = (await tickets(dialogue))[0]
    coaches = Coaches(dialogue.s)
    await coaches.claim(ticket.id, amina, via="console")
    await coaches.reply(ticket.id, amina, "Hello, I am your coach and I will help you today.",
                        via="console")
    await Relay(dialogue.s).run_once()
    last = (await pushed(dialogue))[-1]
    assert last.text is not None
    assert last.text.startswith("Amina: Hello, I am your coach")
    assert last.meta.get("translated") is False
    assert "English" in last.text  # "not translated: the coach wrote this in English"


async def test_hand_back_restores_the_flow_where_the_person_was(chat: Chat) -> None:
    dialogue = chat.dialogue
    amina = await coach(dialogue)
    await chat.say("can i work?")
    await to_date(chat)  # now asked for the application date
    asked = chat.text
    await ask_for_coach(chat)
    ticket = (await tickets(dialogue))[0]
    coaches = Coaches(dialogue.s)
    await coaches.claim(ticket.id, amina, via="console")
    await coaches.release(ticket.id, amina, via="console")
    await Relay(dialogue.s).run_once()
    notice = (await pushed(dialogue))[-1]
    assert "handed you back" in (notice.text or "")
    assert [b[1] for b in notice.meta["buttons"]] == ["cmd:continue", "cmd:menu"]
    await chat.payload("cmd:continue")
    assert chat.text.splitlines()[0] in asked  # the same question as before the coach
    # released: the bot answers again, nothing is relayed
    before = len(await messages(dialogue, "person"))
    await chat.say("hello")
    assert chat.last != []
    assert len(await messages(dialogue, "person")) == before


async def test_only_one_coach_can_claim_and_others_are_refused(chat: Chat) -> None:
    dialogue = chat.dialogue
    amina, berhane = await coach(dialogue), await coach(dialogue, "Berhane", "ti")
    await ask_for_coach(chat)
    ticket = (await tickets(dialogue))[0]
    coaches = Coaches(dialogue.s)
    import asyncio

    results = await asyncio.gather(coaches.claim(ticket.id, amina, via="console"),
                                   coaches.claim(ticket.id, berhane, via="telegram"),
                                   return_exceptions=True)
    refused = [r for r in results if isinstance(r, HandoffRefused)]
    assert len(refused) == 1
    assert "claimed by" in str(refused[0])
    owner = (await tickets(dialogue))[0]
    loser = berhane if owner.coach_id == amina.id else amina
    try:
        await coaches.reply(ticket.id, loser, "hi", via="console")
    except HandoffRefused as exc:
        assert "belongs to" in str(exc)
    else:
        raise AssertionError("a coach who does not own the ticket could write to the person")


async def test_routing_prefers_language_then_region(chat: Chat) -> None:
    dialogue = chat.dialogue
    await coach(dialogue, "Sara", "fr")
    await coach(dialogue, "Amina", "en,ti")
    await ask_for_coach(chat)
    ticket = (await tickets(dialogue))[0]
    assert [s[1] for s in ticket.suggested] == ["Amina"]
    assert "speaks en" in ticket.suggested[0][2]


async def test_blocked_person_message_is_undelivered_and_kept(chat: Chat) -> None:
    dialogue = chat.dialogue
    amina = await coach(dialogue)
    await ask_for_coach(chat)
    ticket = (await tickets(dialogue))[0]
    coaches = Coaches(dialogue.s)
    await coaches.claim(ticket.id, amina, via="console")
    async with dialogue.s.sessions() as session, session.begin():
        person = (await session.scalars(select(Person))).one()
        person.active = False
    await coaches.reply(ticket.id, amina, "Are you still there?", via="console")
    await Relay(dialogue.s).run_once()
    row = [m for m in await messages(dialogue, "coach")][-1]
    assert row.status == "undelivered"
    assert row.text == "Are you still there?"


async def test_cancel_and_close(chat: Chat) -> None:
    dialogue = chat.dialogue
    amina = await coach(dialogue)
    await ask_for_coach(chat)
    await chat.press("cmd:coach_cancel")
    chat.expect("cancelled")
    assert (await tickets(dialogue))[0].status == "closed"
    await ask_for_coach(chat)  # a new request: a new ticket
    found = await tickets(dialogue)
    assert [t.status for t in found] == ["closed", "waiting"]
    coaches = Coaches(dialogue.s)
    await coaches.claim(found[1].id, amina, via="console")
    await coaches.close(found[1].id, amina, via="console")
    await Relay(dialogue.s).run_once()
    assert "closed this conversation" in ((await pushed(dialogue))[-1].text or "")
    replies = await chat.say("hello")
    assert replies  # the bot is back


async def test_forget_deletes_tickets_messages_links_and_queues_topic_removal(
        chat: Chat) -> None:
    dialogue = chat.dialogue
    amina = await coach(dialogue)
    await ask_for_coach(chat)
    ticket = (await tickets(dialogue))[0]
    async with dialogue.s.sessions() as session, session.begin():
        row = await session.get(Ticket, ticket.id)
        assert row is not None
        row.topic_thread_id, row.topic_state = 77, "open"
    coaches = Coaches(dialogue.s)
    await coaches.claim(ticket.id, amina, via="console")
    await chat.say("my message for the coach")
    async with dialogue.s.sessions() as session, session.begin():
        first = (await session.scalars(select(RelayMessage))).first()
        assert first is not None
        session.add(MessageLink(message_id=first.id, person_id=first.person_id, side="person",
                                chat_id=1, telegram_message_id=2))
    await chat.payload("cmd:forget")  # still works while a coach owns the conversation
    await chat.press("cmd:forget_yes")
    async with dialogue.s.sessions() as session:
        for model in (Person, Ticket, RelayMessage, MessageLink):
            assert await session.scalar(select(func.count()).select_from(model)) == 0
        cleanup = (await session.scalars(select(TopicCleanup))).all()
        assert [c.thread_id for c in cleanup] == [77]


async def test_person_and_coach_writing_at_the_same_moment_lose_nothing(chat: Chat) -> None:
    import asyncio

    dialogue = chat.dialogue
    amina = await coach(dialogue)
    await ask_for_coach(chat)
    ticket = (await tickets(dialogue))[0]
    coaches = Coaches(dialogue.s)
    await coaches.claim(ticket.id, amina, via="console")
    relay = Relay(dialogue.s)
    await asyncio.gather(
        *(chat.say(f"person line {n}") for n in range(5)),
        *(coaches.reply(ticket.id, amina, f"coach line {n}", via="console") for n in range(5)),
        relay.run_once(),
    )
    while await relay.run_once():
        pass
    rows = await messages(dialogue)
    person = [m.text for m in rows if m.sender == "person"]
    from_coach = [m.text for m in rows if m.sender == "coach"]
    assert sorted(person) == [f"person line {n}" for n in range(5)]
    assert sorted(from_coach) == [f"coach line {n}" for n in range(5)]
    assert {m.status for m in rows if m.sender in ("person", "coach", "bot")} == {"delivered"}
    # the person's page got every coach line exactly once
    texts = [e.text for e in await pushed(dialogue)]
    for n in range(5):
        assert sum(1 for t in texts if t and t.endswith(f"coach line {n}")) == 1


async def test_a_relay_that_died_while_sending_is_taken_over_after_its_lease(
        chat: Chat) -> None:
    from datetime import timedelta

    dialogue = chat.dialogue
    amina = await coach(dialogue)
    await ask_for_coach(chat)
    ticket = (await tickets(dialogue))[0]
    coaches = Coaches(dialogue.s)
    await coaches.claim(ticket.id, amina, via="console")
    done = await coaches.reply(ticket.id, amina, "Are you free on Monday?", via="console")
    dead = Relay(dialogue.s)
    taken = await dead._take()  # the process takes its messages, then is killed
    assert done.message_id in [job.id for job in taken]
    fresh = Relay(dialogue.s)
    assert await fresh.run_once() == 0  # the lease still runs: nobody sends it twice
    async with dialogue.s.sessions() as session, session.begin():
        for row in (await session.scalars(select(RelayMessage).where(
                RelayMessage.status == "sending"))).all():
            assert row.lease_until is not None
            row.lease_until = row.lease_until - timedelta(minutes=5)
    assert await fresh.run_once() >= 1
    row = next(m for m in await messages(dialogue) if m.id == done.message_id)
    assert row.status == "delivered"
    assert sum(1 for e in await pushed(dialogue)
               if (e.text or "").endswith("Are you free on Monday?")) == 1


async def test_tickets_waiting_too_long_are_pointed_out_once_per_period(chat: Chat) -> None:
    from datetime import timedelta

    dialogue = chat.dialogue
    await coach(dialogue)
    await ask_for_coach(chat)
    ticket = (await tickets(dialogue))[0]
    async with dialogue.s.sessions() as session, session.begin():
        row = await session.get(Ticket, ticket.id)
        assert row is not None
        row.requested_at = WEDNESDAY_NOON - timedelta(minutes=30)
    relay = Relay(dialogue.s)
    assert await relay._overdue(WEDNESDAY_NOON) == []  # 30 working minutes: not yet
    relay._last_overdue_check = None
    later = WEDNESDAY_NOON + timedelta(minutes=45)  # 75 minutes > reply_minutes (60)
    assert await relay._overdue(later) == [ticket.id]
    relay._last_overdue_check = None
    assert await relay._overdue(later + timedelta(minutes=10)) == []  # said once per period
    relay._last_overdue_check = None
    saturday = SATURDAY + timedelta(days=7)
    assert await relay._overdue(saturday) == []  # nobody to tell on a day off


async def test_retention_deletes_old_coach_messages_and_closed_tickets(chat: Chat) -> None:
    from datetime import timedelta

    from bot.privacy import purge_expired

    dialogue = chat.dialogue
    amina = await coach(dialogue)
    await ask_for_coach(chat)
    ticket = (await tickets(dialogue))[0]
    coaches = Coaches(dialogue.s)
    await coaches.claim(ticket.id, amina, via="console")
    await coaches.reply(ticket.id, amina, "an old message", via="console")
    await coaches.close(ticket.id, amina, via="console")
    async with dialogue.s.sessions() as session, session.begin():
        for row in (await session.scalars(select(RelayMessage))).all():
            row.at = row.at - timedelta(days=200)
        closed = await session.get(Ticket, ticket.id)
        assert closed is not None and closed.closed_at is not None
        closed.closed_at = closed.closed_at - timedelta(days=200)
    await purge_expired(dialogue.s.sessions, days=180)
    assert await messages(dialogue) == []
    assert await tickets(dialogue) == []


async def test_cancelling_the_request_goes_back_to_where_the_person_was(chat: Chat) -> None:
    await chat.say("can i work?")
    await to_date(chat)  # now asked for the application date
    asked = chat.last[-1].text
    assert "On what date" in asked
    await ask_for_coach(chat)
    await chat.press("cmd:coach_cancel")
    chat.expect("cancelled", asked)


async def test_a_silent_coach_is_pointed_out_and_the_person_can_go_back_to_the_bot(
        chat: Chat, monkeypatch: Any) -> None:
    from datetime import timedelta

    dialogue = chat.dialogue
    amina = await coach(dialogue)
    await ask_for_coach(chat)
    ticket = (await tickets(dialogue))[0]
    await Coaches(dialogue.s).claim(ticket.id, amina, via="console")
    async with dialogue.s.sessions() as session, session.begin():
        claimed = await session.get(Ticket, ticket.id)
        assert claimed is not None
        claimed.claimed_at = WEDNESDAY_NOON - timedelta(minutes=1)
    monkeypatch.setattr("bot.handoff.desk.utcnow", lambda: WEDNESDAY_NOON)
    assert await chat.say("hello, are you there?") == []  # the coach just claimed: no notice
    async with dialogue.s.sessions() as session, session.begin():
        for row in (await session.scalars(select(RelayMessage).where(
                RelayMessage.sender == "person"))).all():
            row.at = WEDNESDAY_NOON
    later = WEDNESDAY_NOON + timedelta(minutes=61)  # past the team's reply_minutes (60)
    monkeypatch.setattr("bot.handoff.desk.utcnow", lambda: later)
    await chat.say("hello?")
    chat.expect("has not answered yet")
    assert chat.buttons == ["cmd:coach_cancel"]
    assert await chat.say("still there?") == []  # told once per period, not every message
    # the coaches hear of it too
    assert await Relay(dialogue.s)._overdue(later) == [ticket.id]
    await chat.payload("cmd:coach_cancel")  # the button under the notice
    chat.expect("back with Werkpad")
    assert (await tickets(dialogue))[0].status == "released"
    assert await chat.say("hello") != []  # the bot answers again


async def test_outside_working_hours_a_waiting_person_hears_when_coaches_start(
        chat: Chat, monkeypatch: Any) -> None:
    dialogue = chat.dialogue
    amina = await coach(dialogue)
    await ask_for_coach(chat)
    ticket = (await tickets(dialogue))[0]
    await Coaches(dialogue.s).claim(ticket.id, amina, via="console")
    # the person writes on the next Saturday after the real clock: the message is saved at the
    # clock's time, so the day off must come after it (a fixed date expired on 5 Dec 2026)
    now = datetime.now(UTC)
    saturday = (now + timedelta(days=(5 - now.weekday()) % 7 or 7)).replace(
        hour=11, minute=0, second=0, microsecond=0)
    monday = saturday + timedelta(days=2)
    monkeypatch.setattr("bot.handoff.desk.utcnow", lambda: saturday)
    await chat.say("are you there?")
    chat.expect("not working right now", f"{monday:%B} {monday.day}, {monday.year}")
    assert chat.buttons == ["cmd:coach_cancel"]
