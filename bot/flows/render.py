"""Turn localised content into the text a person reads: language chosen, placeholders filled.

Placeholders are `{name}` only (no format specs, no attribute access: `str.format` would let
content reach into objects). `{{` and `}}` write literal braces. Dates are written in the
language of the text with babel's long format where babel knows the locale, else as ISO.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from bot.errors import ContentError
from bot.flows.model import LocalText

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_]\w*)\}")
_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_]\w*)\}(?!\})")
PLACEHOLDER_RE = _PLACEHOLDER
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOCALE_ALIASES = {"prs": "fa_AF", "kmr": "ku"}  # codes we use that CLDR spells otherwise


def placeholders(text: LocalText) -> set[str]:
    """The `{name}` placeholders used in any language of a text."""
    return {name for value in text.texts.values() for name in _PLACEHOLDER.findall(value)}


@lru_cache(maxsize=64)
def babel_locale(lang: str) -> Locale | None:
    """The babel locale for a language code, or None when babel has none."""
    for code in (_LOCALE_ALIASES.get(lang, lang), lang.split("-", 1)[0]):
        try:
            return Locale.parse(code.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            continue
    return None


class MonthYear(date):
    """A date of which only the month is meant ("Information as of February 2026")."""


def format_month(day: date, lang: str) -> str:
    """"February 2026" in the reader's language (YYYY-MM when babel lacks the locale)."""
    locale = babel_locale(lang)
    if locale is None:
        return day.isoformat()[:7]
    return format_skeleton("yMMMM", day, locale=locale)


def format_value(value: Any, lang: str) -> str:
    """A slot value as text: dates in the language's long form (months as month and year),
    decimal numbers in the language's notation (14,71 in Dutch), the rest as written."""
    if isinstance(value, MonthYear):
        return format_month(value, lang)
    if isinstance(value, float):
        locale = babel_locale(lang)
        if locale is None:
            return f"{value:.2f}".rstrip("0").rstrip(".")
        return str(format_decimal(value, format="#,##0.##", locale=locale))
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, date):
        locale = babel_locale(lang)
        return format_date(value, format="long", locale=locale) if locale else value.isoformat()
    if value is None:
        return ""
    return str(value)


def fill(template: str, lookup: Callable[[str], Any], lang: str) -> str:
    """Replace each `{name}` with `lookup(name)` formatted for `lang`."""

    def replace(match: re.Match[str]) -> str:
        if match[0] == "{{":
            return "{"
        if match[0] == "}}":
            return "}"
        return format_value(lookup(match[1]), lang)

    return _TOKEN.sub(replace, template)


def render(text: LocalText, lang: str, lookup: Callable[[str], Any]) -> tuple[str, str]:
    """(filled text, language used) for the reader's language, falling back to English."""
    template, used = text.get(lang)
    if not template:
        raise ContentError(f"a text is empty in every language: {dict(text.texts)!r}")
    return fill(template, lookup, used), used
