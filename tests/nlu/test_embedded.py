"""The embedded engine: odd input, gibberish, caching."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from bot.nlu.base import OUT_OF_SCOPE
from bot.nlu.embedded import EmbeddedNLU
from tests.nlu.conftest import FIXTURES

BAD_INPUT = {
    "empty": "",
    "spaces": "   \n\t ",
    "huge": "can i work " * 1000,
    "emoji": "🎉🔥🙈",
    "punctuation": "?!?... ,,, ;;",
    "control": "\x00\x01\x02\x1b\x7f\x9b",
    "surrogate": "\ud800 \udc00",
    "bidi": "\u202e\u202d\u200b\u2066",
}


@pytest.mark.parametrize("text", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_out_of_scope_without_raising(engine: EmbeddedNLU, text: str) -> None:
    result = engine.parse_sync(text)
    if text.startswith("can i work"):  # 11,000 characters of a real question: cut, still parsed
        assert result.text == text
        return
    assert result.intent.name == OUT_OF_SCOPE
    assert result.intent.confidence == 0.0


def test_ansi_escape_junk_is_out_of_scope(engine: EmbeddedNLU) -> None:
    result = engine.parse_sync("\x1b[31m\x1b[0m\x07")
    assert result.intent.name == OUT_OF_SCOPE


def test_huge_input_is_cut_so_parse_time_stays_bounded(engine: EmbeddedNLU) -> None:
    started = time.perf_counter()
    engine.parse_sync("ab" * 500_000)
    assert time.perf_counter() - started < 0.5


def test_mixed_scripts_do_not_break_it(engine: EmbeddedNLU) -> None:
    result = engine.parse_sync("hello مرحبا привет ሰላም 你好 ✓")
    assert result.intent.name in engine.classifier.classes
    assert result.language


@pytest.mark.parametrize("text", ["asdf qwerty", "kjhsdf lkjsdf poiwer", "zzzzzzzz",
                                  "ываыва фывфыв", "سشیبسشیب لاتنم", "xq zv wp"])
def test_gibberish_falls_below_threshold(engine: EmbeddedNLU, text: str) -> None:
    result = engine.parse_sync(text)
    assert result.intent.name == OUT_OF_SCOPE
    in_scope = [s for s in result.intent_ranking if s.name != OUT_OF_SCOPE]
    if result.intent.confidence < engine.threshold:
        return
    # Confidently out of scope is fine too, as long as no real intent is above the threshold.
    assert all(s.confidence < engine.threshold for s in in_scope)


@pytest.mark.parametrize(
    ("text", "intent"),
    [("hello there", "greet"), ("how do i get a bsn", "documents/bsn"),
     ("mag ik werken", "can_i_work"), ("ik zoek werk", "find_job"), ("مع السلامة", "goodbye")],
)
async def test_understands_in_scope_text(engine: EmbeddedNLU, text: str, intent: str) -> None:
    result = await engine.parse(text)
    assert result.intent.name == intent
    assert result.intent.confidence >= engine.threshold
    assert result.base_intent == intent.split("/")[0]
    assert len(result.intent_ranking) <= 10


def test_entities_and_language_come_with_the_parse(engine: EmbeddedNLU) -> None:
    result = engine.parse_sync("I have been waiting 7 months in Utrecht, can I work?")
    assert [(e["entity"], e["value"]) for e in result.entities] == [
        ("duration", "7 months"), ("municipality", "Utrecht")]
    assert result.language == "en"
    assert engine.parse_sync("hoi", lang_hint="nl").language == "nl"


def test_cache_is_reused_and_refreshed_when_data_changes(tmp_path: Path) -> None:
    data_dir, cache_dir = tmp_path / "nlu", tmp_path / "cache"
    shutil.copytree(FIXTURES / "nlu", data_dir)
    first = EmbeddedNLU.load_or_train(data_dir, cache_dir, threshold=0.5)
    assert not first.from_cache
    second = EmbeddedNLU.load_or_train(data_dir, cache_dir, threshold=0.6)
    assert second.from_cache and second.threshold == 0.6
    assert second.data_hash == first.data_hash
    with (data_dir / "en.yml").open("a") as handle:
        handle.write("- intent: thank\n  examples: |\n    - thanks\n    - thank you\n")
    third = EmbeddedNLU.load_or_train(data_dir, cache_dir, threshold=0.5)
    assert not third.from_cache
    assert "thank" in third.classifier.classes
    assert len(list(cache_dir.glob("embedded-*.pkl"))) == 1


def test_unreadable_cache_is_retrained(tmp_path: Path) -> None:
    data_dir, cache_dir = tmp_path / "nlu", tmp_path / "cache"
    shutil.copytree(FIXTURES / "nlu", data_dir)
    EmbeddedNLU.load_or_train(data_dir, cache_dir)
    [cached] = cache_dir.glob("embedded-*.pkl")
    cached.write_bytes(b"not a pickle")
    assert not EmbeddedNLU.load_or_train(data_dir, cache_dir).from_cache
