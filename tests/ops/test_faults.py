"""Faults of the services around the bot (issue 8, item 4), where other tests leave gaps.

Already covered elsewhere, and not repeated here:
- Rasa answering 500 or timing out (httpx mock): tests/nlu/test_rasa_client.py
- the translator refusing, failing or slow: tests/language/test_translate.py, and the
  dialogue's English fallback (marked): tests/dialogue/test_bad_input.py
- the Bot API answering 429 (waited out, sent once) and 502 (retried, then taken up again
  later): tests/channels/telegram/test_telegram_errors.py
Added here: a Rasa server that is down (connection refused) or hangs, through the real
engine factory and the real dialogue; the real translator hanging, through the renderer;
and the sender's backoff timing for 500/503 and the 429 wait, over PTB's request layer.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

from bot.app import build_services, load_nlu
from bot.channels.telegram.formatting import Part
from bot.channels.telegram.sender import TelegramSender
from bot.content.store import read_directory, store_files
from bot.content.strings import Strings
from bot.db.session import make_sessionmaker
from bot.dialogue.manager import Dialogue
from bot.dialogue.render import Renderer
from bot.language.translate import GoogleTranslator
from bot.messages import IncomingMessage
from bot.nlu.rasa_client import FallbackNLU
from bot.settings import ROOT, Settings, load_settings


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def hung_server() -> AsyncIterator[int]:
    """A port that accepts connections and never answers (a Rasa stuck in training)."""
    held: list[asyncio.StreamWriter] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


def rasa_settings(tmp_path: Path, port: int) -> Settings:
    config = tmp_path / "config.yml"
    text = (ROOT / "config.yml").read_text(encoding="utf-8")
    config.write_text(text.replace("engine: embedded", "engine: rasa", 1), encoding="utf-8")
    return load_settings(config, env={"RASA_URL": f"http://127.0.0.1:{port}"})


async def test_rasa_down_the_embedded_engine_answers_the_person(
    db_engine: AsyncEngine, tmp_path: Path
) -> None:
    settings = rasa_settings(tmp_path, closed_port())
    nlu = load_nlu(settings)
    assert isinstance(nlu, FallbackNLU)
    async with make_sessionmaker(db_engine)() as session, session.begin():
        await store_files(session, read_directory(ROOT / "flows"), by="test")
    dialogue = Dialogue(await build_services(settings, engine=db_engine, nlu=nlu))

    async def say(text: str | None = None, payload: str | None = None) -> str:
        replies = await dialogue.handle(IncomingMessage(
            channel="web", external_id="rasa-down-0000000001",
            kind="button" if payload else "text", text=text or "", payload=payload))
        return "\n".join(r.text for r in replies)

    await say("hello")
    await say(payload="cmd:consent")
    started = time.monotonic()
    answer = await say("what is a BSN and how do I get one?")
    assert "BSN" in answer and "went wrong" not in answer
    assert time.monotonic() - started < 2.0  # refused at once: no timeout to wait out
    parse = await nlu.parse("how do I get a BSN")
    assert parse.engine == "embedded" and parse.base_intent == "documents"


async def test_a_hanging_rasa_costs_one_timeout_then_nothing(
    tmp_path: Path, hung_server: int
) -> None:
    nlu = load_nlu(rasa_settings(tmp_path, hung_server))
    started = time.monotonic()
    first = await nlu.parse("can I work while I wait?")
    waited = time.monotonic() - started
    assert first.engine == "embedded" and first.base_intent == "can_i_work"
    assert 1.5 <= waited < 4.0  # the client's 2-second limit, not the server's silence
    started = time.monotonic()
    second = await nlu.parse("where can I find a job")
    assert second.engine == "embedded" and time.monotonic() - started < 0.5


class Hanging(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")


async def test_a_hanging_translator_gives_curated_text_or_marked_english() -> None:
    transport = Hanging()
    renderer = Renderer(Strings.load(), GoogleTranslator(timeout=0.3, transport=transport))
    curated = await renderer.text({"en": "Ask COA.", "so": "Weydii COA."}, "so")
    assert curated.text == "Weydii COA." and transport.calls == 0

    started = time.monotonic()
    missing = await renderer.text({"en": "Ask COA.", "nl": "Vraag het COA."}, "so")
    assert time.monotonic() - started < 2.0
    assert (missing.text, missing.language, missing.fallback_english) == ("Ask COA.", "en", True)
    reply = await renderer.message(missing, "so")
    assert reply.text.endswith("Ask COA.") and reply.text != "Ask COA."  # the marker
    assert not reply.machine_translated and transport.calls == 1


class ScriptedBotAPI(BaseRequest):
    """PTB's request layer, answering each method from a script of (status, body)."""

    def __init__(self, script: dict[str, list[tuple[int, dict[str, Any]]]]) -> None:
        self.script = script
        self.calls: list[str] = []

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None,
                         ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        self.calls.append(name)
        if name == "getMe":
            return 200, json.dumps({"ok": True, "result": {
                "id": 1, "is_bot": True, "first_name": "Werkpad", "username": "werkpad_bot"}}
            ).encode()
        status, body = self.script[name].pop(0) if self.script[name] else (200, SENT)
        return status, json.dumps(body).encode()


SENT = {"ok": True, "result": {"message_id": 9, "date": 0,
                               "chat": {"id": 42, "type": "private"}, "text": "hi"}}


def failure(status: int, description: str, **parameters: int) -> tuple[int, dict[str, Any]]:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return status, body


async def sender_with(script: list[tuple[int, dict[str, Any]]]
                      ) -> tuple[TelegramSender, ScriptedBotAPI, list[float]]:
    api = ScriptedBotAPI({"sendMessage": script})
    bot = Bot("123456:fault-test", request=api, get_updates_request=api)
    await bot.initialize()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    return TelegramSender(bot, sleep=sleep), api, waits


PART = Part(html="hi")


@pytest.mark.parametrize("status,description", [(500, "Internal Server Error"),
                                                (503, "Service Unavailable"),
                                                (502, "Bad Gateway")])
async def test_bot_api_5xx_is_retried_with_growing_waits(status: int, description: str) -> None:
    sender, api, waits = await sender_with([failure(status, description)] * 2)
    assert await sender.send(42, PART) == "sent"
    assert api.calls.count("sendMessage") == 3
    assert waits == [0.5, 1.0]


async def test_bot_api_5xx_that_lasts_gives_up_after_four_attempts() -> None:
    sender, api, waits = await sender_with([failure(503, "Service Unavailable")] * 10)
    with pytest.raises(NetworkError):
        await sender.send(42, PART)
    assert api.calls.count("sendMessage") == 4
    assert waits == [0.5, 1.0, 2.0]  # then the ledger takes the update up again later


async def test_bot_api_429_waits_what_telegram_asks_then_sends_once() -> None:
    sender, api, waits = await sender_with([failure(429, "Too Many Requests: retry after 7",
                                                    retry_after=7)])
    assert await sender.send(42, PART) == "sent"
    assert waits == [7.0]
    assert api.calls.count("sendMessage") == 2
