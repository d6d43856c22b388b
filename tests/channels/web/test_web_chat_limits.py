"""The web chat's limits (issue 15 item 4): per network address before the body is read, per
visitor after it; refused with 429 and Retry-After, the core never called, so nothing is
stored, and the page keeps the text (chat.js: 'tooFast')."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from web_chat_fakes import LANGUAGES, VISITOR, FakeChatService

from bot.channels.web import build_chat_router
from bot.ratelimit import ChatLimits
from bot.settings import ChatSettings

MESSAGE_URL = "/chat/api/message"


class LimitedService(FakeChatService):
    def __init__(self, **chat: int) -> None:
        super().__init__()
        self.limits = ChatLimits(ChatSettings(**chat))


def client_from(service: FakeChatService, address: str) -> httpx.AsyncClient:
    app = FastAPI()
    app.include_router(build_chat_router(service, languages=LANGUAGES))
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_one_visitor_over_the_limit_gets_429_and_the_core_is_not_called() -> None:
    service = LimitedService(messages_per_minute=5)
    async with client_from(service, "203.0.113.7") as client:
        for n in range(5):
            ok = await client.post(MESSAGE_URL, json={"visitor": VISITOR, "text": f"hi {n}"})
            assert ok.status_code == 200
        refused = await client.post(MESSAGE_URL, json={"visitor": VISITOR, "text": "again"})
        assert refused.status_code == 429
        assert refused.json()["error"] == "too_fast"
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert len(service.handled) == 5
        assert all(m.counted and m.origin == "203.0.113.7" for m in service.handled)
        other = await client.post(MESSAGE_URL, json={"visitor": "another-visitor-0001",
                                                     "text": "hello"})
        assert other.status_code == 200  # the same address, another person


async def test_one_address_over_its_limit_is_refused_before_the_body_is_read() -> None:
    service = LimitedService(messages_per_address_per_minute=10)
    async with client_from(service, "2001:db8:5:6::1") as client:
        for n in range(10):  # ten new visitors, one message each
            ok = await client.post(MESSAGE_URL, json={"visitor": f"visitor-{n:04d}-abcdef",
                                                      "text": "hi"})
            assert ok.status_code == 200
        refused = await client.post(MESSAGE_URL, content=b"not even json")
        assert refused.status_code == 429  # not 422: the body was never read
    async with client_from(service, "2001:db8:5:6::ffff") as client:  # the same /64
        refused = await client.post(MESSAGE_URL, json={"visitor": VISITOR, "text": "hi"})
        assert refused.status_code == 429
    async with client_from(service, "198.51.100.9") as client:
        ok = await client.post(MESSAGE_URL, json={"visitor": VISITOR, "text": "hi"})
        assert ok.status_code == 200
    assert len(service.handled) == 11
