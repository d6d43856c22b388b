"""The Rasa engine over httpx.MockTransport, and the fallback to the embedded engine."""

from __future__ import annotations

import json

import httpx
import pytest

from bot.errors import NLUError
from bot.nlu.embedded import EmbeddedNLU
from bot.nlu.rasa_client import FallbackNLU, RasaNLU

RASA_REPLY = {
    "text": "how do i get a bsn",
    "intent": {"name": "documents", "confidence": 0.97},
    "intent_ranking": [{"name": "documents", "confidence": 0.97},
                       {"name": "find_job", "confidence": 0.02}],
    "entities": [{"entity": "municipality", "value": "Utrecht", "start": 0, "end": 7,
                  "extractor": "RegexEntityExtractor"}],
    "response_selector": {"documents": {"response": {
        "intent_response_key": "documents/bsn", "confidence": 0.9}}},
}


def rasa(handler: httpx.MockTransport) -> RasaNLU:
    return RasaNLU("http://rasa.test:5005/", timeout=0.5, transport=handler)


async def test_maps_the_rasa_reply() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=RASA_REPLY)

    result = await rasa(httpx.MockTransport(handle)).parse("how do i get a bsn")
    assert seen[0].url == "http://rasa.test:5005/model/parse"
    assert json.loads(seen[0].content) == {"text": "how do i get a bsn"}
    assert result.intent.name == "documents/bsn" and result.intent.confidence == 0.97
    assert [s.name for s in result.intent_ranking] == ["documents/bsn", "find_job"]
    assert result.entities == RASA_REPLY["entities"]
    assert result.language == "en" and result.engine == "rasa"


@pytest.mark.parametrize(("response", "expected"), [
    ({"intent_response_key": "can_i_work/dublin", "confidence": 0.93}, "can_i_work/dublin"),
    # the selector always names some sub-intent: a weak one is not the person's question
    ({"intent_response_key": "can_i_work/dublin", "confidence": 0.21}, "can_i_work"),
    # nor one under another base intent
    ({"intent_response_key": "work_permit/how_long", "confidence": 0.8}, "can_i_work"),
])
async def test_a_sub_intent_counts_only_as_the_selectors_confident_answer(
    response: dict[str, object], expected: str
) -> None:
    reply = {"text": "can i work", "intent": {"name": "can_i_work", "confidence": 0.95},
             "intent_ranking": [{"name": "can_i_work", "confidence": 0.95}], "entities": [],
             "response_selector": {"default": {"response": response, "ranking": [
                 {"intent_response_key": "can_i_work/rejected", "confidence": 0.1}]}}}
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json=reply))
    result = await rasa(transport).parse("can i work")
    assert result.intent.name == expected
    assert result.intent_ranking[0].name == expected


async def test_nlu_fallback_becomes_out_of_scope() -> None:
    reply = {"intent": {"name": "nlu_fallback", "confidence": 0.3}, "entities": []}
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json=reply))
    assert (await rasa(transport).parse("blub")).intent.name == "out_of_scope"


async def test_server_error_raises_nlu_error() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(500, text="boom"))
    with pytest.raises(NLUError, match="500"):
        await rasa(transport).parse("hello")


def _timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


async def test_timeout_uses_the_fallback_and_warns(engine: EmbeddedNLU,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    calls = 0

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return _timeout(request)

    nlu = FallbackNLU(rasa(httpx.MockTransport(handle)), engine)
    result = await nlu.parse("how do i get a bsn")
    assert result.intent.name == "documents/bsn" and result.engine == "embedded"
    assert "failed, using embedded" in caplog.text
    await nlu.parse("hello")  # the dead server is not asked again right away
    assert calls == 1


async def test_server_error_uses_the_fallback(engine: EmbeddedNLU) -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(500))
    result = await FallbackNLU(rasa(transport), engine).parse("hello there")
    assert result.intent.name == "greet"


async def test_healthy_server_is_used(engine: EmbeddedNLU) -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json=RASA_REPLY))
    result = await FallbackNLU(rasa(transport), engine).parse("how do i get a bsn")
    assert result.engine == "rasa"
