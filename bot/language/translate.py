"""Machine translation through googletrans: a marked fallback, never the first choice.

Messages may hold personal data, so online translation is a setting an admin switches on
(`translation.online`). Terms that must stay in Dutch (TWV, BSN, COA, ...) are swapped for
numbered markers before sending and put back after; a translation that lost a marker, came
back empty, or came back unchanged is thrown away. Results are cached; every failure
(timeout, network, odd response) returns None so the caller shows the curated text or English.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol

import httpx
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.language.translation import Miss, cache_only_misses

logger = logging.getLogger(__name__)

# Our language codes -> googletrans codes (Kurmanji is `ku` there; there is no separate Dari).
GOOGLE_CODES = {"kmr": "ku", "ckb": "ckb", "fa": "fa", "ti": "ti", "ps": "ps", "so": "so"}
DEFAULT_GLOSSARY = ("W-document", "TWV", "BSN", "COA", "UWV", "IND", "AZC", "BRP", "VI",
                    "DigiD", "werk.nl")
MAX_CHARS = 4500  # Google's single-request limit is about 5,000 characters


class TranslationCache(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def put(self, key: str, source: str, target: str, text: str) -> None: ...


class DatabaseCache:
    """The shared cache in the database (table translation_cache), for content texts."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def get(self, key: str) -> str | None:
        from bot.language.models import CachedTranslation

        async with self.sessions() as session:
            return await session.scalar(
                select(CachedTranslation.translated).where(CachedTranslation.cache_key == key)
            )

    async def put(self, key: str, source: str, target: str, text: str) -> None:
        from bot.language.models import CachedTranslation

        try:
            async with self.sessions() as session, session.begin():
                session.add(CachedTranslation(cache_key=key, source_lang=source,
                                              target_lang=target, translated=text))
        except IntegrityError:
            pass  # another message stored the same translation first: fine


class MemoryCache:
    """A small LRU cache for one process (the database cache replaces it in production)."""

    def __init__(self, size: int = 2048) -> None:
        self._items: OrderedDict[str, str] = OrderedDict()
        self._size = size

    async def get(self, key: str) -> str | None:
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        return None

    async def put(self, key: str, source: str, target: str, text: str) -> None:
        self._items[key] = text
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)


def cache_key(text: str, source: str, target: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f"{source}:{target}:{digest}"


class Glossary:
    """Protects terms from translation by swapping them for markers like [[1]]."""

    def __init__(self, terms: Sequence[str]) -> None:
        ordered = sorted(set(terms), key=len, reverse=True)  # W-document before W...
        self.terms = ordered
        self._pattern = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in ordered) + r")(?!\w)")
            if ordered else None
        )

    def protect(self, text: str) -> tuple[str, list[str]]:
        if self._pattern is None:
            return text, []
        found: list[str] = []

        def mark(match: re.Match[str]) -> str:
            found.append(match.group(0))
            return f"[[{len(found)}]]"

        return self._pattern.sub(mark, text), found

    @staticmethod
    def restore(text: str, found: list[str]) -> str | None:
        """Put the terms back; None when the translation lost or garbled a marker."""
        for number, term in enumerate(found, start=1):
            marker = re.compile(r"\[\s*\[\s*" + str(number) + r"\s*\]\s*\]")
            text, count = marker.subn(term.replace("\\", "\\\\"), text, count=1)
            if count != 1:
                return None
        return text


class GoogleTranslator:
    """googletrans 4 (async, unofficial) with a timeout, a glossary and a cache."""

    def __init__(
        self,
        *,
        timeout: float,
        glossary: Sequence[str] = DEFAULT_GLOSSARY,
        cache: TranslationCache | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        from googletrans import Translator as _Google

        self.timeout = timeout
        self.glossary = Glossary(glossary)
        self.cache = cache or MemoryCache()
        # answers inside cache_only() (a message's transaction): no database, no network
        self.memory = self.cache if isinstance(self.cache, MemoryCache) else MemoryCache()
        # translate.googleapis.com uses the simple "gtx" client, no token dance
        self._google: Any = _Google(service_urls=["translate.googleapis.com"],
                                    raise_exception=True, timeout=httpx.Timeout(timeout))
        if transport is not None:  # tests: an httpx.MockTransport
            self._google.client = httpx.AsyncClient(transport=transport)

    async def translate(
        self, text: str, *, target: str, source: str | None = None, personal: bool = False
    ) -> str | None:
        text = text.strip()
        if not text or len(text) > MAX_CHARS or target == source:
            return None
        src = GOOGLE_CODES.get(source or "", source or "auto")
        dest = GOOGLE_CODES.get(target, target)
        key = cache_key(text, src, dest)
        if not personal and (hit := await self.memory.get(key)) is not None:
            return hit
        if (missed := cache_only_misses()) is not None:
            if not personal:  # a person's own words are never cached, so never fetched later
                missed.append(Miss(text, target, source))
            return None
        if not personal and (hit := await self.cache.get(key)) is not None:
            await self.memory.put(key, src, dest, hit)
            return hit
        protected, terms = self.glossary.protect(text)
        try:
            result = await asyncio.wait_for(
                self._google.translate(protected, dest=dest, src=src), self.timeout
            )
        except (TimeoutError, httpx.HTTPError) as exc:
            logger.warning("translator unreachable (%s); using the original text",
                           type(exc).__name__)
            return None
        except Exception as exc:  # noqa: BLE001 -- googletrans raises bare Exception
            logger.warning("translator failed (%s); using the original text", exc)
            return None
        translated = self._usable(protected, getattr(result, "text", None), terms)
        if translated is not None and not personal:
            await self.memory.put(key, src, dest, translated)
            try:
                await self.cache.put(key, src, dest, translated)
            except Exception:
                logger.warning("could not store a translation in the cache", exc_info=True)
        return translated

    async def warm(self, misses: Sequence[Miss]) -> None:
        """Fetch what cache_only() missed, outside any transaction, so the next message
        finds it in memory (each at most once; failures only logged)."""
        for miss in dict.fromkeys(misses):
            await self.translate(miss.text, target=miss.target, source=miss.source)

    def _usable(self, sent: str, received: object, terms: list[str]) -> str | None:
        if not isinstance(received, str) or not received.strip():
            return None
        if received.strip() == sent.strip():  # googletrans' silent "returned the input" case
            return None
        return self.glossary.restore(received.strip(), terms)

    async def aclose(self) -> None:
        await self._google.client.aclose()
