"""Sending the reminders that are due, once each, through the person's channel.

Every round the worker claims the due pending reminders and sends them with
`services.delivery` (bot/delivery.py). Everything lives in the database, so a restart loses
nothing that was not yet claimed.

Exactly once, and why "claim = mark sent": a reminder is marked `sent` (attempts + 1) in the
same transaction that claims it, and that transaction commits *before* the message goes out.
On PostgreSQL the claim reads with FOR UPDATE SKIP LOCKED, so two processes never claim the
same row; on SQLite one process runs the worker and a plain select is enough. After sending,
the outcome is written back: `blocked` -> undeliverable; `failed`/`unavailable` -> pending
again, retried later with a growing pause, undeliverable after MAX_ATTEMPTS.

The other order (send inside the open transaction, commit after) would send a second time when
the process dies between the send and the commit, and a second "you may work from ..." is
confusing for the person. With claim-first, a crash in that window costs at most this one
message: it stays `sent` without having gone out, and the log shows "claimed" without
"delivered" for it. We chose never-twice over maybe-lost, and keep the window to one send.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Person, utcnow
from bot.delivery import Delivery, Outcome
from bot.flows.render import format_value
from bot.messages import Button, OutgoingMessage
from bot.reminders.models import Reminder

if TYPE_CHECKING:
    from bot.dialogue.manager import Services
    from bot.dialogue.render import Renderer

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # then undeliverable: pauses of 10 min doubling, about 42 hours in all
RETRY_PAUSE = timedelta(minutes=10)  # doubled after each failed attempt
BATCH = 50  # claimed per round; the rest waits for the next round


@dataclass(frozen=True, slots=True)
class Claimed:
    """What sending needs, read in the claiming transaction."""

    id: int
    kind: str
    language: str
    due_on_iso: str
    params: dict[str, object]
    attempts: int
    person: Person


@dataclass
class Round:
    """What one round did (for logs and tests)."""

    sent: int = 0
    undeliverable: int = 0
    retrying: int = 0

    @property
    def claimed(self) -> int:
        return self.sent + self.undeliverable + self.retrying


class ReminderWorker:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        delivery: Delivery,
        renderer: Renderer,
        *,
        now: Callable[[], datetime] = utcnow,
        batch: int = BATCH,
        max_attempts: int = MAX_ATTEMPTS,
        retry_pause: timedelta = RETRY_PAUSE,
    ) -> None:
        self.sessions = sessions
        self.delivery = delivery
        self.renderer = renderer
        self.now = now
        self.batch = batch
        self.max_attempts = max_attempts
        self.retry_pause = retry_pause

    @classmethod
    def for_services(
        cls, services: Services, *, now: Callable[[], datetime] = utcnow
    ) -> ReminderWorker:
        return cls(services.sessions, services.delivery, services.renderer, now=now)

    async def run_once(self) -> Round:
        """Claim the due reminders, send each, and record what happened."""
        done = Round()
        for claimed in await self.claim():
            outcome = await self._send(claimed)
            await self._record(claimed, outcome, done)
        return done

    async def claim(self) -> list[Claimed]:
        """Mark the due pending reminders sent (and count the attempt) in one transaction."""
        now = self.now()
        async with self.sessions() as session, session.begin():
            query = (select(Reminder)
                     .where(Reminder.status == "pending", Reminder.due_at <= now)
                     .order_by(Reminder.due_at, Reminder.id).limit(self.batch))
            if (await session.connection()).dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            reminders = list(await session.scalars(query))
            if not reminders:
                return []
            people = {p.id: p for p in await session.scalars(
                select(Person).where(Person.id.in_({r.person_id for r in reminders})))}
            claimed = []
            for reminder in reminders:
                reminder.status, reminder.sent_at = "sent", now
                reminder.attempts += 1
                claimed.append(Claimed(
                    reminder.id, reminder.kind, reminder.language, reminder.due_on.isoformat(),
                    dict(reminder.params), reminder.attempts, people[reminder.person_id]))
        logger.info("claimed %d due reminder(s): %s", len(claimed), [c.id for c in claimed])
        return claimed

    async def _send(self, claimed: Claimed) -> Outcome:
        try:
            replies = await render_reminder(self.renderer, claimed)
        except Exception:  # a broken string must not stop the others; retried like a failure
            logger.exception("reminder %d could not be rendered", claimed.id)
            return "failed"
        return await self.delivery.send(claimed.person, replies)

    async def _record(self, claimed: Claimed, outcome: Outcome, done: Round) -> None:
        if outcome == "sent":
            logger.info("reminder %d delivered (%s)", claimed.id, claimed.person.channel)
            done.sent += 1
            return
        values: dict[str, object] = {"sent_at": None}
        if outcome == "blocked" or claimed.attempts >= self.max_attempts:
            values["status"] = "undeliverable"
            done.undeliverable += 1
            logger.warning("reminder %d undeliverable after %d attempt(s): %s",
                           claimed.id, claimed.attempts, outcome)
        else:
            pause = self.retry_pause * 2 ** (claimed.attempts - 1)
            values.update(status="pending", due_at=self.now() + pause)
            done.retrying += 1
            logger.info("reminder %d not delivered (%s); retrying in %s",
                        claimed.id, outcome, pause)
        async with self.sessions() as session, session.begin():
            # only our own claim: the person may have been forgotten meanwhile (row gone)
            await session.execute(update(Reminder).where(
                Reminder.id == claimed.id, Reminder.status == "sent").values(**values))


async def render_reminder(renderer: Renderer, claimed: Claimed) -> list[OutgoingMessage]:
    """The reminder in its own language (machine translation marked, as every UI string)."""
    lang = claimed.language
    if claimed.kind == "work_allowed":
        when = format_value(claimed.due_on_iso, lang)
        rendered = await renderer.ui("reminder.work_allowed", lang, date=when)
    else:
        rendered = await renderer.ui("reminder.twv_check", lang,
                                     weeks=claimed.params.get("weeks", ""))
    buttons = [Button(await renderer.ui_text("button.coach", lang), "cmd:coach"),
               Button(await renderer.ui_text("button.menu", lang), "cmd:menu")]
    return [await renderer.message(rendered, lang, buttons=buttons,
                                   meta={"reminder_id": claimed.id})]


async def remind_forever(worker: ReminderWorker, *, every_seconds: float = 60.0) -> None:
    """Send due reminders now and then every minute, until cancelled."""
    while True:
        try:
            full = (await worker.run_once()).claimed >= worker.batch
        except Exception:  # a database hiccup must not stop the bot; try again next round
            logger.exception("reminder round failed; retrying in %.0f s", every_seconds)
            full = False
        if not full:  # a full batch means more are due: go on at once
            await asyncio.sleep(every_seconds)
