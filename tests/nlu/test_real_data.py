"""The real nlu/ files: they load cleanly and the engine clears a floor on the held-out split.

The floors are below the measured figures (docs/nlu.md) so that content edits do not make
this flaky; benchmarks/nlu_bench.py gives the full numbers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu.embedded import EmbeddedNLU
from bot.nlu.evaluation import evaluate
from bot.nlu.training_data import read_training_data

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "tests" / "nlu_heldout"

pytestmark = pytest.mark.skipif(
    not (ROOT / "nlu" / "en.yml").exists() or not HELDOUT.exists(),
    reason="real training data not present",
)


def test_real_data_reads_without_warnings() -> None:
    data = read_training_data([ROOT / "nlu"])
    assert data.warnings == []
    assert len(data.languages) == 13


def test_heldout_accuracy_floor() -> None:
    engine = EmbeddedNLU.train(read_training_data([ROOT / "nlu"]))
    files = [p for p in sorted(HELDOUT.glob("*.yml")) if not p.stem.startswith("gibberish")]
    report = evaluate(engine, read_training_data(files))
    assert report.accuracy >= 0.80
    assert min(row["accuracy"] for row in report.per_language.values()) >= 0.70


@pytest.fixture(scope="module")
def real_engine() -> EmbeddedNLU:
    return EmbeddedNLU.train(read_training_data([ROOT / "nlu"]))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("werk zoeken", "nl"),
        ("ik zoek werk", "nl"),
        ("chercher travail", "fr"),
        ("je cherche du travail", "fr"),
        ("ez dixwazim bixebitim", "kmr"),
        ("karê min tune", "kmr"),
        ("iş arıyorum", "tr"),
        ("shaqo raadi", "so"),
    ],
)
def test_short_messages_get_their_language_from_the_language_head(
    real_engine: EmbeddedNLU, text: str, lang: str
) -> None:
    # an English phone (hint "en") must not make Dutch, French or Kurmanji English
    result = real_engine.parse_sync(text, lang_hint="en")
    assert (result.language, result.language_reliable) == (lang, True)


@pytest.mark.parametrize("text", ["ok", "BSN", "👍", "twv?"])
def test_a_word_without_a_language_is_unreliable_and_takes_the_hint(
    real_engine: EmbeddedNLU, text: str
) -> None:
    result = real_engine.parse_sync(text, lang_hint="ar")
    assert (result.language, result.language_reliable) == ("ar", False)


def test_kurmanji_sentences_never_flip_to_english(real_engine: EmbeddedNLU) -> None:
    files = [ROOT / "tests" / d / "kmr.yml" for d in ("nlu_heldout", "nlu_paraphrase",
                                                       "nlu_offtopic")]
    texts = [e.text for e in read_training_data([f for f in files if f.exists()]).examples]
    english = [t for t in texts if real_engine.parse_sync(t).language == "en"]
    assert len(texts) > 100
    assert english == []
