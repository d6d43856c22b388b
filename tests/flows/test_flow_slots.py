"""validate_answer: every slot type, typed or pressed, in several scripts."""

from __future__ import annotations

from datetime import date

import pytest

from bot.errors import ContentError, WerkpadError
from bot.flows.loader import load_keywords_text
from bot.flows.model import AskSpec, LocalText, Option
from bot.flows.slots import SlotInvalid, SlotOk, validate_answer
from tests.flows.flow_fixtures import KEYWORDS

TODAY = date(2026, 5, 1)
KW = load_keywords_text(KEYWORDS, "keywords.yml")[0]
Q = LocalText({"en": "?"})
CHOICE = AskSpec(
    "reception", "choice", Q,
    options=(
        Option("coa", LocalText({"en": "Yes, COA", "nl": "Ja, COA", "ar": "نعم، COA"})),
        Option("other", LocalText({"en": "Somewhere else", "ar": "مكان آخر"})),
    ),
)


def answer(ask: AskSpec, text: str, lang: str = "en") -> SlotOk | SlotInvalid:
    return validate_answer(ask, text, lang, KW, TODAY, {"tilburg": "GM0855"}.get)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("answer:coa", "coa"),
        ("answer:other", "other"),
        ("Yes, COA", "coa"),
        ("ja, coa!", "coa"),  # another language's label, case and punctuation
        ("مكان آخر", "other"),
        ("OTHER", "other"),  # the value typed
        ("1", "coa"),
        ("2.", "other"),
        ("١", "coa"),  # Arabic-Indic digit
        ("۲", "other"),  # Persian digit
    ],
)
def test_choice_accepts(text: str, expected: str) -> None:
    assert answer(CHOICE, text) == SlotOk(expected)


def test_choice_options_valued_yes_no_take_the_keywords() -> None:
    ask = AskSpec("w_document", "choice", Q, options=(
        Option("yes", LocalText({"en": "Yes"})), Option("not_yet", LocalText({"en": "Not yet"})),
    ))
    assert answer(ask, "نعم", "ar") == SlotOk("yes")
    assert answer(ask, "evet", "tr") == SlotOk("yes")
    assert answer(ask, "нет", "ru") == SlotInvalid("not_an_option")  # there is no "no" option


@pytest.mark.parametrize("text", ["answer:elsewhere", "3", "0", "maybe", "cmd:back"])
def test_choice_refuses(text: str) -> None:
    result = answer(CHOICE, text)
    assert isinstance(result, SlotInvalid)
    assert result.code == ("unexpected_button" if text == "cmd:back" else "not_an_option")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("answer:yes", True), ("answer:no", False), ("Yes", True), ("JA!", True), ("nee", False),
     ("نعم", True), ("\u200fلا\u200f", False), ("Evet", True), ("hayir", False),
     ("да", True), ("Нет.", False), ("እወ", True)],
)
def test_yes_no(text: str, expected: bool) -> None:
    assert answer(AskSpec("ok", "yes_no", Q), text) == SlotOk(expected)


def test_yes_no_refuses_other_words() -> None:
    assert answer(AskSpec("ok", "yes_no", Q), "perhaps") == SlotInvalid("not_yes_no")
    assert answer(AskSpec("ok", "yes_no", Q), "answer:maybe") == SlotInvalid("not_yes_no")


def test_date_slot_uses_the_bounds_and_notes() -> None:
    ask = AskSpec("d", "date", Q, min="2000-01-01", max="today")
    assert answer(ask, "15-03-2025") == SlotOk("2025-03-15")
    assert answer(ask, "maart 2025", "nl") == SlotOk("2025-03-31", "day_assumed")
    assert answer(ask, "7 months ago") == SlotOk("2025-10-16", "approximate")
    assert answer(ask, "1999-03-01") == SlotInvalid("too_old")
    assert answer(ask, "2026-05-02") == SlotInvalid("future")
    assert answer(ask, "31-02-2025") == SlotInvalid("invalid_day")
    assert answer(ask, "answer:coa") == SlotInvalid("unexpected_button")
    later = AskSpec("d", "date", Q, max="2030-01-01")
    assert answer(later, "2027-01-01") == SlotOk("2027-01-01")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7", SlotOk(7)), ("۷ ماه", SlotOk(7)), ("٣٢ ساعة", SlotOk(32)),
     ("about 20 hours", SlotOk(20)), ("none", SlotInvalid("not_a_number")),
     ("6 or 7", SlotInvalid("not_a_number")),
     ("100", SlotInvalid("too_large")), ("0", SlotInvalid("too_small")),
     ("9" * 5000, SlotInvalid("too_large"))],
)
def test_number(text: str, expected: SlotOk | SlotInvalid) -> None:
    assert answer(AskSpec("hours", "number", Q, min=1, max=60), text) == expected


def test_text() -> None:
    ask = AskSpec("note", "text", Q)
    assert answer(ask, "  I am a welder \u200b ") == SlotOk("I am a welder")
    assert answer(ask, " \u200b ") == SlotInvalid("empty")
    assert answer(ask, "x" * 500) == SlotOk("x" * 500)
    assert answer(ask, "x" * 501) == SlotInvalid("too_long")


def test_municipality_uses_the_injected_resolver() -> None:
    ask = AskSpec("place", "municipality", Q)
    assert answer(ask, "tilburg") == SlotOk("GM0855")
    assert answer(ask, "Atlantis") == SlotInvalid("unknown_municipality")
    with pytest.raises(WerkpadError):
        validate_answer(ask, "tilburg", "en", KW, TODAY, None)


def test_a_broken_date_bound_is_a_content_error() -> None:
    with pytest.raises(ContentError, match="not YYYY-MM-DD"):
        answer(AskSpec("d", "date", Q, min="last year"), "15-03-2025")


def test_keywords_match_whole_answers_in_any_language() -> None:
    assert KW.match(" Terug! ") == "back"
    assert KW.match("BACK") == "back"
    assert KW.match("go back") is None
    assert KW.match("") is None
    assert KW.words_for("yes", "nl") == ("ja",)
    assert "evet" in KW.words_for("yes")
