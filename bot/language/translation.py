"""The translation interface the core uses; bot/language/translate.py implements it online."""

from __future__ import annotations

from typing import Protocol


class Translator(Protocol):
    """Translate text; return None when translation is off, failed or useless.

    `personal=True` marks a person's own words: they are never kept in the shared cache.
    """

    async def translate(
        self, text: str, *, target: str, source: str | None = None, personal: bool = False
    ) -> str | None: ...


class NoTranslator:
    """Translation switched off: every call says 'no translation'."""

    async def translate(
        self, text: str, *, target: str, source: str | None = None, personal: bool = False
    ) -> str | None:
        return None
