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


async def purge_forever(
    sessions: async_sessionmaker[AsyncSession], *, days: int, every_seconds: float = 6 * 3600
) -> None:
    """Run the retention purge now and then every few hours, until cancelled."""
    while True:
        try:
            await purge_expired(sessions, days=days)
        except Exception:  # a database hiccup must not stop the bot; try again next round
            logger.exception("retention purge failed; retrying in %.0f s", every_seconds)
        await asyncio.sleep(every_seconds)
