"""The `rasa` engine: a Rasa 3.6 server's `POST /model/parse`, and a fallback wrapper.

Rasa runs as its own service (Python 3.10, its own pins; `make rasa`); we only speak HTTP to
it. Rasa's DIET is over-confident on little data, so the dialogue's fallback must not trust
its confidence alone (shared/research/deps.md section 6); the engine passes it through
unchanged. Retraining goes through the same server: `train` (`POST /model/train`), then
`load` (`PUT /model`).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx
import yaml

from bot.errors import NLUError
from bot.language.detect import detect_language
from bot.nlu.base import OUT_OF_SCOPE, IntentScore, NLUEngine, ParseResult
from bot.nlu.normalize import MAX_CHARS, clean

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30.0
TRAIN_TIMEOUT_SECONDS = 3600.0
LOAD_TIMEOUT_SECONDS = 300.0
FALLBACK_INTENT = "nlu_fallback"  # Rasa's FallbackClassifier
SUB_INTENT_MIN = 0.5  # the selector's confidence for its sub-intent (measured: docs/nlu.md)
DEFAULT_SELECTOR = "default"  # what a ResponseSelector without `retrieval_intent` answers under


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
        guess = detect_language(clean(head), hint=lang_hint)
        language = guess.code
        if not clean(head):
            intent = IntentScore(OUT_OF_SCOPE, 0.0)
            return ParseResult(text, intent, [intent], [], language, self.name)
        try:
            response = await self._client.post("/model/parse", json={"text": head})
            response.raise_for_status()
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise NLUError(f"Rasa server at {self.url} failed: {exc!r}") from exc
        result = parse_response(text, body, language)
        result.language_reliable = guess.reliable
        return result

    async def status(self) -> dict[str, Any]:
        """`GET /status`: the loaded model's file name and id, running training jobs."""
        body = await self._call("GET", "/status")
        if not isinstance(body, dict):
            raise NLUError(f"Rasa /status returned {body!r}")
        return body

    async def train(self, config: str, domain: str, nlu: str, *,
                    time_limit: float = TRAIN_TIMEOUT_SECONDS) -> str:
        """Train a model on the server from Rasa YAML texts; return its path on the server.

        `config` and `domain` are like nlu/config.yml and nlu/domain.yml, `nlu` is NLU data
        (e.g. `dump_training_data(...)`). The server keeps the model in the `models/` folder
        of its working directory; `load(path)` puts it into service. Blocks until trained.
        """
        payload = training_payload(config, domain, nlu)
        try:
            async with self._client.stream(
                "POST", "/model/train", content=payload.encode("utf-8"),
                headers={"Content-Type": "application/x-yaml"},
                params={"save_to_default_model_directory": "true"}, timeout=time_limit,
            ) as response:
                if response.is_error:
                    await response.aread()
                    raise NLUError(f"Rasa training at {self.url} failed: "
                                   f"{response.status_code} {response.text[:500]}")
                # The body is the model archive itself (tens of MB); we only need its name.
                filename = response.headers.get("filename")
        except httpx.HTTPError as exc:
            raise NLUError(f"Rasa training at {self.url} failed: {exc!r}") from exc
        if not filename:
            raise NLUError("Rasa training answered without a model file name")
        return f"models/{filename}"

    async def load(self, model_file: str, *, time_limit: float = LOAD_TIMEOUT_SECONDS) -> None:
        """`PUT /model`: serve the model at `model_file` (a path on the server) from now on."""
        await self._call("PUT", "/model", json={"model_file": model_file}, time_limit=time_limit)

    async def _call(self, method: str, path: str, *, json: Any = None,
                    time_limit: float | None = None) -> Any:
        try:
            response = await self._client.request(method, path, json=json,
                                                  timeout=time_limit or self.timeout)
            response.raise_for_status()
            return response.json() if response.content else None
        except httpx.HTTPStatusError as exc:
            raise NLUError(f"Rasa {method} {path} at {self.url} failed: "
                           f"{exc.response.status_code} {exc.response.text[:500]}") from exc
        except (httpx.HTTPError, ValueError) as exc:
            raise NLUError(f"Rasa {method} {path} at {self.url} failed: {exc!r}") from exc

    async def aclose(self) -> None:
        await self._client.aclose()


def training_payload(config: str, domain: str, nlu: str) -> str:
    """One YAML document with config, domain and NLU data, as `POST /model/train` wants it."""
    merged: dict[str, Any] = {}
    for name, text in (("config", config), ("domain", domain), ("nlu", nlu)):
        part = yaml.safe_load(text) or {}
        if not isinstance(part, dict):
            raise NLUError(f"Rasa {name} YAML must be a mapping, got {type(part).__name__}")
        for key, value in part.items():
            if key == "nlu":
                merged.setdefault("nlu", []).extend(value or [])
            else:
                merged[key] = value
    return yaml.safe_dump(merged, allow_unicode=True, sort_keys=False)


def parse_response(text: str, body: Any, language: str) -> ParseResult:
    """Map Rasa's /model/parse JSON onto ParseResult; the retrieval sub-intent wins if present."""
    if not isinstance(body, dict):
        raise NLUError(f"Rasa returned {type(body).__name__}, expected a JSON object")
    raw_intent = body.get("intent") or {}
    name = str(raw_intent.get("name") or OUT_OF_SCOPE)
    confidence = float(raw_intent.get("confidence") or 0.0)
    base = name
    # Rasa keeps the sub-intent in the response selector: documents -> documents/bsn. One
    # selector for all retrieval intents answers under "default", one per intent under its name.
    # The selector always ranks some sub-intent, also for a question about the base itself
    # ("can I work?" is can_i_work, which starts the check, not can_i_work/dublin): a sub-intent
    # counts only when it is the selector's own answer, under this base, and confident.
    selectors = body.get("response_selector") or {}
    selector = selectors.get(name) or selectors.get(DEFAULT_SELECTOR) or {}
    response = selector.get("response") or {}
    key = response.get("intent_response_key")
    if isinstance(key, str) and key.startswith(name + "/") \
            and float(response.get("confidence") or 0.0) >= SUB_INTENT_MIN:
        name = key
    if name == FALLBACK_INTENT:
        name = OUT_OF_SCOPE
    # The ranking names what `intent` names: nlu_fallback is out_of_scope, the top intent
    # carries its sub-intent, each name once.
    ranking: list[IntentScore] = []
    for raw in body.get("intent_ranking") or []:
        if not isinstance(raw, dict):
            continue
        entry = str(raw.get("name"))
        entry = OUT_OF_SCOPE if entry == FALLBACK_INTENT else name if entry == base else entry
        if all(score.name != entry for score in ranking):
            ranking.append(IntentScore(entry, float(raw.get("confidence") or 0.0)))
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
