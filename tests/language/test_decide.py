"""The one language decision (issue 13): the person's choice, a consistent history, a hint and
the NLU's guess of this message, in that order of weight."""

from __future__ import annotations

from bot.language.decide import decide_language
from bot.language.detect import LANGUAGES, LanguageGuess

ALL = frozenset(LANGUAGES)


def guess(code: str, reliable: bool = True) -> LanguageGuess:
    return LanguageGuess(code, 0.9 if reliable else 0.3, reliable, "head")


def test_a_chosen_language_is_never_overridden() -> None:
    decided = decide_language(current="ar", source="chosen", guess=guess("en"), words=12,
                              hint="en", supported=ALL)
    assert decided == ("ar", "chosen")


def test_a_short_message_never_switches_a_language_the_history_shows() -> None:
    for words in (1, 2):
        decided = decide_language(current="ar", source="detected", guess=guess("en"),
                                  words=words, hint=None, supported=ALL)
        assert decided == ("ar", "detected")


def test_a_reliable_short_message_moves_a_language_that_was_only_a_hint() -> None:
    decided = decide_language(current="en", source="hint", guess=guess("nl"), words=2,
                              hint="en", supported=ALL)
    assert decided == ("nl", "detected")
    decided = decide_language(current="en", source="hint", guess=guess("nl", False), words=2,
                              hint="en", supported=ALL)
    assert decided == ("en", "hint")


def test_three_words_reliably_in_another_language_switch() -> None:
    decided = decide_language(current="en", source="hint", guess=guess("nl"), words=3,
                              hint="en", supported=ALL)
    assert decided == ("nl", "detected")


def test_an_unreliable_guess_of_a_long_message_does_not_switch() -> None:
    decided = decide_language(current="kmr", source="detected", guess=guess("en", False),
                              words=8, hint=None, supported=ALL)
    assert decided == ("kmr", "detected")


def test_a_hint_wins_over_an_unreliable_guess_for_a_new_person() -> None:
    decided = decide_language(current=None, source=None, guess=guess("so", False), words=1,
                              hint="ti", supported=ALL)
    assert decided == ("ti", "hint")


def test_a_reliable_short_guess_wins_over_the_hint_for_a_new_person() -> None:
    # "werk zoeken" from a phone set to English: the person wrote Dutch
    decided = decide_language(current=None, source=None, guess=guess("nl"), words=2,
                              hint="en", supported=ALL)
    assert decided == ("nl", "detected")


def test_without_hint_an_unreliable_guess_is_better_than_nothing() -> None:
    decided = decide_language(current=None, source=None, guess=guess("fr", False), words=1,
                              hint=None, supported=ALL)
    assert decided == ("fr", "guessed")


def test_a_guess_replaces_an_earlier_guess_even_when_short() -> None:
    # "salam" was guessed as Farsi; the next short message is reliably Arabic
    decided = decide_language(current="fa", source="guessed", guess=guess("ar"), words=2,
                              hint=None, supported=ALL)
    assert decided == ("ar", "detected")


def test_an_unsupported_guess_or_hint_is_ignored() -> None:
    only = frozenset({"en", "nl"})
    decided = decide_language(current=None, source=None, guess=guess("ar"), words=5,
                              hint="de", supported=only)
    assert decided == (None, None)
    decided = decide_language(current="nl", source="detected", guess=guess("ar"), words=5,
                              hint=None, supported=only)
    assert decided == ("nl", "detected")


def test_no_text_keeps_what_there_is_or_takes_the_hint() -> None:
    assert decide_language(current=None, source=None, guess=None, words=0, hint="ps",
                           supported=ALL) == ("ps", "hint")
    assert decide_language(current="tr", source="detected", guess=None, words=0, hint="en",
                           supported=ALL) == ("tr", "detected")
