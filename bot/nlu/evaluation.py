"""Evaluate an NLU engine on labelled examples and write `rasa test nlu`-style reports.

Files written to the output folder:
- `intent_report.json`: exactly Rasa's format (sklearn's classification_report as a dict,
  plus `confused_with` per intent: up to the 3 labels it was most often mistaken for), and as
  `rasa test nlu` writes it, on base intents (`documents/bsn` counts as `documents`);
- `response_selection_report.json`: the same for the examples of retrieval intents, by their
  full name (`documents/bsn`): what Rasa's ResponseSelector report holds;
- `intent_report_full.json`: every example by its full name (Werkpad's own view);
- `per_language.json`: accuracy per language, full and base names;
- `errors.json`: every misclassified example;
- `confusion_matrix.png` (+ `confusion_matrix.json` with the label of each row and column).
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import classification_report, confusion_matrix
from sklearn.utils.multiclass import unique_labels

from bot.nlu.base import NLUEngine, ParseResult
from bot.nlu.heatmap import write_confusion_png
from bot.nlu.training_data import Example, TrainingData

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class Report:
    """The headline numbers of one evaluation run; the files hold the details."""

    accuracy: float
    base_accuracy: float
    macro_f1: float
    weighted_f1: float
    total: int
    per_language: dict[str, dict[str, float]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    intent_report: dict[str, Any] = field(default_factory=dict)
    out_dir: Path | None = None


def rasa_intent_report(targets: list[str], predictions: list[str]) -> dict[str, Any]:
    """Build the report dict `rasa test nlu` writes to intent_report.json."""
    report: dict[str, Any] = classification_report(
        targets, predictions, output_dict=True, zero_division=0
    )
    labels = [str(label) for label in unique_labels(targets, predictions)]
    matrix = confusion_matrix(targets, predictions, labels=labels)
    order = np.argsort(matrix, axis=1, kind="stable")
    for label in labels:
        if label in report:
            report[label]["confused_with"] = {}
    for i, label in enumerate(labels):
        for j in range(min(3, len(labels))):
            other = int(order[i, -(1 + j)])
            count = int(matrix[i, other])
            if other != i and count > 0:
                report[label]["confused_with"][labels[other]] = count
    return report


async def evaluate_async(engine: NLUEngine, data: TrainingData, out_dir: Path | None = None,
                         *, progress: Progress | None = None) -> Report:
    """Parse every example with `engine`, score it and (with `out_dir`) write the reports."""
    results: list[ParseResult] = []
    total = len(data.examples)
    parse_sync = getattr(engine, "parse_sync", None)
    # No language hint: the example's language is what we score, not something to give away.
    for index, example in enumerate(data.examples, start=1):
        if parse_sync is not None:
            results.append(parse_sync(example.text))
        else:
            results.append(await engine.parse(example.text))
        if progress is not None:
            progress(index, total)
    report = score(data.examples, results)
    if out_dir is not None:
        write_reports(report, data.examples, results, out_dir)
    return report


def evaluate(engine: NLUEngine, data: TrainingData, out_dir: Path | None = None, *,
             progress: Progress | None = None) -> Report:
    """Synchronous wrapper of evaluate_async, for the CLI and the benchmark."""
    return asyncio.run(evaluate_async(engine, data, out_dir, progress=progress))


def score(examples: list[Example], results: list[ParseResult]) -> Report:
    """Compute the report from examples and the engine's answers, in the same order."""
    targets = [e.intent for e in examples]
    predicted = [r.intent.name for r in results]
    intent_report = rasa_intent_report(targets, predicted) if examples else {}
    base_hits = [t.split("/", 1)[0] == r.base_intent for t, r in zip(targets, results,
                                                                      strict=True)]
    per_language: dict[str, dict[str, float]] = {}
    for language in sorted({e.language for e in examples}):
        rows = [i for i, e in enumerate(examples) if e.language == language]
        per_language[language] = {
            "accuracy": _mean(targets[i] == predicted[i] for i in rows),
            "base_accuracy": _mean(base_hits[i] for i in rows),
            "support": len(rows),
        }
    errors = [
        {"text": e.text, "intent": e.intent, "predicted": r.intent.name,
         "confidence": r.intent.confidence, "language": e.language,
         "detected_language": r.language, "file": e.file, "line": e.line}
        for e, r in zip(examples, results, strict=True) if e.intent != r.intent.name
    ]
    return Report(
        accuracy=_mean(t == p for t, p in zip(targets, predicted, strict=True)),
        base_accuracy=_mean(base_hits),
        macro_f1=float(intent_report.get("macro avg", {}).get("f1-score", 0.0)),
        weighted_f1=float(intent_report.get("weighted avg", {}).get("f1-score", 0.0)),
        total=len(examples),
        per_language=per_language,
        errors=errors,
        intent_report=intent_report,
    )


def write_reports(report: Report, examples: list[Example], results: list[ParseResult],
                  out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [e.intent for e in examples]
    predicted = [r.intent.name for r in results]
    base = (rasa_intent_report([t.split("/", 1)[0] for t in targets],
                               [r.base_intent for r in results]) if examples else {})
    _dump(out_dir / "intent_report.json", base)
    retrieval = [i for i, t in enumerate(targets) if "/" in t]
    _dump(out_dir / "response_selection_report.json",
          rasa_intent_report([targets[i] for i in retrieval], [predicted[i] for i in retrieval])
          if retrieval else {})
    _dump(out_dir / "intent_report_full.json", report.intent_report)
    _dump(out_dir / "per_language.json", report.per_language)
    _dump(out_dir / "errors.json", report.errors)
    labels = [str(label) for label in unique_labels(targets, predicted)] if examples else []
    matrix = (confusion_matrix(targets, predicted, labels=labels) if labels
              else np.zeros((0, 0), dtype=int))
    write_confusion_png(matrix, out_dir / "confusion_matrix.png")
    _dump(out_dir / "confusion_matrix.json",
          {"labels": labels, "matrix": matrix.tolist(),
           "note": "row = expected intent, column = predicted; numbers in the PNG are 1-based"})
    report.out_dir = out_dir


def stderr_progress(every: int = 1) -> Progress:
    """A plain progress bar on stderr, redrawn in place."""

    def draw(done: int, total: int) -> None:
        if done % every and done != total:
            return
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return draw


def _mean(values: Any) -> float:
    items = list(values)
    return sum(bool(v) for v in items) / len(items) if items else 0.0


def _dump(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
