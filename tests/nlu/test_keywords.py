"""Key words of an intent, and the held-out sets written in issue 13 (they load cleanly)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu.keywords import clashes, key_words
from bot.nlu.training_data import Example, read_training_data

ROOT = Path(__file__).resolve().parents[2]


def _ex(text: str, intent: str, language: str = "en") -> Example:
    return Example(text=text, intent=intent, language=language)


TRAINING = [
    _ex("where can i find a job", "find_job"), _ex("i want a job near the azc", "find_job"),
    _ex("job in tilburg please", "find_job"), _ex("what is a bsn", "documents/bsn"),
    _ex("how do i get a bsn", "documents/bsn"), _ex("hello", "greet"), _ex("hi there", "greet"),
]


def test_frequent_distinctive_words_and_acronyms_are_key_words() -> None:
    keys = key_words(TRAINING)
    assert "job" in keys[("find_job", "en")]
    assert "azc" in keys[("find_job", "en")]  # an acronym of the domain
    assert "bsn" in keys[("documents", "en")]  # compared by base name
    assert "job" not in keys[("documents", "en")]


def test_a_paraphrase_sharing_a_key_word_or_repeating_a_text_clashes() -> None:
    heldout = [_ex("any work around here for me", "find_job"),
               _ex("a job close to tilburg", "find_job"),
               _ex("What is a BSN", "documents/bsn")]
    found = {c.example.text: c.shared for c in clashes(heldout, TRAINING)}
    assert "any work around here for me" not in found
    assert found["a job close to tilburg"] == ("job", "tilburg")
    assert found["What is a BSN"] == ("<same text as a training example>",)


@pytest.mark.parametrize("folder", ["nlu_offtopic", "nlu_paraphrase"])
def test_heldout_sets_load_cleanly_in_their_file_language(folder: str) -> None:
    path = ROOT / "tests" / folder
    data = read_training_data([path])
    assert data.warnings == []
    assert data.examples
    for example in data.examples:
        assert Path(example.file).stem == example.language
