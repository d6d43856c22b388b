"""Key words of an intent, so a held-out paraphrase can be checked to share none of them.

A word is a key word of (intent, language) when it is frequent in that intent's training
examples of that language (in at least `MIN_SHARE` of them) and distinctive: at least
`MIN_LIFT` times as frequent there as in the other intents' examples of the same language.
Acronyms of the domain (BSN, TWV, COA, ...) are key words of every intent that uses them.
Intents are compared by base name (`documents/bsn` counts as `documents`).
`scripts/nlu_keywords.py` lists them and checks a held-out folder (docs/nlu.md).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from bot.nlu.normalize import normalise
from bot.nlu.training_data import Example

MIN_SHARE = 0.12
MIN_LIFT = 3.0
MIN_LETTERS = 3
ACRONYMS = frozenset({"bsn", "twv", "coa", "ind", "uwv", "azc", "brp", "gva", "digid", "ivs",
                      "pol", "iban", "cao", "nidos", "tewerkstellingsvergunning"})
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> set[str]:
    """The normalised words of `text` with at least MIN_LETTERS letters."""
    return {w for w in _WORD.findall(normalise(text))
            if sum(c.isalpha() for c in w) >= MIN_LETTERS}


@dataclass(frozen=True, slots=True)
class Clash:
    example: Example
    shared: tuple[str, ...]  # the key words it shares with its intent's training examples


def key_words(training: list[Example]) -> dict[tuple[str, str], set[str]]:
    """(base intent, language) -> its key words."""
    per_intent: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    sizes: Counter[tuple[str, str]] = Counter()
    per_language: dict[str, Counter[str]] = defaultdict(Counter)
    language_sizes: Counter[str] = Counter()
    for example in training:
        key = (example.base_intent, example.language)
        found = words(example.text)
        per_intent[key].update(found)
        sizes[key] += 1
        per_language[example.language].update(found)
        language_sizes[example.language] += 1
    out: dict[tuple[str, str], set[str]] = {}
    for key, counts in per_intent.items():
        _intent, language = key
        size = sizes[key]
        others = language_sizes[language] - size
        chosen = set()
        for word, count in counts.items():
            share = count / size
            if word in ACRONYMS:
                chosen.add(word)
                continue
            if share < MIN_SHARE:
                continue
            rest = (per_language[language][word] - count) / others if others else 0.0
            if rest == 0 or share / rest >= MIN_LIFT:
                chosen.add(word)
        out[key] = chosen
    return out


def clashes(heldout: list[Example], training: list[Example]) -> list[Clash]:
    """Held-out examples that repeat a training text or share a key word of their intent."""
    keys = key_words(training)
    seen = {(normalise(e.text), e.language) for e in training}
    out = []
    for example in heldout:
        if (normalise(example.text), example.language) in seen:
            out.append(Clash(example, ("<same text as a training example>",)))
            continue
        shared = words(example.text) & (keys.get((example.base_intent, example.language), set())
                                        | ACRONYMS)
        if shared:
            out.append(Clash(example, tuple(sorted(shared))))
    return out
