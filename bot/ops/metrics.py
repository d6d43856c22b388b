"""Prometheus metrics: messages, handling time, NLU confidence, fallbacks, the handoff queue.

The dialogue is measured from outside (bot/dialogue/manager.py stays as it is): `instrument`
wraps one Dialogue's `handle`, its NLU engine and its policy's fallback step. Every metric
lives in a registry of its own per Dialogue, so tests and several apps never collide.
The handoff queue gauges are read from the database when /metrics is scraped.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
import weakref
from datetime import UTC, datetime
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from bot.dialogue.manager import Dialogue
from bot.messages import IncomingMessage, OutgoingMessage
from bot.nlu.base import NLUEngine, ParseResult
from bot.settings import LANGUAGE_CODES

logger = logging.getLogger(__name__)

CHANNELS = frozenset({"web", "telegram", "shell"})
HANDLE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
CONFIDENCE_BUCKETS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)
QUEUE_QUERY_SECONDS = 2.0

_installed: weakref.WeakKeyDictionary[Dialogue, Metrics] = weakref.WeakKeyDictionary()


class Metrics:
    """The metrics of one running Dialogue, in their own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.messages = Counter(
            "werkpad_messages", "Messages handled, by channel and reply language",
            ["channel", "language"], registry=self.registry)
        self.handle_seconds = Histogram(
            "werkpad_dialogue_handle_seconds", "Time Dialogue.handle took for one message",
            ["channel"], buckets=HANDLE_BUCKETS, registry=self.registry)
        self.nlu_confidence = Histogram(
            "werkpad_nlu_confidence", "Confidence of the top intent, per NLU engine",
            ["engine"], buckets=CONFIDENCE_BUCKETS, registry=self.registry)
        self.fallbacks = Counter(
            "werkpad_fallbacks", "Messages the bot did not understand (fallback replies)",
            registry=self.registry)
        self.queue_waiting = Gauge(
            "werkpad_handoff_queue_length", "Handoff tickets waiting for a coach",
            registry=self.registry)
        self.queue_oldest = Gauge(
            "werkpad_handoff_oldest_wait_seconds",
            "How long the oldest waiting handoff ticket has waited (0 when none waits)",
            registry=self.registry)

    def count_message(self, msg: IncomingMessage, replies: list[OutgoingMessage]) -> None:
        language = replies[0].language if replies else "none"
        self.messages.labels(channel=_label(msg.channel, CHANNELS),
                             language=_label(language, LANGUAGE_CODES)).inc()

    def render(self) -> tuple[bytes, str]:
        """The text exposition format and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


def _label(value: str, known: frozenset[str] | tuple[str, ...]) -> str:
    """Keep label values to a known set: a stray value must not create a new time series."""
    return value if value in known or value == "none" else "other"


def instrument(dialogue: Dialogue) -> Metrics:
    """Measure this Dialogue (once; a second call returns the same Metrics)."""
    if (existing := _installed.get(dialogue)) is not None:
        return existing
    metrics = Metrics()
    original = dialogue.handle

    @functools.wraps(original)
    async def handle(msg: IncomingMessage) -> list[OutgoingMessage]:
        started = time.perf_counter()
        replies = await original(msg)
        metrics.handle_seconds.labels(channel=_label(msg.channel, CHANNELS)).observe(
            time.perf_counter() - started)
        metrics.count_message(msg, replies)
        if any(reply.meta.get("fallback") for reply in replies):  # set by the dialogue
            metrics.fallbacks.inc()
        return replies

    # An instance attribute: the channels look `dialogue.handle` up per message.
    dialogue.handle = handle  # type: ignore[method-assign]
    dialogue.s.nlu = MeasuredNLU(dialogue.s.nlu, metrics)
    _installed[dialogue] = metrics
    return metrics


class MeasuredNLU:
    """An NLU engine that records the confidence of every parse."""

    def __init__(self, inner: NLUEngine, metrics: Metrics) -> None:
        self.inner = inner
        self.metrics = metrics
        self.name = inner.name

    async def parse(self, text: str, *, lang_hint: str | None = None) -> ParseResult:
        result = await self.inner.parse(text, lang_hint=lang_hint)
        engine = result.engine or self.name
        self.metrics.nlu_confidence.labels(engine=engine).observe(result.intent.confidence)
        return result

    def __getattr__(self, name: str) -> Any:  # train(), status() and the like
        return getattr(self.inner, name)


async def refresh_queue(dialogue: Dialogue, metrics: Metrics) -> None:
    """Set the handoff queue gauges from the database; skipped until bot.handoff exists."""
    try:
        from bot.handoff.models import Ticket  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return
    from sqlalchemy import func, select

    query = select(func.count(), func.min(Ticket.created_at)).where(Ticket.status == "waiting")
    try:
        async with dialogue.s.sessions() as session:
            async with asyncio.timeout(QUEUE_QUERY_SECONDS):
                row = (await session.execute(query)).one()
    # Broad on purpose: a scrape must still return the other metrics when the database is down.
    except Exception as exc:  # noqa: BLE001
        logger.warning("handoff queue gauges not updated: %s", type(exc).__name__)
        return
    waiting, oldest = int(row[0] or 0), row[1]
    metrics.queue_waiting.set(waiting)
    metrics.queue_oldest.set(_age_seconds(oldest) if oldest is not None else 0.0)


def _age_seconds(created_at: datetime) -> float:
    if created_at.tzinfo is None:  # SQLite gives naive datetimes; they are stored in UTC
        created_at = created_at.replace(tzinfo=UTC)
    return max(0.0, (datetime.now(UTC) - created_at).total_seconds())
