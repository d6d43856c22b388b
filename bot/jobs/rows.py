"""Checking one row of a job-leads CSV: every problem named, or the lead's column values.

The people who read leads are vulnerable and the chat shows titles and employer names as they
are, so text is plain text only: no HTML or script, no control characters, no contact details
in what the person sees (employers are contacted through a coach, never by the person).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.jobs.models import LANGUAGE_LEVELS, MAX_HOURS_PER_WEEK, SECTORS, TEXT_LIMITS
from bot.jobs.places import Places

REQUIRED_COLUMNS: tuple[str, ...] = (
    "employer", "title", "sector", "municipality", "hours_min", "hours_max", "language_level",
    "twv_willing", "contact_route", "valid_until",
)  # fmt: skip
OPTIONAL_COLUMNS: tuple[str, ...] = ("source", "notes", "is_sample")
COLUMN_ALIASES = {"municipality_code": "municipality", "sample": "is_sample"}
# Besides the flow's own values, what a spreadsheet is likely to say (the brief's long names,
# and Dutch).
SECTOR_ALIASES = {
    "kitchen_hospitality": "hospitality", "kitchen": "hospitality", "horeca": "hospitality",
    "keuken": "hospitality", "warehouse_logistics": "logistics", "warehouse": "logistics",
    "magazijn": "logistics", "logistiek": "logistics", "schoonmaak": "cleaning",
    "productie": "production", "zorg": "care", "overig": "other", "anders": "other",
}  # fmt: skip
LEVEL_ALIASES = {"geen": "none", "no": "none", "nee": "none"}
TRUE_WORDS = frozenset({"yes", "ja", "true", "1"})
FALSE_WORDS = frozenset({"no", "nee", "false", "0"})
MAX_PLACE_TEXT = 100

_HTML_RE = re.compile(r"<\s*[a-z/!?]|javascript\s*:|&(?:lt|gt|#\d+|#x[0-9a-f]+);", re.I)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_PHONE_RE = re.compile(r"(?<!\d)(?:\+|00)?\d(?:[\s().-]?\d){8,}(?!\d)")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL_RE = re.compile(r"https?://|www\.", re.I)
_GM_RE = re.compile(r"gm\d{4}", re.I)
_DMY_RE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SPACE_RE = re.compile(r"\s+")
SHOWN_TO_PEOPLE = ("employer", "title")
ONE_LINE = ("employer", "title", "source")


def header_name(raw: str) -> str:
    """A header cell as a column name: 'Hours min' and 'hours-min' are 'hours_min'."""
    name = re.sub(r"[\s-]+", "_", raw.strip().strip('"').casefold())
    return COLUMN_ALIASES.get(name, name)


def shown(value: str, limit: int = 40) -> str:
    """A value quoted for a report line, cut short: the report never echoes a whole field."""
    value = value.replace("\n", " ")
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def parse_bool(value: str) -> bool | None:
    word = value.strip().casefold()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def parse_day(value: str) -> date | None:
    """A day written ISO (2027-03-31) or Dutch style (31-03-2027, 31/03/2027, 31.03.2027)."""
    text = value.strip()
    if m := _ISO_RE.fullmatch(text):
        y, mo, d = (int(g) for g in m.groups())
    elif m := _DMY_RE.fullmatch(text):
        d, mo, y = (int(g) for g in m.groups())
    else:
        return None
    try:
        return date(y, mo, d)
    except ValueError:
        return None


@dataclass
class RowChecker:
    """Checks rows against the place data and today's date; remembers rows seen for duplicates."""

    places: Places
    today: date
    _places_seen: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    _leads_seen: dict[tuple[str, ...], int] = field(default_factory=dict)

    def check(self, row: int, values: dict[str, str]) -> tuple[dict[str, Any] | None, list[str]]:
        """The lead's column values and no problems, or None and every problem of the row."""
        problems: list[str] = []
        texts = {name: self._text(name, values.get(name, ""), problems)
                 for name in ("employer", "title", "contact_route", "source", "notes")}
        for name in ("employer", "title", "contact_route"):
            if not texts[name]:
                problems.append(f"{name} is empty")
        lead: dict[str, Any] = {
            **texts,
            "source": texts["source"] or None,
            "notes": texts["notes"] or None,
            "sector": self._sector(values.get("sector", ""), problems),
            "municipality_code": self._municipality(values.get("municipality", ""), problems),
            "language_level": self._level(values.get("language_level", ""), problems),
            "twv_willing": self._flag("twv_willing", values.get("twv_willing", ""), problems),
            "is_sample": self._flag("is_sample", values.get("is_sample", ""), problems, False),
            "valid_until": self._valid_until(values.get("valid_until", ""), problems),
        }
        lead["hours_min"], lead["hours_max"] = self._hours(values, problems)
        if not problems:
            key = tuple(str(lead[k]).casefold() for k in
                        ("employer", "title", "municipality_code", "valid_until"))
            if (first := self._leads_seen.setdefault(key, row)) != row:
                problems.append(f"the same lead as row {first} (employer, title, place, date)")
        return (None, problems) if problems else (lead, [])

    @staticmethod
    def _text(name: str, raw: str, problems: list[str]) -> str:
        value = unicodedata.normalize("NFC", raw).strip()
        limit = TEXT_LIMITS[name]
        if len(value) > limit:
            problems.append(f"{name} is {len(value)} characters long; at most {limit}")
            return ""
        if _HTML_RE.search(value):
            problems.append(f"{name} contains HTML or script ({shown(value)}); plain text only")
        if _CONTROL_RE.search(value):
            problems.append(f"{name} contains control characters; plain text only")
        if name in SHOWN_TO_PEOPLE and (
            _PHONE_RE.search(value) or _EMAIL_RE.search(value) or _URL_RE.search(value)
        ):
            problems.append(
                f"{name} contains a phone number, e-mail address or link ({shown(value)}); "
                "people see this field, so put contact details in contact_route"
            )
        return _SPACE_RE.sub(" ", value) if name in ONE_LINE else value

    @staticmethod
    def _sector(raw: str, problems: list[str]) -> str:
        word = raw.strip().casefold().replace(" ", "_").replace("/", "_")
        sector = SECTOR_ALIASES.get(word, word)
        if sector not in SECTORS:
            what = "is empty" if not word else f"{shown(raw)} is not one of"
            problems.append(f"sector {what}: {', '.join(SECTORS)}")
        return sector

    @staticmethod
    def _level(raw: str, problems: list[str]) -> str:
        word = raw.strip()
        level = LEVEL_ALIASES.get(word.casefold(), word.upper() if len(word) == 2 else word)
        if level.casefold() == "none":
            level = "none"
        if level not in LANGUAGE_LEVELS:
            what = "is empty" if not word else f"{shown(raw)} is not one of"
            problems.append(f"language_level {what}: {', '.join(LANGUAGE_LEVELS)}")
        return level

    @staticmethod
    def _flag(
        name: str, raw: str, problems: list[str], default: bool | None = None
    ) -> bool | None:
        if not raw.strip() and default is not None:
            return default
        value = parse_bool(raw)
        if value is None:
            what = "is empty" if not raw.strip() else f"{shown(raw)} is not"
            problems.append(f"{name} {what} yes/no (also ja/nee, true/false, 1/0)")
        return value

    def _valid_until(self, raw: str, problems: list[str]) -> date | None:
        if not raw.strip():
            problems.append("valid_until is empty")
            return None
        day = parse_day(raw)
        if day is None:
            problems.append(f"valid_until {shown(raw)} is not a date (2027-03-31 or 31-03-2027)")
        elif day < self.today:
            problems.append(f"valid_until {day.isoformat()} is in the past")
        return day

    @staticmethod
    def _hours(values: dict[str, str], problems: list[str]) -> tuple[int | None, int | None]:
        raw_low = values.get("hours_min", "").strip()
        raw_high = values.get("hours_max", "").strip()
        if not raw_low:
            problems.append("hours_min is empty")
            return None, None
        low = _whole_hours("hours_min", raw_low, problems)
        high = _whole_hours("hours_max", raw_high, problems) if raw_high else low
        if low is None or high is None:
            return None, None
        if not 1 <= low <= high <= MAX_HOURS_PER_WEEK:
            problems.append(
                f"hours {low}-{high}: both must be 1 to {MAX_HOURS_PER_WEEK} a week, "
                "hours_min not above hours_max"
            )
        return low, high

    def _municipality(self, raw: str, problems: list[str]) -> str | None:
        text = raw.strip()
        if not text:
            problems.append("municipality is empty")
            return None
        if text not in self._places_seen:
            self._places_seen[text] = self._resolve(text)
        code, problem = self._places_seen[text]
        if problem:
            problems.append(problem)
        return code

    def _resolve(self, text: str) -> tuple[str | None, str | None]:
        """(GM code, None) or (None, why not); fuzzy guesses are refused, with the guess."""
        if len(text) > MAX_PLACE_TEXT:
            return None, f"municipality is {len(text)} characters long; at most {MAX_PLACE_TEXT}"
        if _GM_RE.fullmatch(text):
            code = text.upper()
            try:
                return self.places.get(code).code, None
            except KeyError:
                return None, f"municipality code {code} does not exist (CBS 2025 division)"
        found = self.places.candidates(text)
        named = ", ".join(f"{m.municipality_name} ({m.municipality_code})" for m in found[:4])
        if not found:
            return None, f"municipality {shown(text)} is not a Dutch municipality or place"
        if len(found) > 1:
            return None, f"municipality {shown(text)} may be {named}; use the GM code"
        if found[0].via == "fuzzy":
            return None, f"municipality {shown(text)} is not known; did you mean {named}?"
        return found[0].municipality_code, None



def _whole_hours(name: str, raw: str, problems: list[str]) -> int | None:
    if raw.isascii() and raw.isdecimal():
        return int(raw)
    problems.append(f"{name} {shown(raw)} is not a whole number of hours")
    return None
