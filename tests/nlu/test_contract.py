"""One contract for every NLU engine: the Rasa /model/parse shape plus `language`.

`rasa` is a real Rasa 3.6.21 server at RASA_URL (`make rasa-start`); without one those
cases skip, or fail under WERKPAD_REQUIRE_RASA=1 as in CI (tests/nlu/rasa_server.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.language.detect import LANGUAGES
from bot.nlu.base import OUT_OF_SCOPE, NLUEngine, ParseResult
from bot.nlu.embedded import EmbeddedNLU
from bot.nlu.rasa_client import RasaNLU
from tests.nlu.rasa_server import rasa_url


@pytest.fixture(params=["embedded", "rasa"])
async def nlu(request: pytest.FixtureRequest, engine: EmbeddedNLU) -> AsyncIterator[NLUEngine]:
    if request.param == "embedded":
        yield engine
    elif request.param == "rasa":
        rasa = RasaNLU(rasa_url(), timeout=30.0)
        yield rasa
        await rasa.aclose()
    else:
        raise AssertionError(request.param)


TEXTS = ["hello there", "how do i get a bsn", "ik zoek werk in Utrecht", "مرحبا",
         "", "🎉", "asdf qwerty", "x" * 5000]


@pytest.mark.parametrize("text", TEXTS)
async def test_parse_shape(nlu: NLUEngine, text: str) -> None:
    result = await nlu.parse(text, lang_hint="en")
    assert isinstance(result, ParseResult)
    body = result.to_dict()
    assert set(body) == {"text", "intent", "intent_ranking", "entities", "language"}
    assert body["text"] == text
    assert set(body["intent"]) == {"name", "confidence"}
    assert isinstance(body["intent"]["name"], str)
    assert 0.0 <= body["intent"]["confidence"] <= 1.0
    assert len(body["intent_ranking"]) <= 10
    for score in body["intent_ranking"]:
        assert set(score) == {"name", "confidence"}
    confidences = [s["confidence"] for s in body["intent_ranking"]]
    assert confidences == sorted(confidences, reverse=True)
    if body["intent_ranking"]:
        assert body["intent_ranking"][0]["name"] == body["intent"]["name"]
    for entity in body["entities"]:
        assert {"entity", "value", "start", "end", "extractor"} <= set(entity)
        assert text[entity["start"] : entity["end"]]
    assert body["language"] in LANGUAGES


async def test_nonsense_is_out_of_scope(nlu: NLUEngine) -> None:
    assert (await nlu.parse("")).intent.name == OUT_OF_SCOPE
    assert (await nlu.parse("qwxzv pkjhg")).intent.name == OUT_OF_SCOPE
