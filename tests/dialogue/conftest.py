"""A real Dialogue on a migrated database (SQLite and PostgreSQL) with the real content."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_services
from bot.content.store import read_directory, store_files
from bot.db.session import make_sessionmaker
from bot.dialogue.manager import Dialogue
from bot.settings import ROOT, Settings
from tests.support.dialog import Chat
from tests.support.fakes import ScriptedNLU

TODAY = date(2026, 11, 28)
MakeDialogue = Callable[..., Awaitable[Dialogue]]


@pytest.fixture(scope="session")
def places() -> Any:
    from bot.jobs.places import Places

    return Places.load()


@pytest.fixture
def nlu() -> ScriptedNLU:
    return (
        ScriptedNLU()
        .teach("can i work?", ("can_i_work", 0.93))
        .teach("how much does a twv cost?", ("work_permit/cost_conditions", 0.88),
               ("work_permit/how_long", 0.05))
        .teach("what is a bsn", ("documents/bsn", 0.91))
        .teach("papers", ("documents/w_document", 0.42), ("work_permit/what_is_twv", 0.33),
               ("greet", 0.31))
        .teach("hello", ("greet", 0.95))
        .teach("i want a person", ("request_human", 0.9))
    )


@pytest.fixture
async def make_dialogue(
    db_engine: AsyncEngine, settings: Settings, nlu: ScriptedNLU, places: Any
) -> MakeDialogue:
    sessions = make_sessionmaker(db_engine)
    async with sessions() as session, session.begin():
        await store_files(session, read_directory(ROOT / "flows"), by="test")

    async def factory(today: date = TODAY, **overrides: Any) -> Dialogue:
        services = await build_services(
            settings, engine=db_engine, nlu=overrides.pop("nlu", nlu),
            today=lambda: today, places=places, **overrides,
        )
        return Dialogue(services)

    return factory


@pytest.fixture
async def chat(make_dialogue: MakeDialogue) -> Chat:
    """A person who has already agreed to the privacy notice."""
    c = Chat(await make_dialogue())
    await c.agree()
    return c
