"""Read a date the way a person types it, in any supported language.

Numeric dates are read day first (15/3/2025 is 15 March), the Dutch and European convention;
only a four-digit first group (2025-03-15) is read year first. A month without a day
("maart 2025") means the last day of that month (today, for this month) and is flagged
`day_assumed` so the reply can say so. Two-digit years are 20yy unless that is after this
year, then 19yy. Each problem has its own code so the dialogue can give a specific hint.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.flows.expressions import add_months
from bot.flows.monthnames import (
    AGO_WORDS,
    EZAFE,
    MONTHS,
    ONE_WORDS,
    TODAY_WORDS,
    UNITS,
    VAGUE_WORDS,
    YESTERDAY_WORDS,
)
from bot.flows.textnorm import normalise, normalise_words

DateProblemCode = Literal["unreadable", "invalid_day", "future", "too_old", "vague"]
EARLIEST = date(1900, 1, 1)  # no answer to any of our questions lies before this
MAX_TEXT = 300  # a date, even inside a sentence, is shorter; longer text is not read


@dataclass(frozen=True)
class ParsedDate:
    value: date
    day_assumed: bool = False  # "March 2025": the last day of the month was assumed
    approximate: bool = False  # "7 months ago", "yesterday": counted back from today

    @property
    def iso(self) -> str:
        return self.value.isoformat()


@dataclass(frozen=True)
class DateProblem:
    code: DateProblemCode


def _phrases(words: list[str]) -> list[tuple[str, ...]]:
    return [tuple(normalise_words(w).split()) for w in words if normalise_words(w)]


def _month_table() -> tuple[dict[str, dict[tuple[str, ...], int]], dict[tuple[str, ...], int]]:
    per_lang: dict[str, dict[tuple[str, ...], int]] = {}
    merged: dict[tuple[str, ...], int] = {}
    for lang, months in MONTHS.items():
        table = per_lang.setdefault(lang, {})
        suffixes = ("", *(normalise_words(s) for s in EZAFE.get(lang, ())))
        for number, names in enumerate(months, start=1):
            for phrase in _phrases(names):
                for suffix in suffixes:
                    inflected = (*phrase[:-1], phrase[-1] + suffix)
                    table[inflected] = number
                    merged.setdefault(inflected, number)
    return per_lang, merged


_MONTHS_BY_LANG, _MONTHS_ANY = _month_table()
_LONGEST_MONTH = max(len(p) for p in _MONTHS_ANY)
_UNITS = {phrase[0]: unit for unit, words in UNITS.items() for phrase in _phrases(words)}
_AGO = _phrases(AGO_WORDS)
_ONE = {p[0] for p in _phrases(ONE_WORDS)}
_TODAY = set(_phrases(TODAY_WORDS))
_YESTERDAY = set(_phrases(YESTERDAY_WORDS))
_VAGUE = _phrases(VAGUE_WORDS)

_SEP = r"\s*[-/.\s]\s*"
_FULL_NUMERIC = re.compile(rf"(?<![\d.])(\d{{1,4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,4}})(?![\d])")
_COUNT = re.compile(r"[0-9]{1,5}")  # "7 months ago"; longer numbers are not counts
_EDGE_PUNCTUATION = " .,;:!?،؛؟()"
_MONTH_YEAR = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{4}})$")
_YEAR_MONTH = re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}})$")
_DAY_MONTH = re.compile(rf"^\d{{1,2}}{_SEP}\d{{1,2}}$")
_NUMBER_TOKEN = re.compile(r"^(\d+)[^\W\d_]{0,3}$")  # 15th, 1er, 1ê, 2025an


def _expand_year(text: str, today: date) -> int | None:
    if len(text) == 4:
        return int(text)
    if len(text) == 2:
        year = 2000 + int(text)
        return year if year <= today.year else year - 100
    return None


def _make(
    year: int, month: int, day: int, *, day_assumed: bool = False
) -> ParsedDate | DateProblem:
    if not 1 <= year <= 9999:
        return DateProblem("unreadable")
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return DateProblem("invalid_day")
    return ParsedDate(date(year, month, day), day_assumed=day_assumed)


def _month(year: int, month: int) -> ParsedDate | DateProblem:
    """A month without a day: its last day. Dates are asked for as the start of a waiting
    time, so the latest reading is the one that never makes a result too early."""
    if not 1 <= year <= 9999 or not 1 <= month <= 12:
        return DateProblem("unreadable" if not 1 <= year <= 9999 else "invalid_day")
    return _make(year, month, calendar.monthrange(year, month)[1], day_assumed=True)


def _numeric(folded: str, today: date) -> ParsedDate | DateProblem | None:
    """A date written in digits, alone or inside a sentence ("op 15-03-2025 aangevraagd")."""
    found = list(_FULL_NUMERIC.finditer(folded))
    if len(found) > 1:
        return DateProblem("unreadable")  # two dates: which one?
    folded = folded.strip(_EDGE_PUNCTUATION)
    if match := (found[0] if found else None):
        first, month, last = match.groups()
        if len(first) == 4:
            year: int | None = int(first)
            day = last if len(last) <= 2 else ""
        else:
            year, day = _expand_year(last, today), first
        if year is None or not day or len(first) == 3:
            return DateProblem("unreadable")
        return _make(year, int(month), int(day))
    if match := _MONTH_YEAR.match(folded):
        return _month(int(match[2]), int(match[1]))
    if match := _YEAR_MONTH.match(folded):
        return _month(int(match[1]), int(match[2]))
    return None


def _find(words: list[str], phrase: tuple[str, ...]) -> int:
    """The index where `phrase` starts in `words`, or -1."""
    size = len(phrase)
    for i in range(len(words) - size + 1):
        if tuple(words[i : i + size]) == phrase:
            return i
    return -1


def _is_vague(words: list[str]) -> bool:
    return any(_find(words, p) >= 0 for p in (*_VAGUE, *_AGO))


def _relative(words: list[str], today: date) -> ParsedDate | DateProblem | None:
    rest = list(words)
    found_ago = False
    for phrase in _AGO:
        if (at := _find(rest, phrase)) >= 0:
            del rest[at : at + len(phrase)]
            found_ago = True
    if not found_ago:
        return None
    units = [(i, _UNITS[w]) for i, w in enumerate(rest) if w in _UNITS]
    if not units:
        return None  # "منذ مارس 2025" is "since March 2025": let the month names read it
    numbers = [int(w) for w in rest if _COUNT.fullmatch(w)]
    if len(units) > 1 or len(numbers) > 1 or _is_vague(rest):
        return DateProblem("vague")
    unit_index, unit = units[0]
    others = rest[:unit_index] + rest[unit_index + 1 :]
    if numbers:
        count = numbers[0]
    elif any(w in _ONE for w in others):
        count = 1
    else:
        return DateProblem("vague")
    # "7 months ago" is said of anything from about 6.5 to 7.5 months: read it as the latest
    # of these (half a unit later), so that a waiting time counted from it is never too short
    try:
        if unit == "day":
            value = today - timedelta(days=count)
        elif unit == "week":
            value = today - timedelta(weeks=count) + timedelta(days=3)
        elif unit == "month":
            value = add_months(today, -count) + timedelta(days=15)
        else:
            value = add_months(today, -12 * count + 6)
    except (ValueError, OverflowError):
        return DateProblem("too_old")
    return ParsedDate(min(value, today), approximate=True)


def _with_month_name(words: list[str], lang: str, today: date) -> ParsedDate | DateProblem | None:
    preferred = _MONTHS_BY_LANG.get(lang.split("-", 1)[0], {})
    months: set[int] = set()
    numbers: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST_MONTH, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + size])
            month = preferred.get(phrase) or _MONTHS_ANY.get(phrase)
            if month:
                months.add(month)
                i += size
                break
        else:
            if match := _NUMBER_TOKEN.match(words[i]):
                numbers.append(match[1])
            i += 1
    if not months:
        return DateProblem("vague") if [len(n) for n in numbers] == [4] else None
    if len(months) > 1:
        return DateProblem("unreadable")
    month = months.pop()
    years = [n for n in numbers if len(n) == 4]
    small = [n for n in numbers if len(n) <= 2]
    if len(years) + len(small) != len(numbers) or len(years) > 1 or len(small) > 2:
        return DateProblem("unreadable")
    if not years and len(small) == 2:  # "15 March 25": day, then a two-digit year
        expanded = _expand_year(small.pop(), today)
        years = [str(expanded)]
    if not years or len(small) > 1:
        return DateProblem("vague")  # no year: which March?
    if not small:
        return _month(int(years[0]), month)
    return _make(int(years[0]), month, int(small[0]))


def _read(text: str, lang: str, today: date) -> ParsedDate | DateProblem:
    folded = normalise(text)
    if not folded or len(folded) > MAX_TEXT:
        return DateProblem("unreadable")
    numeric = _numeric(folded, today)
    if numeric is not None:
        return numeric
    words = normalise_words(folded).split()
    joined = tuple(words)
    if joined in _TODAY:
        return ParsedDate(today, approximate=True)
    if joined in _YESTERDAY:
        return ParsedDate(today - timedelta(days=1), approximate=True)
    result = _relative(words, today) or _with_month_name(words, lang, today)
    if result is not None:
        return result
    if _is_vague(words) or _DAY_MONTH.match(folded):
        return DateProblem("vague")
    return DateProblem("unreadable")


def parse_date(
    text: str,
    lang: str,
    today: date,
    *,
    min_date: date | None = None,
    max_date: date | None = None,
) -> ParsedDate | DateProblem:
    """Read the person's date; a problem code when it is unreadable, does not exist, lies after
    `max_date` (default: today) or before `min_date` (default: 1900), or is too vague."""
    result = _read(text, lang, today)
    if isinstance(result, DateProblem):
        return result
    latest = max_date or today
    if result.day_assumed and result.value > latest >= result.value.replace(day=1):
        # this month: its last day lies ahead, so the latest day that can be meant is today
        result = ParsedDate(latest, day_assumed=True)
    if result.value > latest:
        return DateProblem("future")
    if result.value < (min_date or EARLIEST):
        return DateProblem("too_old")
    return result
