"""Read a date the way a person types it, in any supported language.

Numeric dates are read day first (15/3/2025 is 15 March), the Dutch and European convention;
only a four-digit first group (2025-03-15) is read year first. A month without a day
("maart 2025") means the last day of that month (today, for this month) and is flagged
`day_assumed` so the reply can say so; a day and month without a year ("6 oktober") is the
latest such day that is not in the future, flagged `year_assumed` so the reply can confirm it.
Counts back from today ("7 months ago", "two months ago", "waiting 7 months", "al zeven
maanden") are read half a unit later, the latest day the words can mean, and flagged
`approximate`; the same words ahead of today ("in two months") are a date in the future.
Two-digit years are 20yy unless that is after this year, then 19yy. Each problem has its own
code so the dialogue can give a specific hint.
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
    DUAL_UNITS,
    DURATION_WORDS,
    EZAFE,
    FUTURE_AFTER,
    FUTURE_BEFORE,
    HALF_YEAR_WORDS,
    MONTHS,
    NUMBER_WORDS,
    ONE_UNITS,
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
    year_assumed: bool = False  # "6 October": the latest such day not in the future

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
_AGO = sorted(_phrases(AGO_WORDS), key=len, reverse=True)
_DUAL = {phrase[0]: unit for unit, words in DUAL_UNITS.items() for phrase in _phrases(words)}
_ONE_UNITS = {p[0] for p in _phrases(ONE_UNITS)}
_ONE_AFTER_UNIT = _phrases(NUMBER_WORDS["ar"][1])  # "شهر واحد", a month
_HALF_YEAR = sorted(_phrases(HALF_YEAR_WORDS), key=len, reverse=True)
_PLURAL = {"day": "days", "week": "weeks", "month": "months", "year": "years"}
_FALLBACK_LANGS = ("en", "nl")  # people often write these beside their own language
_TODAY = set(_phrases(TODAY_WORDS))
_YESTERDAY = set(_phrases(YESTERDAY_WORDS))
_VAGUE = _phrases(VAGUE_WORDS)


def _lang(lang: str) -> str:
    return lang.split("-", 1)[0]


def _number_table(lang: str) -> dict[tuple[str, ...], int]:
    """Number words of `lang`, then of English and Dutch (the person's own language wins)."""
    table: dict[tuple[str, ...], int] = {}
    for source in (lang, *_FALLBACK_LANGS):
        for number, words in NUMBER_WORDS.get(source, {}).items():
            for phrase in _phrases(words):
                table.setdefault(phrase, number)
    return table


def _phrase_table(
    words: dict[str, list[str]], lang: str, also: tuple[str, ...]
) -> list[tuple[str, ...]]:
    found = {p for source in (lang, *also) for p in _phrases(words.get(source, []))}
    return sorted(found, key=len, reverse=True)


_NUMBERS = {lang: _number_table(lang) for lang in (*NUMBER_WORDS, "")}
_LONGEST_NUMBER = max(len(p) for table in _NUMBERS.values() for p in table)
_DURATION = {lang: _phrase_table(DURATION_WORDS, lang, _FALLBACK_LANGS)
             for lang in (*DURATION_WORDS, "")}
# Future words of the person's language and English only: Dutch "over 2 maanden" is ahead,
# English "over 7 months ago" is not.
_FUTURE_BEFORE = {lang: _phrase_table(FUTURE_BEFORE, lang, ("en",))
                  for lang in (*FUTURE_BEFORE, "")}
_FUTURE_AFTER = {lang: _phrase_table(FUTURE_AFTER, lang, ("en",))
                 for lang in (*FUTURE_AFTER, "")}

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


def _ends_with(words: list[str], end: int, phrases: list[tuple[str, ...]]) -> bool:
    """Whether one of `phrases` ends right before index `end`."""
    return any(end >= len(p) and tuple(words[end - len(p) : end]) == p for p in phrases)


def _starts_with(words: list[str], start: int, phrases: list[tuple[str, ...]]) -> bool:
    return any(tuple(words[start : start + len(p)]) == p for p in phrases)


def _rewrite(words: list[str]) -> list[str]:
    """Units that carry their count: "half a year" is 6 months, Arabic "شهرين" 2 months."""
    out: list[str] = []
    i = 0
    while i < len(words):
        half = next((p for p in _HALF_YEAR if tuple(words[i : i + len(p)]) == p), None)
        if half:
            out += ["6", "months"]
            i += len(half)
            continue
        if words[i] in _DUAL:
            out += ["2", _PLURAL[_DUAL[words[i]]]]
        else:
            out.append(words[i])
        i += 1
    return out


def _take(words: list[str], phrases: list[tuple[str, ...]]) -> tuple[list[str], bool]:
    """`words` without the marker `phrases`, and whether there was one. A unit that is its
    own marker (Turkish "aydır": for months) stays, since it is also the unit."""
    rest = list(words)
    found = False
    for phrase in phrases:
        while (at := _find(rest, phrase)) >= 0:
            found = True
            if len(phrase) == 1 and phrase[0] in _UNITS:
                break
            del rest[at : at + len(phrase)]
    return rest, found


def _count_before(
    words: list[str], at: int, numbers: dict[tuple[str, ...], int]
) -> tuple[int, int] | None:
    """The count said right before the unit at `at` ("7", "two", "on iki"), and the index
    where it starts."""
    if at >= 1 and _COUNT.fullmatch(words[at - 1]):
        return int(words[at - 1]), at - 1
    for size in range(min(_LONGEST_NUMBER, at), 0, -1):
        phrase = tuple(words[at - size : at])
        if phrase in numbers:
            return numbers[phrase], at - size
    return None


def _has_month_name(words: list[str]) -> bool:
    return any(
        tuple(words[i : i + size]) in _MONTHS_ANY
        for i in range(len(words))
        for size in range(1, _LONGEST_MONTH + 1)
    )


_Count = tuple[int, int, int]  # the unit's index, the count, the index where the count starts


def _counted_units(words: list[str], lang: str) -> list[_Count]:
    numbers = _NUMBERS.get(lang, _NUMBERS[""])
    counted: list[_Count] = []
    for i, word in enumerate(words):
        if word not in _UNITS:
            continue
        if (before := _count_before(words, i, numbers)) is not None:
            counted.append((i, before[0], before[1]))
        elif _starts_with(words, i + 1, _ONE_AFTER_UNIT):
            counted.append((i, 1, i))
    return counted


def _relative(words: list[str], lang: str, today: date) -> ParsedDate | DateProblem | None:
    """A count back from today ("7 months ago", "waiting two months") or ahead of it ("in
    two months"). None when there is none, or no word says which way ("7 months")."""
    lang = _lang(lang)
    rest, ago = _take(_rewrite(words), _AGO)
    rest, waiting = _take(rest, _DURATION.get(lang, _DURATION[""]))
    units = [i for i, w in enumerate(rest) if w in _UNITS]
    if not units:
        return None  # "منذ مارس 2025" is "since March 2025": let the month names read it
    counted = _counted_units(rest, lang)
    future = any(
        _ends_with(rest, start, _FUTURE_BEFORE.get(lang, _FUTURE_BEFORE[""]))
        or _starts_with(rest, unit + 1, _FUTURE_AFTER.get(lang, _FUTURE_AFTER[""]))
        for unit, _, start in counted
    )
    past = ago or waiting
    if not past and not future:
        return None
    digits = [i for i, w in enumerate(rest) if w.isdigit()]
    if not counted:
        if _has_month_name(rest):
            return None  # "منذ شهر مارس": since the month of March
        if len(units) == 1 and rest[units[0]] in _ONE_UNITS and not digits:
            counted = [(units[0], 1, units[0])]  # "قبل شهر", "месяц назад": one month
    if len(counted) != 1 or (past and future) or _is_vague(rest):
        return DateProblem("vague")
    unit_index, count, start = counted[0]
    if any(i != start for i in digits) or count == 0:
        return DateProblem("vague")  # "7 months ago, or 8"; "0 months ago"
    if future:
        return DateProblem("future")
    unit = _UNITS[rest[unit_index]]
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


def _latest_with_year(month: int, day: int, latest: date) -> ParsedDate | DateProblem:
    """"6 October" without a year: the latest 6 October on or before `latest`."""
    if not 1 <= day <= calendar.monthrange(2024, month)[1]:  # 2024: a leap year
        return DateProblem("invalid_day")
    for year in range(latest.year, latest.year - 8, -1):  # 29 February: a leap year back
        if year >= 1 and day <= calendar.monthrange(year, month)[1] and (
            found := date(year, month, day)
        ) <= latest:
            return ParsedDate(found, year_assumed=True)
    return DateProblem("invalid_day")


def _with_month_name(
    words: list[str], lang: str, today: date, latest: date
) -> ParsedDate | DateProblem | None:
    preferred = _MONTHS_BY_LANG.get(_lang(lang), {})
    months: list[tuple[int, int, int]] = []  # the month, its first and its last index
    numbers: list[str] = []
    number_at: set[int] = set()
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST_MONTH, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + size])
            month = preferred.get(phrase) or _MONTHS_ANY.get(phrase)
            if month:
                months.append((month, i, i + size - 1))
                i += size
                break
        else:
            if match := _NUMBER_TOKEN.match(words[i]):
                numbers.append(match[1])
                number_at.add(i)
            i += 1
    if not months:
        return DateProblem("vague") if [len(n) for n in numbers] == [4] else None
    if len({m for m, _, _ in months}) > 1:
        # "6 October, may I work?": then the month name nearest a number is the month
        for near in (1, 2):
            beside = [m for m in months if number_at & {m[1] - near, m[2] + near}]
            if len({m for m, _, _ in beside}) == 1:
                months = beside
                break
        else:
            return DateProblem("unreadable")
    month = months[0][0]
    years = [n for n in numbers if len(n) == 4]
    small = [n for n in numbers if len(n) <= 2]
    if len(years) + len(small) != len(numbers) or len(years) > 1 or len(small) > 2:
        return DateProblem("unreadable")
    if not years and len(small) == 2:  # "15 March 25": day, then a two-digit year
        expanded = _expand_year(small.pop(), today)
        if expanded is None:
            return DateProblem("unreadable")  # "15 March 5"
        years = [str(expanded)]
    if not years and small:  # "6 October": which year? The latest, for the reply to confirm
        return _latest_with_year(month, int(small[0]), latest)
    if not years:
        return DateProblem("vague")  # no day and no year: which March?
    if not small:
        return _month(int(years[0]), month)
    return _make(int(years[0]), month, int(small[0]))


def _read(text: str, lang: str, today: date, latest: date) -> ParsedDate | DateProblem:
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
    result = _relative(words, lang, today) or _with_month_name(words, lang, today, latest)
    if result is not None:
        return result
    if _is_vague(words) or _DAY_MONTH.match(folded) or _counted_units(words, _lang(lang)):
        return DateProblem("vague")  # "7 months": ago, or still to come?
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
    `max_date` (default: today) or before `min_date` (default: 1900), or is too vague. A day
    and month without a year are read in the latest year that puts them on or before both
    today and `max_date`."""
    latest = max_date or today
    result = _read(text, lang, today, min(latest, today))
    if isinstance(result, DateProblem):
        return result
    if result.day_assumed and result.value > latest >= result.value.replace(day=1):
        # this month: its last day lies ahead, so the latest day that can be meant is today
        result = ParsedDate(latest, day_assumed=True)
    if result.value > latest:
        return DateProblem("future")
    if result.value < (min_date or EARLIEST):
        return DateProblem("too_old")
    return result
