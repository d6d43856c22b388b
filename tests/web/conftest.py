"""The whole web app (web chat + console) on a migrated database, with console users.

httpx's ASGITransport drives the app in-process; the real content from flows/ is published
in the database first, as `content import` does.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_services, build_web_app
from bot.content.store import read_directory, store_files
from bot.db.session import make_sessionmaker
from bot.dialogue.manager import Dialogue, Services
from bot.settings import ROOT, Settings
from bot.web import accounts
from tests.support.fakes import ScriptedNLU

ADMIN = ("admin@example.org", "Ada Admin", "correct horse battery")
COACH = ("coach@example.org", "Cas Coach", "staple paper clip 42")
BASE = "http://testserver"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def places() -> Any:
    from bot.jobs.places import Places

    return Places.load()


@pytest.fixture
def nlu() -> ScriptedNLU:
    return ScriptedNLU().teach("hello", ("greet", 0.95)).teach(
        "how long does a twv take", ("work_permit/how_long", 0.9))


@dataclass
class Site:
    app: FastAPI
    services: Services
    dialogue: Dialogue
    engine: AsyncEngine


async def make_site(
    settings: Settings, engine: AsyncEngine, nlu: ScriptedNLU, places: Any, **overrides: Any
) -> Site:
    sessions = make_sessionmaker(engine)
    async with sessions() as session, session.begin():
        await store_files(session, read_directory(ROOT / "flows"), by="import")
        for email, name, password in (ADMIN, COACH):
            await accounts.create_user(
                session, email=email, name=name, password=password,
                role="admin" if email == ADMIN[0] else "coach",
            )
    services = await build_services(settings, engine=engine, nlu=nlu, places=places, **overrides)
    dialogue = Dialogue(services)
    return Site(build_web_app(settings, dialogue), services, dialogue, engine)


@pytest.fixture
async def site(db_engine: AsyncEngine, settings: Settings, nlu: ScriptedNLU, places: Any) -> Site:
    return await make_site(settings, db_engine, nlu, places)


@pytest.fixture
async def anon(site: Site) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(site.app) as client:
        yield client


@pytest.fixture
async def admin(site: Site) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(site.app) as client:
        await login(client, ADMIN[0], ADMIN[2])
        yield client


@pytest.fixture
async def coach(site: Site) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(site.app) as client:
        await login(client, COACH[0], COACH[2])
        yield client


def client_for(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE)


def csrf_token(html: str) -> str:
    match = _TOKEN.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


async def login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    page = await client.get("/console/login")
    assert page.status_code == 200
    response = await client.post("/console/login", data={
        "csrf_token": csrf_token(page.text), "email": email, "password": password,
        "next": "/console/",
    })
    return response


async def token_of(client: httpx.AsyncClient) -> str:
    """The signed-in session's CSRF token, read from a page as a browser would."""
    page = await client.get("/console/")
    assert page.status_code == 200, page.text
    return csrf_token(page.text)
