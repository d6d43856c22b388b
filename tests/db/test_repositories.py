"""Storage contract, run on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import repositories as repo
from bot.db.models import Event, Person
from bot.db.session import make_sessionmaker


async def test_migrations_create_every_table(db_engine: AsyncEngine) -> None:
    async with db_engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {"people", "conversation_states", "events", "content_versions"} <= tables


async def test_person_is_created_once_per_channel_id(db_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(db_engine)
    async with sessions() as s, s.begin():
        first, created = await repo.get_or_create_person(s, channel="web", external_id="a" * 20)
        assert created
    async with sessions() as s, s.begin():
        again, created = await repo.get_or_create_person(s, channel="web", external_id="a" * 20)
        assert not created and again.id == first.id
        other, created = await repo.get_or_create_person(s, channel="shell", external_id="a" * 20)
        assert created and other.id != first.id
        assert len(first.pseudonym) == 12


async def test_timestamps_come_back_timezone_aware(db_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(db_engine)
    moment = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    async with sessions() as s, s.begin():
        person, _ = await repo.get_or_create_person(s, channel="web", external_id="tz-person-01")
        await repo.add_event(s, person_id=person.id, direction="in", kind="text", text="hoi",
                             at=moment)
    async with sessions() as s:
        event = await s.scalar(select(Event))
        assert event is not None and event.at == moment and event.at.tzinfo is not None


async def test_state_round_trips_json_slots(db_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(db_engine)
    async with sessions() as s, s.begin():
        person, _ = await repo.get_or_create_person(s, channel="web", external_id="slots-person")
        state = await repo.get_state(s, person_id=person.id)
        state.flow_id, state.step_id = "may_i_work", "ask_date"
        state.slots = {"application_date": "2025-03-15", "name": "سلام"}
        state.back_stack = [["ask_age", {}]]
    async with sessions() as s:
        state = await repo.get_state(s, person_id=person.id)
        assert state.slots == {"application_date": "2025-03-15", "name": "سلام"}
        assert state.back_stack == [["ask_age", {}]]


async def test_deleting_a_person_deletes_state_and_events(db_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(db_engine)
    async with sessions() as s, s.begin():
        person, _ = await repo.get_or_create_person(s, channel="web", external_id="forget-me-01")
        await repo.get_state(s, person_id=person.id)
        await repo.add_event(s, person_id=person.id, direction="in", kind="text", text="x")
    async with sessions() as s, s.begin():
        await s.delete(await s.get(Person, person.id))
    async with sessions() as s:
        assert await s.scalar(select(Event)) is None
        assert (await repo.find_person(s, channel="web", external_id="forget-me-01")) is None


async def test_content_versions_only_grow_when_the_body_changes(db_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(db_engine)
    async with sessions() as s, s.begin():
        first = await repo.save_content_version(s, kind="flow", key="f", body="a: 1\n",
                                                created_by="test")
        same = await repo.save_content_version(s, kind="flow", key="f", body="a: 1\n",
                                               created_by="test")
        second = await repo.save_content_version(s, kind="flow", key="f", body="a: 2\n",
                                                 created_by="test")
        await repo.save_content_version(s, kind="rules", key="rules", body="r\n",
                                        created_by="test")
    assert first is not None and first.version == 1
    assert same is None
    assert second is not None and second.version == 2
    async with sessions() as s:
        latest = await repo.latest_content(s)
        found = [(c.kind, c.key, c.version) for c in latest]
        assert found == [("flow", "f", 2), ("rules", "rules", 1)]
