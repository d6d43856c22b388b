"""Where the numbers in an answer come from.

A *number* is a run of digits in any script: ASCII, Arabic-Indic (٠-٩), Persian (۰-۹) and
every other Unicode decimal digit, read as its value ("٢٤" is 24, "007" is 7), or a run of
Ge'ez numerals (፳፬ is 24). "14.71" and "0,56" are two numbers each (14 and 71): both sides of
the check are read the same way, so a decimal amount still has to be written in a source.

A number in an answer's text (any language) is *allowed* when it is
  1. in rules.yml: a rule's numeric value, or a part of a rule's valid_from / valid_to date;
  2. in one of the answer's own sources: its title (a source's date, e.g. "(3 Nov 2025)"), or
     the numbers a source's note lists as `numbers: 5, 14.71 — what they are`, the author's
     statement that this source gives this number (only the part before the " — ").
Source addresses (URLs) and checked dates do not count: they say nothing about the topic.
Numbers written as words ("three months") are not seen; the answers use digits.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bot.flows.model import Answer, Rule

_GEEZ = {**{0x1369 + i: i + 1 for i in range(9)},  # ፩-፱
         **{0x1372 + i: (i + 1) * 10 for i in range(9)},  # ፲-፺
         0x137B: 100, 0x137C: 10_000}  # ፻ ፼
NOTE_PREFIX = "numbers:"
NOTE_END = " — "


def _geez_value(chars: str) -> int:
    total, current = 0, 0
    for ch in chars:
        value = _GEEZ[ord(ch)]
        if value == 10_000:
            total = ((total + current) or 1) * 10_000
            current = 0
        elif value == 100:
            total += (current or 1) * 100
            current = 0
        else:
            current += value
    return total + current


def numbers_in(text: str) -> list[int]:
    """Every number in the text, in order, as values."""
    found: list[int] = []
    digits, geez = "", ""
    for ch in f"{text} ":
        decimal = unicodedata.decimal(ch, None)
        if decimal is not None:
            digits += str(decimal)
        elif digits:
            found.append(int(digits))
            digits = ""
        if ord(ch) in _GEEZ:
            geez += ch
        elif geez:
            found.append(_geez_value(geez))
            geez = ""
    return found


def rule_numbers(rules: Iterable[Rule]) -> set[int]:
    allowed: set[int] = set()
    for rule in rules:
        if isinstance(rule.value, int | float) and not isinstance(rule.value, bool):
            allowed.update(numbers_in(str(rule.value)))
        for day in (rule.valid_from, rule.valid_to):
            if day is not None:
                allowed.update((day.year, day.month, day.day))
    return allowed


def source_numbers(answer: Answer, notes: dict[str, str]) -> set[int]:
    """Numbers the answer's sources give: titles, and `numbers:` in their notes (by URL)."""
    allowed: set[int] = set()
    for source in answer.sources:
        allowed.update(numbers_in(source.title or ""))
        note = notes.get(source.url, "")
        if note.startswith(NOTE_PREFIX):
            allowed.update(numbers_in(note[len(NOTE_PREFIX):].split(NOTE_END, 1)[0]))
    return allowed


@dataclass(frozen=True)
class Unsourced:
    answer: str
    language: str
    number: int

    def __str__(self) -> str:
        return (f"{self.answer} ({self.language}): {self.number} is not in rules.yml nor in "
                "the answer's sources; add it to a source's note as `numbers: ... — what it "
                "is`, or take it out")


def unsourced_numbers(
    answers: Iterable[Answer], rules: Iterable[Rule], notes: dict[str, dict[str, str]]
) -> list[Unsourced]:
    """Every number in every answer text that is not allowed (see the module docstring).
    `notes`: answer key -> source URL -> note (the model keeps no notes, the YAML does)."""
    from_rules = rule_numbers(rules)
    problems = []
    for answer in answers:
        allowed = from_rules | source_numbers(answer, notes.get(answer.key, {}))
        for lang, text in sorted(answer.text.texts.items()):
            for number in dict.fromkeys(numbers_in(text)):
                if number not in allowed:
                    problems.append(Unsourced(answer.key, lang, number))
    return problems
