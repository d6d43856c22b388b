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
