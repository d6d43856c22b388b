"""Alembic migrations: down and up again work, and the result matches the models exactly."""

from __future__ import annotations

import importlib

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.migrate import downgrade, upgrade
from bot.db.models import Base

for module in ("bot.jobs.models", "bot.web.models", "bot.language.models",
               "bot.reminders.models", "bot.handoff.models"):
    importlib.import_module(module)


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_the_migrated_schema_matches_the_models(db_engine: AsyncEngine) -> None:
    async with db_engine.connect() as conn:
        differences = await conn.run_sync(_differences)
    assert differences == []


async def test_downgrade_to_nothing_and_upgrade_again(db_engine: AsyncEngine) -> None:
    await downgrade(db_engine, "base")
    async with db_engine.connect() as conn:
        left = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert left <= {"alembic_version"}
    await upgrade(db_engine)
    async with db_engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert set(Base.metadata.tables) <= tables
