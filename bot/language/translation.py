"""The translation interface the core uses; bot/language/translate.py implements it online."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Miss:
    """A content text that was not in the cache while no network call was allowed."""

    text: str
    target: str
    source: str | None


_CACHE_ONLY: ContextVar[list[Miss] | None] = ContextVar("translation_cache_only", default=None)


@contextmanager
def cache_only() -> Iterator[list[Miss]]:
    """Inside (a message's database transaction): translators answer from their in-memory
    cache only, never over the network, and note what they missed in the list yielded, so
    that it can be fetched after the transaction (`warm`). A slow translator then delays
    nobody: not the person, not the others waiting for the database."""
    missed: list[Miss] = []
    token = _CACHE_ONLY.set(missed)
    try:
        yield missed
    finally:
        _CACHE_ONLY.reset(token)


def cache_only_misses() -> list[Miss] | None:
    """The current cache_only() list, or None when network calls are allowed."""
    return _CACHE_ONLY.get()


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
