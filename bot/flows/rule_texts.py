"""Rule values in texts: a text shows `{work_wait_months}`, never "6", so that a change of a
rule (`rules enact`, a new minimum wage) changes every answer that states it.

`hard_coded` finds a number in a text that equals the value of a rule with a unit (months,
weeks, years, euro, ...): content check reports it with the placeholder to write instead.
A number counts only with its unit ("6 months", "€ 14,71"); dates ("29-11-2023") and years
are never rule values; a number is read in any script (Arabic-Indic, Persian digits).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bot.flows.model import ContentBundle, LocalText, Rule
from bot.flows.render import PLACEHOLDER_RE

_NUMBER = re.compile(r"\d+(?:[.,٫]\d+)?")  # \d is every Unicode decimal digit
_YEAR = re.compile(r"(?<!\d)(1[89]|20)\d\d(?!\d)")
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")


@dataclass(frozen=True)
class HardCoded:
    lang: str
    number: str
    rule_ids: tuple[str, ...]  # several when more rules have this value and unit


def valued_rules(bundle: ContentBundle) -> set[str]:
    """Rule ids a text may name as `{id}`: those with a version in force or ended (a
    proposal's value is not a fact: its notice says what it would change)."""
    return {r.id for r in bundle.rules if r.status in ("in_force", "ended")}


def _value_of(number: str) -> float:
    digits = "".join(str(unicodedata.decimal(ch)) if ch.isdigit() else "." for ch in number)
    return float(digits)


def _rule_values(rules: Iterable[Rule]) -> dict[float, list[str]]:
    """Numeric value -> the ids of the rules (with a unit) that have it."""
    values: dict[float, list[str]] = {}
    for rule in rules:
        if rule.unit is None or rule.unit == "flag":
            continue
        if isinstance(rule.value, bool) or not isinstance(rule.value, int | float):
            continue
        ids = values.setdefault(float(rule.value), [])
        if rule.id not in ids:
            ids.append(rule.id)
    return values


# How a rule's unit is written after (or, for money, before) its number, in the languages
# every text must have (config.yml languages.required). A number counts as a rule value only
# with its unit: "Step 3 of 4" and "4 short questions" are not rule values.
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "months": ("month", "months", "maand", "maanden"),
    "weeks": ("week", "weeks", "weken"),
    "years": ("year", "years", "jaar", "older", "ouder"),  # "18 or older", "18 jaar of ouder"
    "days": ("day", "days", "dag", "dagen"),
    "hours per week": ("hour", "hours", "uur"),
    "euro per hour": ("euro", "eur"),
    "percent": ("%", "percent", "procent"),
}
_MONEY = ("€",)
_WORD = re.compile(r"[\w%€]+")


def hard_coded(text: LocalText, bundle: ContentBundle) -> list[HardCoded]:
    """Numbers in the text that are a rule's value written out instead of `{rule_id}`.

    Found by their unit in English and Dutch ("6 months", "€ 14,71", "18 or older"); the
    same number in the text's other languages is reported too (the translations say the
    same thing, in words the check cannot read)."""
    values = _rule_values(bundle.rules)
    found: list[HardCoded] = []
    seen: dict[str, tuple[str, ...]] = {}  # number value -> rule ids, found in en/nl
    for lang in ("en", "nl"):
        raw = text.texts.get(lang)
        if raw is None:
            continue
        for number, rule_ids in _with_unit(PLACEHOLDER_RE.sub(" ", raw), values, bundle):
            found.append(HardCoded(lang, number, rule_ids))
            seen[f"{_value_of(number):g}"] = rule_ids
    for lang, raw in sorted(text.texts.items()):
        if lang in ("en", "nl") or not seen:
            continue
        for match in _NUMBER.finditer(PLACEHOLDER_RE.sub(" ", raw)):
            same = seen.get(f"{_value_of(match[0]):g}")
            if same is not None:
                found.append(HardCoded(lang, match[0], same))
    return found


def _with_unit(
    written: str, values: dict[float, list[str]], bundle: ContentBundle
) -> list[tuple[str, tuple[str, ...]]]:
    units = {r.id: r.unit or "" for r in bundle.rules}
    out = []
    dates = [m.span() for m in _DATE_LIKE.finditer(written)]
    for match in _NUMBER.finditer(written):
        start, end = match.span()
        if any(a <= start < b for a, b in dates) or _is_year(match[0]):
            continue
        after = [w.casefold() for w in _WORD.findall(written[end:end + 30])[:3]]
        before = written[max(0, start - 3):start]
        matching = [
            rule_id for rule_id in values.get(_value_of(match[0]), [])
            if any(w in UNIT_WORDS.get(units.get(rule_id, ""), ()) for w in after)
            or (units.get(rule_id, "").startswith("euro") and any(m in before for m in _MONEY))
        ]
        if matching:
            out.append((match[0], tuple(matching)))
    return out


def _is_year(number: str) -> bool:
    return _YEAR.fullmatch("".join(str(unicodedata.decimal(c)) for c in number
                                   if c.isdigit())) is not None
