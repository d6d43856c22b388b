"""The googletrans translator against a local fake (httpx.MockTransport): never the internet."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.language.translate import Glossary, GoogleTranslator
from bot.nlu.base import IntentScore, ParseResult
from bot.nlu.pivot import PivotNLU
from tests.support.fakes import ScriptedNLU

Handler = Callable[[httpx.Request], httpx.Response]


def google_reply(translated: str, source: str = "en") -> httpx.Response:
    """The JSON shape translate.googleapis.com's gtx client answers with."""
    body = [[[translated, "original", None, None, 10]], None, source]
    return httpx.Response(200, text=json.dumps(body))


def fake(handler: Handler, **kwargs: object) -> tuple[GoogleTranslator, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    return GoogleTranslator(timeout=1.0, transport=httpx.MockTransport(record), **kwargs), seen


async def test_translates_and_asks_google_for_the_right_languages() -> None:
    translator, seen = fake(lambda r: google_reply("مرحبا"))
    assert await translator.translate("Hello", target="ar", source="en") == "مرحبا"
    params = seen[0].url.params
    assert (params["sl"], params["tl"], params["client"]) == ("en", "ar", "gtx")


async def test_kurmanji_goes_as_ku() -> None:
    translator, seen = fake(lambda r: google_reply("Silav"))
    await translator.translate("Hello", target="kmr", source="en")
    assert seen[0].url.params["tl"] == "ku"


async def test_glossary_terms_are_never_sent_for_translation_and_come_back_intact() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        sent = request.url.params["q"]
        assert "TWV" not in sent and "UWV" not in sent and "W-document" not in sent
        return google_reply(sent.replace("Your employer asks", "يطلب صاحب العمل"))

    translator, _ = fake(handler)
    out = await translator.translate("Your employer asks UWV for a TWV; bring your W-document.",
                                     target="ar", source="en")
    assert out is not None
    assert out.startswith("يطلب صاحب العمل") and "UWV" in out and "TWV" in out
    assert "W-document" in out


async def test_a_lost_glossary_marker_throws_the_translation_away() -> None:
    translator, _ = fake(lambda r: google_reply("something without the marker"))
    assert await translator.translate("Ask COA", target="fr", source="en") is None


async def test_the_cache_answers_the_second_time() -> None:
    translator, seen = fake(lambda r: google_reply("Bonjour"))
    for _ in range(3):
        assert await translator.translate("Hello", target="fr", source="en") == "Bonjour"
    assert len(seen) == 1


@pytest.mark.parametrize(
    "handler",
    [
        lambda r: httpx.Response(429, text="Too Many Requests"),
        lambda r: httpx.Response(500, text="oops"),
        lambda r: httpx.Response(200, text="<html>captcha</html>"),
        lambda r: google_reply(""),
        lambda r: google_reply("Hello"),  # googletrans' silent "input returned unchanged"
    ],
)
async def test_bad_answers_give_none_never_an_exception(handler: Handler) -> None:
    translator, _ = fake(handler)
    assert await translator.translate("Hello", target="so", source="en") is None


async def test_unreachable_and_slow_translators_give_none() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)

    translator, _ = fake(refuse)
    assert await translator.translate("Hello", target="so", source="en") is None

    class Slow(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            await asyncio.sleep(5)
            return google_reply("late")

    slow = GoogleTranslator(timeout=0.2, transport=Slow())
    assert await slow.translate("Hello", target="so", source="en") is None


def test_glossary_prefers_the_longest_term_and_whole_words() -> None:
    glossary = Glossary(["W-document", "VI", "IND"])
    text, found = glossary.protect("VIsit IND with your W-document (VI)")
    assert found == ["IND", "W-document", "VI"]
    assert text == "VIsit [[1]] with your [[2]] ([[3]])"
    assert Glossary.restore("Besuch [[1]] mit [ [2] ] ([[3]])", found) == (
        "Besuch IND mit W-document (VI)")


async def test_pivot_keeps_the_better_parse_and_the_original_language() -> None:
    engine = ScriptedNLU().teach("can i work", ("can_i_work", 0.92))
    translator, _ = fake(lambda r: google_reply("can I work"))
    pivot = PivotNLU(engine, translator, threshold=0.5)
    result = await pivot.parse("ማለት እየ ክሰርሕ ይኽእል ድየ", lang_hint="ti")
    assert result.intent == IntentScore("can_i_work", 0.92)
    assert result.language == "ti" and result.text == "ማለት እየ ክሰርሕ ይኽእል ድየ"


async def test_pivot_without_translation_returns_the_first_parse() -> None:
    class Off:
        async def translate(
            self, text: str, *, target: str, source: str | None = None, personal: bool = False
        ) -> None:
            return None

    pivot = PivotNLU(ScriptedNLU(), Off(), threshold=0.5)
    result: ParseResult = await pivot.parse("ماذا", lang_hint="ar")
    assert result.intent.name == "out_of_scope"


async def test_the_database_cache_serves_content_but_never_keeps_personal_text(
    db_engine: AsyncEngine,
) -> None:
    from sqlalchemy import func, select

    from bot.db.session import make_sessionmaker
    from bot.language.models import CachedTranslation
    from bot.language.translate import DatabaseCache

    sessions = make_sessionmaker(db_engine)
    translator, seen = fake(lambda r: google_reply("Bonjour"), cache=DatabaseCache(sessions))
    for _ in range(2):
        assert await translator.translate("Hello", target="fr", source="en") == "Bonjour"
    assert len(seen) == 1  # the second came from the database
    await translator.translate("my boss is Karim", target="fr", source="en", personal=True)
    await translator.translate("my boss is Karim", target="fr", source="en", personal=True)
    assert len(seen) == 3  # personal text: asked each time, never stored
    async with sessions() as session:
        rows = await session.scalar(select(func.count()).select_from(CachedTranslation))
    assert rows == 1
