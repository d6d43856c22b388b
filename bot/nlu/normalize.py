"""Text normalisation applied before classification and entity matching.

People type the same word many ways: with or without Arabic vowel marks, with Persian or
Arabic yeh and kaf, with Persian digits, with zero-width joiners from their keyboard. The
classifier should see one form. Language detection runs on the raw text instead, because
the differences (Persian kaf, Sorani letters) are exactly what identifies the language.
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 1000

# Zero-width and bidi controls; ZWNJ (U+200C) is removed too: Persian writers use it, a
# space or nothing for the same half-space, so removing it maps the commonest two together.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Arabic tashkeel (harakat, shadda, sukun, superscript alef, Quranic marks) and tatweel.
_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_SPACES = re.compile(r"\s+")

_CHAR_MAP = str.maketrans(
    {
        # alef forms -> bare alef
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
        # ta marbuta and final heh forms -> heh
        "ة": "ه", "ۀ": "ه", "ہ": "ه",
        # yeh and kaf: Persian forms are the one form (Persian, Pashto, Sorani all use them)
        "ى": "ی", "ي": "ی", "ك": "ک",
        # Arabic-Indic and Persian digits -> ASCII
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        # Turkish dotted capital I casefolds to i + combining dot; fold it to plain i first
        "İ": "i",
        # typographic quotes and dashes
        "’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-",
    }
)  # fmt: skip


def clean(text: str, max_chars: int = MAX_CHARS) -> str:
    """Truncate, drop control and invisible characters, collapse spaces; keep the case."""
    text = text[:max_chars]
    text = _CONTROL.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def normalise(text: str, max_chars: int = MAX_CHARS) -> str:
    """Return the single form the classifier sees: NFKC, casefolded, Arabic-script unified."""
    text = unicodedata.normalize("NFKC", clean(text, max_chars))
    text = text.translate(_CHAR_MAP).casefold()
    text = _TASHKEEL.sub("", text)
    return _SPACES.sub(" ", text).strip()


def has_letters(text: str) -> bool:
    """Whether the text has at least one letter or digit (emoji and punctuation do not count)."""
    return any(ch.isalnum() for ch in text)


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise character by character; `offsets[i]` is where normalised char i came from.

    Entity extractors match on the normalised text and report spans in the original text.
    `offsets` has one extra entry, len(text), so a span end maps too.
    """
    out: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if _INVISIBLE.match(char):
            continue
        if _CONTROL.match(char):
            char = " "
        form = _TASHKEEL.sub("", unicodedata.normalize("NFKC", char).translate(_CHAR_MAP))
        for piece in form.casefold():
            out.append(piece)
            offsets.append(index)
    offsets.append(len(text))
    return "".join(out), offsets
