"""Fixtures for reminders: the real Dialogue (tests/dialogue), a clock, a recording outbound."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.db.models import Person
from bot.delivery import Outcome
from bot.messages import OutgoingMessage
from tests.dialogue.conftest import make_dialogue, nlu, places  # noqa: F401  (fixtures)


@dataclass
class Clock:
    """An injectable `now`: moved by hand, never by sleeping."""

    at: datetime = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@dataclass
class Recorder:
    """An outbound that records what it was asked to send and answers `outcome`."""

    outcome: Outcome = "sent"
    sent: list[tuple[str, list[OutgoingMessage]]] = field(default_factory=list)

    async def send(self, person: Person, replies: list[OutgoingMessage]) -> Outcome:
        self.sent.append((person.external_id, replies))
        return self.outcome
