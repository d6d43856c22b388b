"""Shared fixtures: settings, a migrated database on SQLite and PostgreSQL, the dialogue."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.app import load_nlu
from bot.db.migrate import upgrade
from bot.db.session import make_engine
from bot.nlu.base import NLUEngine
from bot.settings import ROOT, Settings, load_settings

POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def make_settings(tmp_path: Path, **env: str) -> Settings:
    return load_settings(ROOT / "config.yml", env=env)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture(scope="session")
def real_nlu() -> NLUEngine:
    """The embedded NLU trained on nlu/, once per test session (loaded from var/nlu-cache when
    it is there). On a fresh checkout this trains from scratch, about 2 minutes on two cores
    and longer while CI trains Rasa beside it, so no start-up deadline may include it."""
    return load_nlu(make_settings(ROOT))


async def postgres_engine() -> tuple[AsyncEngine, str]:
    """An engine on a fresh schema of the `test` database, so tests never see each other."""
    schema = f"t_{secrets.token_hex(6)}"
    admin = create_async_engine(POSTGRES_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    await admin.dispose()
    engine = create_async_engine(
        POSTGRES_URL, connect_args={"server_settings": {"search_path": schema}}
    )
    return engine, schema


async def drop_schema(schema: str) -> None:
    admin = create_async_engine(POSTGRES_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    await admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db_engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'werkpad.sqlite3'}")
        await upgrade(engine)
        yield engine
        await engine.dispose()
        return
    engine, schema = await postgres_engine()
    try:
        await upgrade(engine)
        yield engine
    finally:
        await engine.dispose()
        await asyncio.shield(drop_schema(schema))
