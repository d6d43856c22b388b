"""Rule-based entity extraction: `duration`, `date` and lookup-table entities (`municipality`).

Entities come out in Rasa's shape, `{"entity", "value", "start", "end", "extractor"}`, with
spans into the original text. Numbers and units are matched on the normalised text, so
Persian digits, Arabic alef forms and vowel marks do not matter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from bot.nlu.entity_patterns import MONTH_NAMES, MONTHS_PER_UNIT, NUMBER_WORDS, UNIT_WORDS
from bot.nlu.normalize import normalise_with_offsets
from bot.nlu.training_data import TrainingData

EXTRACTOR = "WerkpadRuleExtractor"
_TOKEN = re.compile(r"\w+(?:['\-]\w+)*")
# Municipalities whose names are also everyday words; they match only when capitalised.
_AMBIGUOUS = frozenset({"best", "goes", "buren", "bergen", "laren", "putten", "sluis", "stein",
                        "beek", "haren", "altena", "westland", "midden", "land"})
_STANDALONE_MONTHS = {"half a year": 6.0, "halfjaar": 6.0, "полгода": 6.0, "شهرین": 2.0,
                      "سنتین": 24.0, "six months": 6.0}


def _alternatives(words: tuple[str, ...] | list[str]) -> str:
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    return "|".join(sorted(parts, key=len, reverse=True))


_NUMBER = r"\d+(?:[.,]\d+)?|" + _alternatives(list(NUMBER_WORDS))
_UNITS = "|".join(f"(?P<{unit}>{_alternatives(words)})" for unit, words in UNIT_WORDS.items())
DURATION = re.compile(rf"(?<!\w)(?P<num>{_NUMBER})\s*-?\s*(?:{_UNITS})(?!\w)")
STANDALONE = re.compile(rf"(?<!\w)(?:{_alternatives(list(_STANDALONE_MONTHS))})(?!\w)")
_MONTH = "|".join(f"(?P<m{n}>{_alternatives(names)})" for n, names in MONTH_NAMES.items())
DATE_NAMED = re.compile(
    rf"(?<!\w)(?:(?P<day>\d{{1,2}})\.?\s*)?(?:{_MONTH})(?!\w)(?:,?\s*(?P<year>\d{{4}}))?(?!\d)"
)
DATE_NUMERIC = re.compile(
    r"(?<![\d/.\-])(?:(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"|(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4}|\d{2})"
    r"|(?P<my_m>\d{1,2})[-/](?P<my_y>\d{4}))(?![\d/.\-])"
)


def _number(word: str) -> float | None:
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    try:
        return float(word.replace(",", "."))
    except ValueError:
        return None


def _entity(name: str, value: Any, start: int, end: int, **info: Any) -> dict[str, Any]:
    entity: dict[str, Any] = {"entity": name, "start": start, "end": end, "value": value,
                              "extractor": EXTRACTOR}
    if info:
        entity["additional_info"] = info
    return entity


def extract_durations(text: str) -> list[dict[str, Any]]:
    """Find "7 months", "zes maanden", "۷ ماه", "полгода" and similar."""
    norm, offsets = normalise_with_offsets(text)
    found: list[dict[str, Any]] = []
    for match in STANDALONE.finditer(norm):
        start, end = offsets[match.start()], offsets[match.end() - 1] + 1
        months = _STANDALONE_MONTHS[match.group(0)]
        found.append(_entity("duration", text[start:end], start, end, amount=months,
                             unit="month", months=months))
    for match in DURATION.finditer(norm):
        amount = _number(match.group("num"))
        unit = next((u for u in UNIT_WORDS if match.group(u)), "month")
        start, end = offsets[match.start()], offsets[match.end() - 1] + 1
        if amount is None or any(e["start"] < end and start < e["end"] for e in found):
            continue
        found.append(_entity("duration", text[start:end], start, end, amount=amount, unit=unit,
                             months=round(amount * MONTHS_PER_UNIT[unit], 2)))
    return sorted(found, key=lambda e: int(e["start"]))


def extract_dates(text: str) -> list[dict[str, Any]]:
    """Find "15-03-2024", "2024-03-15", "03/2024", "maart 2024", "15 mars" and similar."""
    norm, offsets = normalise_with_offsets(text)
    found = []
    for match in DATE_NUMERIC.finditer(norm):
        g = match.groupdict()
        if g["iy"]:
            parts = (int(g["iy"]), int(g["im"]), int(g["id"]))
        elif g["y"]:
            year = int(g["y"]) + (2000 if len(g["y"]) == 2 else 0)
            parts = (year, int(g["m"]), int(g["d"]))
        else:
            parts = (int(g["my_y"]), int(g["my_m"]), 0)
        found.append(_date(text, offsets, match, *parts))
    for match in DATE_NAMED.finditer(norm):
        if not (match.group("day") or match.group("year")):
            continue  # "may" or "mart" alone is too often not a month
        month = next(int(k[1:]) for k, v in match.groupdict().items() if k[0] == "m" and v)
        year = int(match.group("year") or 0)
        found.append(_date(text, offsets, match, year, month, int(match.group("day") or 0)))
    return [e for e in found if e]


def _date(text: str, offsets: list[int], match: re.Match[str], year: int, month: int,
          day: int) -> dict[str, Any]:
    if not 1 <= month <= 12 or day > 31:
        return {}
    start, end = offsets[match.start()], offsets[match.end() - 1] + 1
    info: dict[str, int] = {"month": month}
    if year:
        info["year"] = year
    if day:
        info["day"] = day
    return _entity("date", text[start:end], start, end, **info)


def _key(token: str) -> str:
    folded = unicodedata.normalize("NFD", token)
    return "".join(c for c in folded if not unicodedata.combining(c))


@dataclass(slots=True)
class LookupMatcher:
    """Matches the phrases of lookup tables (and their synonyms) as token n-grams."""

    phrases: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)
    max_tokens: int = 1

    @classmethod
    def from_training_data(cls, data: TrainingData) -> LookupMatcher:
        matcher = cls()
        synonyms = data.synonym_map()
        for entity, entries in data.lookups.items():
            canonical = {e.casefold(): e for e in entries}
            for entry in entries:
                matcher.add(entry, entity, entry)
            for variant, value in synonyms.items():
                if value.casefold() in canonical:
                    matcher.add(variant, entity, canonical[value.casefold()])
        for example in data.examples:
            for ent in example.entities:
                if ent["entity"] in data.lookups:
                    span = example.text[ent["start"] : ent["end"]]
                    matcher.add(span, ent["entity"], str(ent["value"]))
        return matcher

    def add(self, phrase: str, entity: str, value: str) -> None:
        norm, _ = normalise_with_offsets(phrase)
        key = tuple(_key(t) for t in _TOKEN.findall(norm))
        if key and len(key) <= 8:
            self.phrases.setdefault(key, (entity, value.strip()))
            self.max_tokens = max(self.max_tokens, len(key))

    def extract(self, text: str) -> list[dict[str, Any]]:
        norm, offsets = normalise_with_offsets(text)
        tokens = [(m.start(), m.end(), _key(m.group())) for m in _TOKEN.finditer(norm)]
        found, i = [], 0
        while i < len(tokens):
            for n in range(min(self.max_tokens, len(tokens) - i), 0, -1):
                key = tuple(t[2] for t in tokens[i : i + n])
                hit = self.phrases.get(key)
                start, end = offsets[tokens[i][0]], offsets[tokens[i + n - 1][1] - 1] + 1
                if hit and (n > 1 or _plausible(text[start:end], key[0])):
                    found.append(_entity(hit[0], hit[1], start, end))
                    i += n
                    break
            else:
                i += 1
        return found


def _plausible(original: str, key: str) -> bool:
    """A one-word name that is also a common or very short word must be capitalised."""
    if (key in _AMBIGUOUS or len(key) <= 3) and key.isascii():
        return original[:1].isupper()
    return True


@dataclass(slots=True)
class EntityExtractor:
    """All rule extractors together; overlapping spans keep the earlier, longer one."""

    lookups: LookupMatcher = field(default_factory=LookupMatcher)

    @classmethod
    def from_training_data(cls, data: TrainingData) -> EntityExtractor:
        return cls(LookupMatcher.from_training_data(data))

    def extract(self, text: str) -> list[dict[str, Any]]:
        candidates = extract_dates(text) + extract_durations(text) + self.lookups.extract(text)
        candidates.sort(key=lambda e: (e["start"], -(e["end"] - e["start"])))
        kept: list[dict[str, Any]] = []
        for entity in candidates:
            if not kept or entity["start"] >= kept[-1]["end"]:
                kept.append(entity)
        return kept
