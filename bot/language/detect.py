"""Guess which of Werkpad's 13 languages a message is written in.

Unicode-script rules come first (they are certain where they apply: Ge'ez is Tigrinya for us,
Sorani and Pashto have letters of their own), then pycld2 in best-effort mode, then a small
Kurmanji word check, because pycld2 has no Latin-script Kurmanji and calls it Bislama or Basque.
Measured in shared/research/deps.md section 4.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import pycld2

logger = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = (
    "en", "nl", "ar", "ti", "fa", "ps", "tr", "kmr", "ckb", "so", "fr", "uk", "ru",
)  # fmt: skip
DEFAULT_LANGUAGE = "en"
MIN_RELIABLE_WORDS = 3

# Hints come from a person's choice or Telegram's language_code ("en-GB", "ku", "prs").
_HINT_ALIASES = {"ku": "kmr", "kur": "kmr", "prs": "fa", "fas": "fa", "per": "fa", "pus": "ps",
                 "tir": "ti", "ara": "ar", "eng": "en", "nld": "nl", "dut": "nl", "tur": "tr",
                 "som": "so", "fra": "fr", "fre": "fr", "ukr": "uk", "rus": "ru", "sdh": "ckb"}

_GEEZ = re.compile(r"[\u1200-\u137f\u1380-\u139f\u2d80-\u2ddf\uab00-\uab2f]")
_SORANI = set("ڵۆێەڕ")
_PASHTO = set("ځڅډړږښګڼېۍ")
_PERSIAN = set("پچژگ")
_ARABIC_ONLY = set("ةىيكًٌٍَُِّْ")  # ta marbuta, alef maqsura, Arabic yeh/kaf, tashkeel
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UKRAINIAN = set("іїєґ")
_RUSSIAN = set("ыэъё")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_TURKISH_ONLY = set("ığöü")
_KURMANJI_LETTERS = set("êîû")
# Words that are common in Kurmanji chat and rare in our other Latin-script languages.
_KURMANJI_WORDS = frozenset(
    """
    ez em hûn hun dixwazim dixwazî dixwazin dikarim dikarî dikarin karê çawa çima heye hene
    nîne nine tune ji bi kengî kengi jî xebat xebatê bixebitim dixebitim bikim dikim silav spas
    erê ere belê rojbaş baş alîkarî alikari hewce destûr destur pere zimanê kurdî kurdi çi çend
    mehan meh salê yê wê wî xwe nizanim dizanim divê dive gelek bê
""".split()  # noqa: SIM905 - a word list reads better as text
)
_WORD = re.compile(r"\w+", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]")
# Control and surrogate characters make pycld2 raise "invalid UTF-8".
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# pycld2 codes we map onto ours; `ku` is Sorani when written in Arabic script.
_CLD2_MAP = {"prs": "fa", "am": "ti"}


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """A language code from LANGUAGES, how sure we are (0..1), and whether to trust it."""

    code: str
    confidence: float
    reliable: bool
    method: str = ""


def normalise_hint(hint: str | None) -> str | None:
    """Map a hint like "en-GB", "ku" or "prs" onto one of our codes, or None."""
    if not hint:
        return None
    base = re.split(r"[-_]", hint.strip().lower(), maxsplit=1)[0]
    base = _HINT_ALIASES.get(base, base)
    return base if base in LANGUAGES else None


def word_count(text: str) -> int:
    """How many words with a letter `text` has ("1/3/2026" and "👍" have none)."""
    return sum(1 for word in _WORD.findall(text) if _LETTER.search(word))


def sanitise(text: str) -> str:
    """Remove what pycld2 chokes on: control characters, lone surrogates, non-characters."""
    return _UNSAFE.sub(" ", text)


def detect_language(text: str, *, hint: str | None = None) -> LanguageGuess:
    """Guess the language of `text`; a hint wins when the guess is unreliable. Never raises."""
    hint_code = normalise_hint(hint)
    try:
        guess = _detect(sanitise(text))
    except Exception:  # broad on purpose: detection is advisory and must never break a parse
        logger.warning("language detection failed", exc_info=True)
        guess = LanguageGuess(DEFAULT_LANGUAGE, 0.0, False, "error")
    if hint_code and not guess.reliable:
        confidence = guess.confidence if guess.code == hint_code else 0.5
        return LanguageGuess(hint_code, max(confidence, 0.5), False, "hint")
    return guess


def _detect(text: str) -> LanguageGuess:
    words = _WORD.findall(text)
    if not words:
        return LanguageGuess(DEFAULT_LANGUAGE, 0.0, False, "empty")
    long_enough = len(words) >= MIN_RELIABLE_WORDS
    by_script = _by_script(text)
    if by_script is not None:
        code, confidence = by_script
        if not long_enough:
            confidence *= 0.8
        return LanguageGuess(code, confidence, long_enough, "script")
    reliable, cld2_code, percent = _cld2(text)
    letters = set(text.casefold())
    method = "cld2"
    if _LATIN.search(text) and not _ARABIC_SCRIPT.search(text) and _looks_kurmanji(
            words, letters, cld2_code):
        return LanguageGuess("kmr", 0.8 if long_enough else 0.5, long_enough, "markers")
    if USE_LINGUA and lingua_detector() is not None:
        lingua_code, value = _lingua(text)
        if lingua_code and not (lingua_code in ("ar", "fa") and cld2_code in ("ku", "ps")):
            reliable, cld2_code, percent, method = value >= 0.5, lingua_code, round(
                value * 100), "lingua"
    if _ARABIC_SCRIPT.search(text):
        code = _arabic_script_code(cld2_code)
    elif _CYRILLIC.search(text):
        code = cld2_code if cld2_code in ("uk", "ru") else "ru"
    else:
        code = cld2_code if cld2_code in LANGUAGES else ""
    if not code:
        return LanguageGuess(DEFAULT_LANGUAGE, 0.1, False, "default")
    confidence = percent / 100 * (1.0 if reliable else 0.5) * (1.0 if long_enough else 0.6)
    return LanguageGuess(code, round(confidence, 3), reliable and long_enough, method)


def _by_script(text: str) -> tuple[str, float] | None:
    """Return a language that the letters alone decide, or None."""
    if _GEEZ.search(text):
        return "ti", 0.95
    chars = set(text)
    sorani, pashto = len(chars & _SORANI), len(chars & _PASHTO)
    if sorani or pashto:
        return ("ckb", 0.95) if sorani >= pashto else ("ps", 0.95)
    if chars & _PERSIAN and not chars & _ARABIC_ONLY:
        return "fa", 0.9
    lower = set(text.casefold())
    if lower & _UKRAINIAN:
        return "uk", 0.95
    if lower & _RUSSIAN:
        return "ru", 0.95
    return None


# Whether detect_language asks lingua (when installed) instead of pycld2 after the script rules
# and the Kurmanji check. Measured (benchmarks/language_bench.py, docs/nlu.md) and not adopted:
# in low-accuracy mode (+9 MB) it gains 0.003 on its 9 languages and sends Kurmanji to French
# and Turkish; its full models gain 0.017 for about 280 MB, over the bot's memory budget;
# the NLU's language head beats both. lingua is not a dependency.
USE_LINGUA = False
# lingua-language-detector knows 9 of our languages (not ti, ps, ckb or kmr).
LINGUA_CODES: tuple[str, ...] = ("en", "nl", "ar", "fa", "tr", "so", "fr", "uk", "ru")
_LINGUA_NAMES = {"en": "ENGLISH", "nl": "DUTCH", "ar": "ARABIC", "fa": "PERSIAN",
                 "tr": "TURKISH", "so": "SOMALI", "fr": "FRENCH", "uk": "UKRAINIAN",
                 "ru": "RUSSIAN"}


@functools.cache
def lingua_detector(*, low_accuracy: bool = True) -> Any | None:
    """A lingua detector for the 9 of our languages it knows, or None when not installed.

    Low-accuracy mode (trigrams only) takes about 22 MB; the full models about 280 MB, which
    the bot's memory budget cannot afford (benchmarks/language_bench.py measures both)."""
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return None
    languages = [getattr(Language, name) for name in _LINGUA_NAMES.values()]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    return builder.with_preloaded_language_models().build()


def _lingua(text: str, *, low_accuracy: bool = True) -> tuple[str, float]:
    """lingua's best language among LINGUA_CODES and its confidence (0..1), or ("", 0)."""
    detector = lingua_detector(low_accuracy=low_accuracy)
    if detector is None:
        return "", 0.0
    values = detector.compute_language_confidence_values(text)
    if not values:
        return "", 0.0
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), float(best.value)


def lingua_only(text: str, *, low_accuracy: bool = True) -> str:
    """lingua's guess alone (the benchmark compares it); "en" when it has none."""
    return _lingua(sanitise(text), low_accuracy=low_accuracy)[0] or DEFAULT_LANGUAGE


def _cld2(text: str) -> tuple[bool, str, int]:
    """Return pycld2's (reliable, first code among ours or raw, percent)."""
    reliable, _, details = pycld2.detect(text, bestEffort=True)
    raw = ""
    for _name, code, percent, _score in details:
        code = _CLD2_MAP.get(code, code)
        if code in LANGUAGES or code == "ku":
            return reliable, code, percent
        if not raw and code != "un":
            raw = code
    return False, raw, 0


def _arabic_script_code(cld2_code: str) -> str:
    if cld2_code == "ku":
        return "ckb"
    if cld2_code in ("ar", "fa", "ps"):
        return cld2_code
    if cld2_code == "ur":  # Urdu shares Persian letters; Persian is the nearer of ours
        return "fa"
    return "ar"


def _looks_kurmanji(words: list[str], letters: set[str], cld2_code: str) -> bool:
    if letters & _TURKISH_ONLY:
        return False
    folded = [unicodedata.normalize("NFC", w.casefold()) for w in words]
    hits = len(set(folded) & _KURMANJI_WORDS)
    if letters & _KURMANJI_LETTERS:
        hits += 1
    if "x" in letters or "w" in letters:
        hits += cld2_code not in ("en", "nl", "fr", "so")
    needed = 2 if cld2_code not in ("en", "nl", "fr", "so", "tr") else 3
    return hits >= needed
