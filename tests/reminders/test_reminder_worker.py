"""The reminder worker: due reminders sent once, in their language; failures retried or given up.

Time is a hand-moved clock; nothing sleeps. Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import build_services
from bot.content.strings import Strings
from bot.db import repositories as repo
from bot.db.models import Event, Person, utcnow
from bot.delivery import Delivery, Outcome
from bot.dialogue.manager import Dialogue, Services
from bot.flows.render import format_value
from bot.messages import OutgoingMessage
from bot.reminders import service
from bot.reminders.models import Reminder
from bot.reminders.worker import ReminderWorker, remind_forever
from bot.settings import Settings
from tests.reminders.conftest import Clock, Recorder
from tests.support.fakes import ScriptedNLU

DUE_ON = date(2026, 12, 15)
DUE_AT = datetime(2026, 12, 15, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam
STRINGS = Strings.load()


class Crash(BaseException):
    """The process dying: not an error any handler in the code would catch."""


@pytest.fixture
async def services(db_engine: AsyncEngine, settings: Settings) -> Services:
    return await build_services(settings, engine=db_engine, nlu=ScriptedNLU())


async def add_reminder(
    sessions: async_sessionmaker[AsyncSession], who: str, *, channel: str = "web",
    lang: str = "en", kind: str = "work_allowed", active: bool = True,
) -> int:
    async with sessions() as session, session.begin():
        person, _ = await repo.get_or_create_person(session, channel=channel, external_id=who)
        person.consent_at, person.language, person.active = utcnow(), lang, active
        await session.flush()
        reminder = await service.schedule(
            session, person_id=person.id, kind=kind, due_on=DUE_ON, language=lang,
            timezone="Europe/Amsterdam", params={"weeks": 5} if kind == "twv_check" else {})
        return reminder.id


async def row(sessions: async_sessionmaker[AsyncSession], reminder_id: int) -> Reminder:
    async with sessions() as session:
        found = await session.get(Reminder, reminder_id)
    assert found is not None
    return found


def worker_for(services: Services, clock: Clock, recorder: Recorder | None = None,
               *, max_attempts: int = 8, batch: int = 50) -> ReminderWorker:
    delivery = Delivery()
    if recorder is not None:
        delivery.register("web", recorder)
    return ReminderWorker(services.sessions, delivery, services.renderer, now=clock,
                          max_attempts=max_attempts, batch=batch)


async def test_not_sent_before_due_then_exactly_once(services: Services) -> None:
    reminder_id = await add_reminder(services.sessions, "p1")
    clock, recorder = Clock(DUE_AT - timedelta(minutes=1)), Recorder()
    worker = worker_for(services, clock, recorder)
    assert (await worker.run_once()).claimed == 0
    assert recorder.sent == []

    clock.advance(minutes=1)
    assert (await worker.run_once()).sent == 1
    assert (await worker.run_once()).claimed == 0  # the second round finds nothing
    clock.advance(days=3)
    assert (await worker_for(services, clock, recorder).run_once()).claimed == 0
    assert len(recorder.sent) == 1
    done = await row(services.sessions, reminder_id)
    assert (done.status, done.attempts, done.sent_at) == ("sent", 1, DUE_AT)


async def test_a_crash_between_claim_and_send_never_sends_twice(services: Services) -> None:
    reminder_id = await add_reminder(services.sessions, "p1")
    clock = Clock(DUE_AT)

    class Dies(Recorder):
        async def send(self, person: Person, replies: list[OutgoingMessage]) -> Outcome:
            raise Crash

    with pytest.raises(Crash):
        await worker_for(services, clock, Dies()).run_once()
    claimed = await row(services.sessions, reminder_id)
    assert claimed.status == "sent"  # the claim was committed before the send

    recorder = Recorder()  # the restarted process
    clock.advance(hours=1)
    assert (await worker_for(services, clock, recorder).run_once()).claimed == 0
    assert recorder.sent == []


@pytest.mark.parametrize("lang", ["en", "ar", "ti"])
async def test_the_reminder_is_written_in_its_language(services: Services, lang: str) -> None:
    await add_reminder(services.sessions, "p1", lang=lang)
    recorder = Recorder()
    await worker_for(services, Clock(DUE_AT), recorder).run_once()
    [(who, [message])] = recorder.sent
    assert who == "p1" and message.language == lang
    day = format_value(DUE_ON, lang)
    assert message.text == STRINGS.t("reminder.work_allowed", lang, date=day)
    assert not message.machine_translated
    assert [b.payload for b in message.buttons] == ["cmd:coach", "cmd:menu"]


async def test_the_twv_reminder_names_the_legal_term(services: Services) -> None:
    await add_reminder(services.sessions, "p1", kind="twv_check", lang="nl")
    recorder = Recorder()
    await worker_for(services, Clock(DUE_AT), recorder).run_once()
    [(_, [message])] = recorder.sent
    assert "UWV 5 weken om te beslissen" in message.text


async def test_a_blocked_person_is_undeliverable(services: Services) -> None:
    blocked_id = await add_reminder(services.sessions, "p1")
    inactive_id = await add_reminder(services.sessions, "p2", active=False)
    recorder = Recorder(outcome="blocked")
    done = await worker_for(services, Clock(DUE_AT), recorder).run_once()
    assert done.undeliverable == 2
    assert [who for who, _ in recorder.sent] == ["p1"]  # p2 is known inactive: not even tried
    for reminder_id in (blocked_id, inactive_id):
        gone = await row(services.sessions, reminder_id)
        assert (gone.status, gone.sent_at) == ("undeliverable", None)


async def test_an_unavailable_channel_is_retried_later_then_given_up(
    services: Services,
) -> None:
    reminder_id = await add_reminder(services.sessions, "p1", channel="telegram")
    clock = Clock(DUE_AT)
    worker = worker_for(services, clock, None, max_attempts=3)  # no Telegram in this process
    assert (await worker.run_once()).retrying == 1
    waiting = await row(services.sessions, reminder_id)
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert waiting.due_at == DUE_AT + timedelta(minutes=10)
    assert (await worker.run_once()).claimed == 0  # not before the pause is over

    clock.advance(minutes=10)
    assert (await worker.run_once()).retrying == 1
    assert (await row(services.sessions, reminder_id)).due_at == clock() + timedelta(minutes=20)
    clock.advance(minutes=20)
    assert (await worker.run_once()).undeliverable == 1
    assert (await row(services.sessions, reminder_id)).status == "undeliverable"


async def test_a_failed_send_is_retried_and_then_sent(services: Services) -> None:
    reminder_id = await add_reminder(services.sessions, "p1")
    clock, recorder = Clock(DUE_AT), Recorder(outcome="failed")
    worker = worker_for(services, clock, recorder)
    await worker.run_once()
    recorder.outcome = "sent"
    clock.advance(minutes=10)
    assert (await worker.run_once()).sent == 1
    done = await row(services.sessions, reminder_id)
    assert (done.status, done.attempts) == ("sent", 2)
    assert len(recorder.sent) == 2


async def test_the_web_chat_gets_it_in_the_transcript(services: Services) -> None:
    reminder_id = await add_reminder(services.sessions, "visitor-1", lang="ar")
    # the real delivery from build_services: the web outbound is registered there
    worker = ReminderWorker.for_services(services, now=Clock(DUE_AT))
    assert (await worker.run_once()).sent == 1
    async with services.sessions() as session:
        [event] = (await session.scalars(select(Event))).all()
    assert (event.direction, event.kind, event.language) == ("out", "push", "ar")
    assert event.meta["reminder_id"] == reminder_id
    history = await Dialogue(services).history("web", "visitor-1")
    assert history[-1]["text"] == STRINGS.t("reminder.work_allowed", "ar",
                                            date=format_value(DUE_ON, "ar"))


async def test_a_forgotten_person_takes_the_reminder_along(services: Services) -> None:
    reminder_id = await add_reminder(services.sessions, "p1")
    async with services.sessions() as session, session.begin():
        person = await repo.find_person(session, channel="web", external_id="p1")
        assert person is not None
        await session.delete(person)
    async with services.sessions() as session:
        assert await session.get(Reminder, reminder_id) is None
    recorder = Recorder()
    assert (await worker_for(services, Clock(DUE_AT), recorder).run_once()).claimed == 0


async def test_two_workers_at_once_send_each_reminder_once(
    services: Services, db_engine: AsyncEngine
) -> None:
    if db_engine.dialect.name != "postgresql":
        pytest.skip("several sending processes need PostgreSQL (SQLite runs one)")
    for n in range(20):
        await add_reminder(services.sessions, f"p{n}")

    class Slow(Recorder):
        async def send(self, person: Person, replies: list[OutgoingMessage]) -> Outcome:
            await asyncio.sleep(0.01)
            return await super().send(person, replies)

    recorder = Slow()
    clock = Clock(DUE_AT)
    rounds = await asyncio.gather(*(
        worker_for(services, clock, recorder, batch=7).run_once() for _ in range(3)))
    assert sum(r.sent for r in rounds) == 20
    assert sorted(who for who, _ in recorder.sent) == sorted(f"p{n}" for n in range(20))


async def test_the_loop_goes_on_at_once_while_batches_are_full(services: Services) -> None:
    for n in range(5):
        await add_reminder(services.sessions, f"p{n}")
    recorder = Recorder()
    worker = worker_for(services, Clock(DUE_AT), recorder, batch=2)
    # a long pause between rounds: only full batches may skip it
    task = asyncio.create_task(remind_forever(worker, every_seconds=30))
    try:
        for _ in range(100):
            if len(recorder.sent) == 5:
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
    assert sorted(who for who, _ in recorder.sent) == [f"p{n}" for n in range(5)]
