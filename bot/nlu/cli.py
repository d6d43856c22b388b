"""What `python -m bot nlu train|parse|test` does; argparse lives in bot/__main__.py.

Each command takes explicit arguments, prints its result and returns the exit code.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from bot.errors import NLUError
from bot.nlu.base import NLUEngine
from bot.nlu.embedded import DEFAULT_THRESHOLD, EmbeddedNLU
from bot.nlu.evaluation import evaluate, stderr_progress
from bot.nlu.rasa_client import FallbackNLU, RasaNLU
from bot.nlu.training_data import read_training_data

ENGINES = ("embedded", "rasa")


def make_engine(kind: str, *, data_dir: Path, cache_dir: Path,
                threshold: float = DEFAULT_THRESHOLD, rasa_url: str | None = None,
                rasa_timeout: float = 2.0, fallback: bool = True) -> NLUEngine:
    """Build the configured engine; `rasa` falls back to the embedded one unless told not to."""
    if kind == "embedded":
        return EmbeddedNLU.load_or_train(data_dir, cache_dir, threshold)
    if kind == "rasa":
        if not rasa_url:
            raise NLUError("the rasa engine needs a server URL: set RASA_URL or --rasa-url")
        rasa = RasaNLU(rasa_url, rasa_timeout)
        if not fallback:
            return rasa
        return FallbackNLU(rasa, EmbeddedNLU.load_or_train(data_dir, cache_dir, threshold))
    raise NLUError(f"unknown NLU engine {kind!r}; choose one of {', '.join(ENGINES)}")


def cmd_train(data_dir: Path, cache_dir: Path) -> int:
    """Train the embedded engine (or load it when the data has not changed) and say which."""
    try:
        engine = EmbeddedNLU.load_or_train(data_dir, cache_dir)
    except NLUError as exc:
        return _fail(exc)
    state = "up to date (cached)" if engine.from_cache else (
        f"trained in {engine.training_seconds:.2f} s")
    _out(f"NLU model {state}: {len(engine.classifier.classes)} intents, "
         f"data {engine.data_hash[:12]}, cache {cache_dir}\n")
    return 0


def cmd_parse(text: str, data_dir: Path, cache_dir: Path, engine: str = "embedded",
              rasa_url: str | None = None, lang_hint: str | None = None) -> int:
    """Print the Rasa /model/parse JSON (plus `language`) for one text."""
    try:
        nlu = make_engine(engine, data_dir=data_dir, cache_dir=cache_dir, rasa_url=rasa_url)
        result = asyncio.run(nlu.parse(text, lang_hint=lang_hint))
    except NLUError as exc:
        return _fail(exc)
    _out(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    return 0


def cmd_test(data_paths: list[Path], out_dir: Path, data_dir: Path, cache_dir: Path,
             engine: str = "embedded", rasa_url: str | None = None) -> int:
    """Evaluate on labelled files, write the reports to `out_dir` and print a summary."""
    try:
        data = read_training_data(data_paths)
        if not data.examples:
            raise NLUError(f"no labelled examples in {', '.join(map(str, data_paths))}")
        nlu = make_engine(engine, data_dir=data_dir, cache_dir=cache_dir, rasa_url=rasa_url,
                          fallback=False)
        progress = stderr_progress(every=10) if len(data.examples) > 50 else None
        report = evaluate(nlu, data, out_dir, progress=progress)
    except NLUError as exc:
        return _fail(exc)
    lines = [
        f"examples        {report.total}",
        f"accuracy        {report.accuracy:.3f}  (base intents {report.base_accuracy:.3f})",
        f"macro F1        {report.macro_f1:.3f}",
        f"weighted F1     {report.weighted_f1:.3f}",
        "per language    " + "  ".join(
            f"{lang} {row['accuracy']:.2f}" for lang, row in report.per_language.items()),
        f"errors          {len(report.errors)} (see {out_dir / 'errors.json'})",
        f"reports in      {out_dir}",
    ]
    _out("\n".join(lines) + "\n")
    return 0


def _out(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _fail(exc: Exception) -> int:
    sys.stderr.write(f"error: {exc}\n")
    return 1
