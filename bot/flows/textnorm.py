"""Normalise what a person typed before matching it against words we know.

People type on phone keyboards in many scripts: Arabic-Indic or Persian digits, Persian and
Arabic letter variants of the same word, with or without accents and harakat, with invisible
direction marks copied from other apps. Matching is done on a folded form of both sides, so a
folded form only has to be consistent, not readable.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width and bidirectional control characters (ZWSP, ZWNJ, ZWJ, LRM, RLM, embeddings,
# isolates, BOM, Arabic letter mark). ZWNJ is part of Persian spelling, but people type it
# inconsistently, so it is dropped on both sides.
_INVISIBLE = dict.fromkeys(
    [
        0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x061C, 0x00AD,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ],
    None,
)

# Letters that people write interchangeably in Arabic, Persian, Pashto and Sorani. Hamza and
# madda forms (أ إ آ ئ ؤ) are handled by dropping combining marks after NFKD.
_ARABIC_VARIANTS = str.maketrans(
    {
        "ی": "ي",  # Persian yeh
        "ى": "ي",  # alef maksura
        "ې": "ي",  # Pashto e
        "ۍ": "ي",  # Pashto ey
        "ێ": "ي",  # Sorani yeh with v
        "ک": "ك",  # keheh
        "ګ": "گ",  # Pashto gaf
        "ة": "ه",  # teh marbuta
        "ە": "ه",  # Sorani ae
        "ـ": None,  # tatweel
        "ı": "i",  # Turkish dotless i, which NFKD keeps
    }
)


def strip_invisible(text: str) -> str:
    """Drop zero-width characters and direction marks."""
    return text.translate(_INVISIBLE)


def ascii_digits(text: str) -> str:
    """Turn digits of any script (Arabic-Indic ٠-٩, Persian ۰-۹, ...) into 0-9."""
    return "".join(
        str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch
        for ch in text
    )


def normalise(text: str) -> str:
    """Fold text for matching: invisible marks out, NFKD without combining marks (accents,
    harakat, hamza), casefold, script variants unified, ASCII digits, single spaces."""
    text = strip_invisible(text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.casefold().translate(_ARABIC_VARIANTS)
    text = ascii_digits(text)
    return " ".join(text.split())


_PUNCTUATION_RUN = re.compile(r"[^\w\s]+")


def normalise_words(text: str) -> str:
    """`normalise`, and punctuation and symbols turned into spaces: for whole-word matching."""
    folded = _PUNCTUATION_RUN.sub(" ", normalise(text)).replace("_", " ")
    return " ".join(folded.split())
