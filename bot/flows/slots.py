"""Check a person's answer to an `ask` step and turn it into the slot's stored value.

Stored values are JSON-friendly (docs/flows.md): choice -> option value (str), yes_no -> bool,
date -> ISO date (str), number -> int, text -> str, municipality -> GM code (str). A refused
answer gets a code the dialogue can turn into a specific hint.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bot.errors import ContentError, WerkpadError
from bot.flows.dates import ParsedDate, parse_date
from bot.flows.model import AskSpec, Keywords
from bot.flows.textnorm import normalise, normalise_words, strip_invisible

ANSWER_PREFIX = "answer:"
DONT_KNOW = "dont_know"  # an option with this value also takes keywords.yml's dont_know words
MAX_TEXT = 500
_DIGITS = re.compile(r"[0-9]+")  # normalise() has turned every script's digits into 0-9
_OTHER_PAYLOAD = re.compile(r"^(intent|flow|cmd|lang):\S+$")
# If keywords.yml lacks yes/no, these still work (and the content check reports the gap).
_DEFAULT_WORDS = {"yes": ("yes",), "no": ("no",)}

ResolveMunicipality = Callable[[str], str | None]


@dataclass(frozen=True)
class SlotOk:
    value: str | int | bool
    # "day_assumed" (March 2025 -> 1 March), "year_assumed" (6 October -> the last 6 October)
    # or "approximate" ("7 months ago")
    note: str | None = None


@dataclass(frozen=True)
class SlotInvalid:
    """Why the answer was refused: empty, not_an_option, not_yes_no, unexpected_button,
    not_a_number, too_small, too_large, too_long, unknown_municipality, or a date code
    (unreadable, invalid_day, future, too_old, vague)."""

    code: str


def _date_bound(value: str | int | float | None, today: date) -> date | None:
    if value == "today":
        return today
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:  # `content check` reports it; running content may still have it
        raise ContentError(f"date bound {value!r} is not YYYY-MM-DD or 'today'") from exc


def _choice(
    ask: AskSpec, text: str, payload: str | None, keywords: Keywords
) -> SlotOk | SlotInvalid:
    values = [option.value for option in ask.options]
    if payload is not None:
        return SlotOk(payload) if payload in values else SlotInvalid("not_an_option")
    wanted = normalise_words(text)
    if _DIGITS.fullmatch(wanted) and len(wanted) < 4 and 1 <= int(wanted) <= len(values):
        return SlotOk(values[int(wanted) - 1])
    named = _named_option(ask, text, keywords)
    if named is not None:
        return named
    # Options valued yes/no also take the yes/no words of every language ("نعم", "evet"),
    # since labels are often written in fewer languages than keywords.
    said = _yes_no(text, None, keywords)
    if isinstance(said, SlotOk):
        value = "yes" if said.value else "no"
        if value in values:
            return SlotOk(value)
    found = _matched_option(ask, text)
    return found if found is not None else SlotInvalid("not_an_option")


def _named_option(ask: AskSpec, text: str, keywords: Keywords) -> SlotOk | None:
    """The option whose value or label is the whole text, or dont_know said in words."""
    wanted = normalise_words(text)
    for option in ask.options:
        written = [option.value, *option.label.texts.values()]
        if any(normalise_words(w) == wanted for w in written):
            return SlotOk(option.value)
    if DONT_KNOW in (o.value for o in ask.options) and keywords.match(text) == DONT_KNOW:
        return SlotOk(DONT_KNOW)
    return None


def _matched_option(ask: AskSpec, text: str) -> SlotOk | None:
    """The one option whose `match` words appear in the text; None when none or several do
    (an answer that fits two options is asked again rather than guessed)."""
    folded = f" {normalise_words(text)} "
    hits = {option.value for option in ask.options
            for words in option.match.values() for word in words
            if f" {normalise_words(word)} " in folded}
    return SlotOk(hits.pop()) if len(hits) == 1 else None


def _yes_no(text: str, payload: str | None, keywords: Keywords) -> SlotOk | SlotInvalid:
    if payload is not None:
        return SlotOk(payload == "yes") if payload in ("yes", "no") else SlotInvalid("not_yes_no")
    wanted = normalise_words(text)
    for answer in ("yes", "no"):
        words = keywords.words_for(answer) or _DEFAULT_WORDS[answer]
        if any(normalise_words(w) == wanted for w in words):
            return SlotOk(answer == "yes")
    return SlotInvalid("not_yes_no")


def _number(ask: AskSpec, text: str) -> SlotOk | SlotInvalid:
    numbers = _DIGITS.findall(normalise(text))
    if len(numbers) != 1:
        return SlotInvalid("not_a_number")
    if len(numbers[0]) > 9:
        return SlotInvalid("too_large")
    value = int(numbers[0])
    if isinstance(ask.min, int | float) and value < ask.min:
        return SlotInvalid("too_small")
    if isinstance(ask.max, int | float) and value > ask.max:
        return SlotInvalid("too_large")
    return SlotOk(value)


def validate_answer(
    ask: AskSpec,
    text_or_payload: str,
    lang: str,
    keywords: Keywords,
    today: date,
    resolve_municipality: ResolveMunicipality | None = None,
) -> SlotOk | SlotInvalid:
    """Check an answer (typed text or an `answer:<value>` button payload) for this question."""
    text = strip_invisible(text_or_payload).strip()
    if not text:
        return SlotInvalid("empty")
    payload = text[len(ANSWER_PREFIX):] if text.startswith(ANSWER_PREFIX) else None
    if _OTHER_PAYLOAD.match(text):
        return SlotInvalid("unexpected_button")  # the dialogue handles these before us
    if ask.type == "choice":
        return _choice(ask, text, payload, keywords)
    if ask.type == "yes_no":
        return _yes_no(text, payload, keywords)
    if ask.options:  # "I don't know" and the like beside a date, number or text question
        if payload is not None and payload in (o.value for o in ask.options):
            return SlotOk(payload)
        if (named := _named_option(ask, text, keywords)) is not None:
            return named
    if payload is not None:
        return SlotInvalid("unexpected_button")  # a stale button from another question
    if ask.type == "date":
        parsed = parse_date(
            text, lang, today,
            min_date=_date_bound(ask.min, today), max_date=_date_bound(ask.max, today),
        )
        if not isinstance(parsed, ParsedDate):
            return SlotInvalid(parsed.code)
        if parsed.day_assumed:
            return SlotOk(parsed.iso, "day_assumed")
        if parsed.year_assumed:  # "6 October": the last 6 October, said back to confirm
            return SlotOk(parsed.iso, "year_assumed")
        return SlotOk(parsed.iso, "approximate" if parsed.approximate else None)
    if ask.type == "number":
        return _number(ask, text)
    if ask.type == "municipality":
        if resolve_municipality is None:
            raise WerkpadError("a municipality question needs a resolve_municipality function")
        code = resolve_municipality(text)
        return SlotOk(code) if code else SlotInvalid("unknown_municipality")
    if len(text) > MAX_TEXT:
        return SlotInvalid("too_long")
    return SlotOk(text)
