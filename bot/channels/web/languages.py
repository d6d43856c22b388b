"""Which languages read right to left, and the page language to start with."""

from __future__ import annotations

# Arabic, Persian/Dari, Pashto and Sorani are written in Arabic script. Kurmanji (kmr) is Latin.
RTL_LANGUAGES: frozenset[str] = frozenset({"ar", "fa", "ps", "ckb"})


def direction(lang: str) -> str:
    """Return "rtl" or "ltr" for a language code (`ar`, `ar-SY`, `ckb`)."""
    return "rtl" if lang.split("-", 1)[0].lower() in RTL_LANGUAGES else "ltr"


def negotiate(accept_language: str | None, languages: dict[str, str], default: str) -> str:
    """Pick the first offered language in the browser's Accept-Language order, else `default`."""
    offered = {code.lower(): code for code in languages}
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and quality > 0:
            ranked.append((-quality, position, tag.lower()))
    for _, _, tag in sorted(ranked):
        for candidate in (tag, tag.split("-", 1)[0]):
            if candidate in offered:
                return offered[candidate]
    return default
