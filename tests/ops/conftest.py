"""The real web app (build_web_app) on a migrated database, with a scripted NLU."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_services, build_web_app
from bot.content.store import read_directory, store_files
from bot.db.session import make_sessionmaker
from bot.dialogue.manager import Dialogue
from bot.settings import ROOT, Settings
from tests.support.fakes import ScriptedNLU

TODAY = date(2026, 11, 28)
VISITOR = "ops-visitor-000000001"
MakeClient = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture(scope="session")
def places() -> Any:
    from bot.jobs.places import Places

    return Places.load()


@pytest.fixture
def nlu() -> ScriptedNLU:
    return ScriptedNLU().teach("hello", ("greet", 0.95)).teach("what is a bsn",
                                                                ("documents/bsn", 0.91))


@pytest.fixture
async def dialogue(
    db_engine: AsyncEngine, settings: Settings, nlu: ScriptedNLU, places: Any
) -> Dialogue:
    async with make_sessionmaker(db_engine)() as session, session.begin():
        await store_files(session, read_directory(ROOT / "flows"), by="test")
    services = await build_services(settings, engine=db_engine, nlu=nlu, today=lambda: TODAY,
                                    places=places)
    return Dialogue(services)


@pytest.fixture
async def app(settings: Settings, dialogue: Dialogue, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    monkeypatch.delenv("METRICS_TOKEN", raising=False)
    return build_web_app(settings, dialogue)


@pytest.fixture
async def make_client(app: FastAPI) -> AsyncIterator[MakeClient]:
    """Clients on the app; `host` is the address the app sees the request come from."""
    opened: list[httpx.AsyncClient] = []

    async def factory(host: str = "127.0.0.1") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(host, 40000))
        client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        opened.append(client)
        return client

    yield factory
    for client in opened:
        await client.aclose()
