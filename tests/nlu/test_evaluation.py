"""Evaluation reports in `rasa test nlu`'s format."""

from __future__ import annotations

import json
from pathlib import Path

from bot.nlu.embedded import EmbeddedNLU
from bot.nlu.evaluation import evaluate, rasa_intent_report
from bot.nlu.training_data import read_training_data
from tests.nlu.conftest import FIXTURES

INTENT_KEYS = {"precision", "recall", "f1-score", "support", "confused_with"}


def test_report_has_rasas_keys() -> None:
    report = rasa_intent_report(["a", "a", "b", "c"], ["a", "b", "b", "a"])
    assert set(report) == {"a", "b", "c", "accuracy", "macro avg", "weighted avg"}
    assert set(report["a"]) == INTENT_KEYS
    assert report["a"]["confused_with"] == {"b": 1}
    assert report["c"]["confused_with"] == {"a": 1}
    assert report["accuracy"] == 0.5
    assert set(report["macro avg"]) == {"precision", "recall", "f1-score", "support"}


def test_evaluate_writes_all_reports(engine: EmbeddedNLU, tmp_path: Path) -> None:
    data = read_training_data([FIXTURES / "heldout"])
    report = evaluate(engine, data, tmp_path)
    # as `rasa test nlu`: intents by their base name, retrieval sub-intents in the response
    # selection report
    intent_report = json.loads((tmp_path / "intent_report.json").read_text())
    for name in {e.intent.split("/")[0] for e in data.examples}:
        assert set(intent_report[name]) == INTENT_KEYS
    assert not any("/" in name for name in intent_report)
    assert intent_report["accuracy"] == report.base_accuracy
    assert report.base_accuracy >= report.accuracy
    selection = json.loads((tmp_path / "response_selection_report.json").read_text())
    retrieval = {e.intent for e in data.examples if "/" in e.intent}
    assert retrieval and retrieval <= set(selection)
    assert all("/" in name for name in selection
               if name not in ("accuracy", "macro avg", "weighted avg", "micro avg"))
    full = json.loads((tmp_path / "intent_report_full.json").read_text())
    assert full["accuracy"] == report.accuracy
    per_language = json.loads((tmp_path / "per_language.json").read_text())
    assert set(per_language) == {"en", "nl"}
    assert set(per_language["en"]) == {"accuracy", "base_accuracy", "support"}
    errors = json.loads((tmp_path / "errors.json").read_text())
    assert all(set(e) >= {"text", "intent", "predicted", "confidence", "language"}
               for e in errors)
    assert (tmp_path / "confusion_matrix.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    labels = json.loads((tmp_path / "confusion_matrix.json").read_text())["labels"]
    assert "greet" in labels
