"""The one language decision: which language Werkpad answers a person in (issue 13).

In order of weight: the language the person chose (the picker, /language), a language the
conversation already has, a hint (Telegram's language_code, the web page's language) and the
NLU's guess of this message. A short message (fewer than SWITCH_WORDS words) never moves a
language that is set; an unreliable guess never beats a hint. benchmarks/language_bench.py
measures the guesses, benchmarks/reply_language_bench.py the decisions in whole dialogues.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.language.detect import LanguageGuess

SWITCH_WORDS = 3
# Where a person's language came from. A language that is only "hint" or "guessed" (an
# unreliable guess, there was no hint) gives way to the first reliable guess, however short
# the message: the person has not written anything that showed their language yet.
SOURCES = ("chosen", "detected", "hint", "guessed")


def decide_language(
    *, current: str | None, source: str | None, guess: LanguageGuess | None, words: int,
    hint: str | None, supported: Collection[str],
) -> tuple[str | None, str | None]:
    """The person's (language, source) after this message; (None, None) if nothing fits."""
    if source == "chosen" and current:
        return current, source
    if current is not None and current not in supported:
        current, source = None, None
    usable = guess is not None and guess.code in supported
    if usable and guess is not None and guess.reliable:
        if current is None or source in ("guessed", "hint") or guess.code == current:
            return guess.code, "detected"
        if words >= SWITCH_WORDS:
            return guess.code, "detected"
        return current, source
    if current is not None:
        return current, source
    if hint in supported:
        return hint, "hint"
    if usable and guess is not None:
        return guess.code, "guessed"
    return None, None
