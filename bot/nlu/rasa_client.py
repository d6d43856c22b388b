"""The `rasa` engine: a Rasa 3.6 server's `POST /model/parse`, and a fallback wrapper.

Rasa runs as its own service (Python 3.10, its own pins); we only speak HTTP to it. Rasa's
DIET is over-confident on little data, so the dialogue's fallback must not trust its
confidence alone (shared/research/deps.md section 6); the engine passes it through unchanged.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx

from bot.errors import NLUError
from bot.language.detect import detect_language
from bot.nlu.base import OUT_OF_SCOPE, IntentScore, NLUEngine, ParseResult
from bot.nlu.normalize import MAX_CHARS, clean

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30.0


class RasaNLU:
    """Asks a Rasa server to parse; raises NLUError when the server fails or is unreachable."""

    name = "rasa"

    def __init__(self, url: str, timeout: float = 2.0, *,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._client = httpx.AsyncClient(base_url=self.url, timeout=timeout, transport=transport)

    async def parse(self, text: str, *, lang_hint: str | None = None) -> ParseResult:
        head = text[:MAX_CHARS]
        language = detect_language(clean(head), hint=lang_hint).code
        if not clean(head):
            intent = IntentScore(OUT_OF_SCOPE, 0.0)
            return ParseResult(text, intent, [intent], [], language, self.name)
        try:
            response = await self._client.post("/model/parse", json={"text": head})
            response.raise_for_status()
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise NLUError(f"Rasa server at {self.url} failed: {exc!r}") from exc
        return parse_response(text, body, language)

    async def aclose(self) -> None:
        await self._client.aclose()


def parse_response(text: str, body: Any, language: str) -> ParseResult:
    """Map Rasa's /model/parse JSON onto ParseResult; the retrieval sub-intent wins if present."""
    if not isinstance(body, dict):
        raise NLUError(f"Rasa returned {type(body).__name__}, expected a JSON object")
    raw_intent = body.get("intent") or {}
    name = str(raw_intent.get("name") or OUT_OF_SCOPE)
    confidence = float(raw_intent.get("confidence") or 0.0)
    # Rasa keeps the sub-intent in the response selector: documents -> documents/bsn.
    selector = (body.get("response_selector") or {}).get(name) or {}
    full = (selector.get("response") or {}).get("intent_response_key")
    if isinstance(full, str) and full.startswith(name + "/"):
        name = full
    if name == "nlu_fallback":
        name = OUT_OF_SCOPE
    ranking = [IntentScore(str(r.get("name")), float(r.get("confidence") or 0.0))
               for r in body.get("intent_ranking") or [] if isinstance(r, dict)]
    entities = [e for e in body.get("entities") or [] if isinstance(e, dict)]
    return ParseResult(text, IntentScore(name, confidence), ranking[:10], entities, language,
                       "rasa")


class FallbackNLU:
    """Use `primary` (Rasa); when it is unreachable, answer with `fallback` and log a warning.

    After a failure the primary is skipped for RETRY_AFTER_SECONDS, so a dead server does not
    cost every message a timeout.
    """

    def __init__(self, primary: NLUEngine, fallback: NLUEngine,
                 retry_after: float = RETRY_AFTER_SECONDS) -> None:
        self.primary = primary
        self.fallback = fallback
        self.retry_after = retry_after
        self.name = f"{primary.name}+{fallback.name}"
        self._down_until = 0.0

    async def parse(self, text: str, *, lang_hint: str | None = None) -> ParseResult:
        if time.monotonic() >= self._down_until:
            try:
                return await self.primary.parse(text, lang_hint=lang_hint)
            except NLUError as exc:
                self._down_until = time.monotonic() + self.retry_after
                logger.warning("NLU engine %s failed, using %s for %.0f s: %s",
                               self.primary.name, self.fallback.name, self.retry_after, exc)
        return await self.fallback.parse(text, lang_hint=lang_hint)
