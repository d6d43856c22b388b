"""A slow translator never stalls other people (issue 15 item 3).

Two places called the translator where a stall spreads: the translation pivot of an unsure
parse ran while the message held one of the database's slots (SQLite has one, so everybody
waited), and content missing in a language was translated inside the message's transaction.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_services
from bot.content.store import read_directory, store_files
from bot.content.strings import Strings
from bot.db.migrate import upgrade
from bot.db.session import make_engine, make_sessionmaker
from bot.dialogue.manager import Dialogue
from bot.dialogue.render import Renderer
from bot.language.translate import GoogleTranslator, cache_key
from bot.language.translation import cache_only
from bot.messages import IncomingMessage
from bot.settings import ROOT, load_settings
from tests.support.fakes import ScriptedNLU


class SlowTranslator:
    """Answers after `delay` seconds with nothing useful, counting its calls."""

    def __init__(self, delay: float) -> None:
        self.delay, self.calls = delay, 0

    async def translate(self, text: str, *, target: str, source: str | None = None,
                        personal: bool = False) -> str | None:
        self.calls += 1
        await asyncio.sleep(self.delay)
        return None


async def sqlite_dialogue(tmp_path: Path, translator: Any, nlu: ScriptedNLU) -> Dialogue:
    url = f"sqlite+aiosqlite:///{tmp_path}/slow.sqlite3"
    settings = load_settings(ROOT / "config.yml", env={"DATABASE_URL": url})
    settings = settings.model_copy(update={
        "translation": settings.translation.model_copy(update={"online": True})})
    engine: AsyncEngine = make_engine(url)
    await upgrade(engine)
    async with make_sessionmaker(engine)() as session, session.begin():
        await store_files(session, read_directory(ROOT / "flows"), by="test")
    return Dialogue(await build_services(settings, engine=engine, nlu=nlu,
                                         translator=translator))


async def test_a_slow_pivot_for_one_person_does_not_hold_up_another(tmp_path: Path) -> None:
    nlu = ScriptedNLU().teach("hello", ("greet", 0.95))
    nlu.teach("what is a bsn", ("documents", 0.95))
    nlu.teach("ik weet het echt niet meer", ("documents", 0.2))  # unsure Dutch: the pivot
    translator = SlowTranslator(delay=2.0)
    dialogue = await sqlite_dialogue(tmp_path, translator, nlu)

    async def say(who: str, text: str = "", payload: str | None = None) -> str:
        replies = await dialogue.handle(IncomingMessage(
            channel="web", external_id=who * 20, kind="button" if payload else "text",
            text=text, payload=payload))
        return "\n".join(r.text for r in replies)

    for who in ("a", "b"):
        await say(who, "hello")
        await say(who, payload="cmd:consent")
    unsure = [asyncio.create_task(say("a", "ik weet het echt niet meer")) for _ in range(3)]
    await asyncio.sleep(0.2)  # a's first pivot is waiting for the translator now
    started = time.monotonic()
    answer = await say("b", "what is a BSN")
    waited = time.monotonic() - started
    assert "BSN" in answer
    assert waited < 1.0, f"b waited {waited:.1f} s behind a's translations"
    await asyncio.gather(*unsure)
    assert translator.calls >= 3
    await dialogue.s.engine.dispose()


class Hanging(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")


async def test_inside_a_transaction_content_is_translated_from_the_cache_only() -> None:
    transport = Hanging()
    translator = GoogleTranslator(timeout=5, transport=transport)
    renderer = Renderer(Strings.load(), translator)
    texts = {"en": "Ask COA.", "nl": "Vraag het COA."}
    started = time.monotonic()
    with cache_only() as missed:
        missing = await renderer.text(texts, "so")
    assert time.monotonic() - started < 0.5 and transport.calls == 0  # no network at all
    assert (missing.text, missing.fallback_english) == ("Ask COA.", True)  # marked English
    assert [(m.text, m.target) for m in missed] == [("Ask COA.", "so")]

    await translator.cache.put(cache_key("Ask COA.", "en", "so"), "en", "so", "Weydii COA.")
    with cache_only() as missed:
        cached = await renderer.text(texts, "so")
    assert cached.text == "Weydii COA." and cached.machine_translated and missed == []
