"""Forgetting a person, and deleting what is older than the retention period.

Deleting the person row removes their state and event log through ON DELETE CASCADE; tables
added later that refer to a person must cascade the same way (a test scans every table).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Event, Person, utcnow

logger = logging.getLogger(__name__)


async def purge_expired(
    sessions: async_sessionmaker[AsyncSession], *, days: int, now: datetime | None = None
) -> tuple[int, int]:
    """Delete events and coach messages older than `days`, tickets closed that long ago, and
    people not seen for `days`; returns the counts of events and people."""
    from bot.handoff.models import RelayMessage, Ticket

    cutoff = (now or utcnow()) - timedelta(days=days)
    async with sessions() as session, session.begin():
        events = await session.execute(delete(Event).where(Event.at < cutoff))
        # what was said with a coach is a transcript too; closed tickets go with it
        await session.execute(delete(RelayMessage).where(RelayMessage.at < cutoff))
        await session.execute(delete(Ticket).where(Ticket.status == "closed",
                                                   Ticket.closed_at < cutoff))
        people = await session.execute(delete(Person).where(Person.last_seen < cutoff))
    removed = (events.rowcount or 0, people.rowcount or 0)  # type: ignore[attr-defined]
    if any(removed):
        logger.info("retention: deleted %d events and %d people older than %d days",
                    removed[0], removed[1], days)
    return removed


async def purge_unconsented(
    sessions: async_sessionmaker[AsyncSession], *, minutes: int, now: datetime | None = None
) -> int:
    """Delete the people who have not agreed to the privacy notice and have sent nothing for
    `minutes` (their state goes with them: the language, a first question held for after a
    yes). Before consent nothing is logged, so this is all there is of them."""
    cutoff = (now or utcnow()) - timedelta(minutes=minutes)
    async with sessions() as session, session.begin():
        result = await session.execute(delete(Person).where(
            Person.consent_at.is_(None), Person.last_seen < cutoff))
    removed = result.rowcount or 0  # type: ignore[attr-defined]
    if removed:
        logger.info("deleted %d people who had not agreed within %d minutes", removed, minutes)
    return removed


UNCONSENTED_EVERY = 60  # seconds between sweeps of people who have not agreed


async def purge_forever(
    sessions: async_sessionmaker[AsyncSession], *, days: int, unconsented_minutes: int = 55,
    every_seconds: float = 6 * 3600,
) -> None:
    """Run the retention purge now and then every few hours, and delete the people who have
    not agreed every minute (so none stays longer than `unconsented_minutes` + 1, within the
    hour issue 15 promises), until cancelled."""
    last_retention: float | None = None
    loop = asyncio.get_running_loop()
    while True:
        try:
            if last_retention is None or loop.time() - last_retention >= every_seconds:
                last_retention = loop.time()
                await purge_expired(sessions, days=days)
            await purge_unconsented(sessions, minutes=unconsented_minutes)
        except Exception:  # a database hiccup must not stop the bot; try again next round
            logger.exception("privacy purge failed; retrying in %d s", UNCONSENTED_EVERY)
        await asyncio.sleep(min(UNCONSENTED_EVERY, every_seconds))
