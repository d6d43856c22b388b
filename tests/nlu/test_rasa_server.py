"""The rasa engine against a real Rasa 3.6.21 server at RASA_URL (`make rasa-start`).

Skipped when no server answers; with WERKPAD_REQUIRE_RASA=1 (CI) they wait for the server
and fail without it (tests/nlu/rasa_server.py). The contract test in test_contract.py runs
against the same server.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.nlu.base import OUT_OF_SCOPE
from bot.nlu.embedded import EmbeddedNLU
from bot.nlu.rasa_client import FallbackNLU, RasaNLU
from bot.nlu.training_data import read_training_data
from tests.nlu.rasa_server import rasa_url

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30.0  # parses are ~20 ms, but CI trains and tests on the same 2 cores

# (text, language the client reports): one per language, detected without a hint.
TEXTS = [
    ("how can i get a bsn number", "en"),
    ("ik zoek werk in Utrecht", "nl"),
    ("متى يمكنني العمل", "ar"),
    ("Коли я можу піти на роботу", "uk"),
    ("Когда я могу начать работать", "ru"),
    ("ሰላም", "ti"),
    ("کی می‌توانم کار کنم", "fa"),
    ("ne zaman çalışabilirim", "tr"),
    ("quand est-ce que je peux travailler", "fr"),
    ("goormaan shaqeyn karaa", "so"),
    ("کله کولی شم کار وکړم", "ps"),
    ("کەی دەتوانم کار بکەم", "ckb"),
    ("kengê ez dikarim kar bikim", "kmr"),
]

# A model small enough to train through the API in well under a minute.
SMALL_CONFIG = """
recipe: default.v1
language: xx
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: 10
    entity_recognition: false
    number_of_transformer_layers: 0
policies: []
"""
SMALL_DOMAIN = """
version: "3.1"
intents: [greet, goodbye, find_job]
"""
SMALL_NLU = """
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    - hi there
    - good morning
    - hallo
    - goedemorgen
- intent: goodbye
  examples: |
    - bye
    - see you later
    - goodbye
    - doei
    - tot ziens
- intent: find_job
  examples: |
    - i am looking for a job
    - any vacancies near me
    - where can i find work
    - ik zoek werk
    - vacatures in de buurt
"""


@pytest.fixture
async def rasa() -> AsyncIterator[RasaNLU]:
    client = RasaNLU(rasa_url(), timeout=TIMEOUT)
    yield client
    await client.aclose()


async def test_the_server_is_rasa_3_6_21_with_our_model(rasa: RasaNLU) -> None:
    async with httpx.AsyncClient(timeout=TIMEOUT) as http:
        version = (await http.get(f"{rasa.url}/version")).json()
    assert version["version"] == "3.6.21"
    status = await rasa.status()
    assert status["model_file"].endswith(".tar.gz")


@pytest.mark.parametrize(("text", "language"), TEXTS)
async def test_parse_maps_the_rasa_reply(rasa: RasaNLU, text: str, language: str) -> None:
    async with httpx.AsyncClient(timeout=TIMEOUT) as http:
        raw = (await http.post(f"{rasa.url}/model/parse", json={"text": text})).json()
    result = await rasa.parse(text)

    assert result.engine == "rasa" and result.language == language
    body = result.to_dict()
    assert set(body) == {"text", "intent", "intent_ranking", "entities", "language"}
    assert body["text"] == text
    # The same prediction as the raw reply; only the names are ours (sub-intent, out_of_scope).
    assert result.intent.confidence == raw["intent"]["confidence"]
    expected = OUT_OF_SCOPE if raw["intent"]["name"] == "nlu_fallback" else raw["intent"]["name"]
    assert result.base_intent == expected
    if result.base_intent != result.intent.name:
        assert result.intent.name in raw["response_selector"]["all_retrieval_intents"] or (
            result.intent.name.split("/")[0] in raw["response_selector"]["all_retrieval_intents"])
    assert result.intent_ranking[0].name == result.intent.name
    assert result.entities == raw["entities"]


async def test_training_examples_come_back_in_every_language(rasa: RasaNLU) -> None:
    """Two examples per language straight from nlu/: the model has seen them all."""
    data = read_training_data([ROOT / "nlu"])
    sample = []
    for language in sorted(data.languages):
        examples = [e for e in data.examples if e.language == language]
        sample += examples[:: max(1, len(examples) // 2)][:2]
    results = [await rasa.parse(e.text) for e in sample]
    right = [e.intent.split("/")[0] == r.base_intent for e, r in zip(sample, results, strict=True)]
    assert sum(right) >= 0.8 * len(sample), [
        (e.text, e.intent, r.intent.name) for e, r, ok in zip(sample, results, right, strict=True)
        if not ok]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_fallback_answers_with_the_embedded_engine_when_rasa_is_down(
        rasa: RasaNLU, engine: EmbeddedNLU, caplog: pytest.LogCaptureFixture) -> None:
    down = FallbackNLU(RasaNLU(f"http://127.0.0.1:{_closed_port()}", timeout=2.0), engine)
    up = FallbackNLU(rasa, engine)
    text = "how do i get a bsn"

    with caplog.at_level(logging.WARNING, logger="bot.nlu.rasa_client"):
        served = await up.parse(text)
        assert not caplog.records
        fallen_back = await down.parse(text)

    assert served.engine == "rasa" and fallen_back.engine == "embedded"
    assert served.base_intent == fallen_back.base_intent == "documents"
    assert served.language == fallen_back.language == "en"
    assert "NLU engine rasa failed, using embedded" in caplog.text
    await down.primary.aclose()  # type: ignore[attr-defined]


async def test_retrain_and_load_through_the_api(rasa: RasaNLU) -> None:
    """POST /model/train a small model, PUT /model it, then put our own model back."""
    before = (await rasa.status())["model_file"]
    ours = ROOT / "var" / "rasa-models" / before
    if not ours.is_file():
        pytest.skip(f"the server's model {before} is not in var/rasa-models/ on this machine, "
                    "so it could not be put back after the test")

    small = await rasa.train(SMALL_CONFIG, SMALL_DOMAIN, SMALL_NLU)
    assert small.startswith("models/") and small.endswith(".tar.gz")
    try:
        await rasa.load(small)
        assert (await rasa.status())["model_file"] == Path(small).name
        result = await rasa.parse("hello there")
        assert result.intent.name == "greet"
        assert {s.name for s in result.intent_ranking} <= {"greet", "goodbye", "find_job"}
    finally:
        await rasa.load(str(ours))
        (ROOT / "var" / "rasa-server" / small).unlink(missing_ok=True)  # `make rasa-start`'s
    assert (await rasa.status())["model_file"] == before
    assert (await rasa.parse("how do i get a bsn")).base_intent == "documents"
