"""Cleaning what people type, and matching the global command words in every language."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and bidi control characters: invisible, but they break matching.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PUNCT_EDGES = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
_ARABIC_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")


def clean(text: str) -> str:
    """NFC, no invisible or control characters, trimmed; what we store and parse."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    return text.strip()


def command_form(text: str) -> str:
    """A loose form for matching short command words: casefolded, no accents or edge marks."""
    text = clean(text).casefold().lstrip("/")
    text = _ARABIC_DIACRITICS.sub("", text)
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    text = _PUNCT_EDGES.sub("", text)
    return " ".join(text.split())


def has_readable_text(text: str) -> bool:
    """True when the message has at least one letter or digit (not only emoji or marks)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
