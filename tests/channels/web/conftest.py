"""Fixtures: a recording fake chat service and an httpx client on the web chat router.

httpx's ASGITransport rather than starlette's TestClient, which this starlette deprecates.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from web_chat_fakes import LANGUAGES, FakeChatService

from bot.channels.web import build_chat_router


@pytest.fixture
def service() -> FakeChatService:
    return FakeChatService()


@pytest.fixture
async def client(service: FakeChatService) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    app.include_router(build_chat_router(service, languages=LANGUAGES))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
