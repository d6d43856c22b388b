"""The update ledger: every Telegram update is answered exactly once, even across a crash.

Life cycle of one row in `telegram_updates` (one short transaction per arrow):

    received ──claim──► working ──core answered──► handled ──all parts sent──► done
       ▲                   │                          │
       └─────── error: released for a retry ◄─────────┘            (or failed, after retries)

- An update is stored as `received` *before* Telegram is told we have it: before the next
  getUpdates moves the offset on (polling), before the webhook returns 200.
- A redelivered update (same update_id) is not stored again and not handled again.
- `working` records the person's state revision before the core runs. If the process dies
  and the revision has moved on when the update is taken up again, the core already answered
  but the answer was lost: the person is shown where they are (`cmd:continue`) instead of
  answering the same message twice.
- `handled` keeps the rendered replies and how many were sent, so after a crash only the rest
  is sent. A part whose send was cut off mid-request may arrive twice: the Bot API has no
  idempotency key, so that window (one HTTP round trip) cannot be closed from our side.
- Only the intake waits for the disk (PostgreSQL: synchronous commit). The later steps
  commit without waiting: PostgreSQL writes its log in order, so when the core's own
  (synchronous) commit or a later intake is on disk, every step before it is too; a database
  crash can at worst undo a `done` (one reply sent again), never lose an update.
- Rows that were not finished are taken up again at start (polling: all of them, only one
  poller can exist) and whenever their lease has run out (webhook: another process may hold
  them). The body and the replies are deleted once done; the bare row is pruned after days.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram.convert import CHANNEL
from bot.channels.telegram.formatting import Part
from bot.db import repositories as repo
from bot.db.models import TelegramUpdate, utcnow

logger = logging.getLogger(__name__)

ClaimState = Literal["fresh", "lost", "handled", "finished", "duplicate"]


@dataclass(frozen=True, slots=True)
class Claim:
    """What to do with an update: handle it (fresh), show where we are (lost), send the rest
    of its stored replies (handled), or nothing: done before (finished), or a second press
    on a keyboard or a second edit of a message that was already reacted to (duplicate)."""

    state: ClaimState
    parts: list[Part] = field(default_factory=list)
    sent: int = 0


@dataclass(frozen=True, slots=True)
class Incoming:
    update_id: int
    chat_id: int | None
    body: dict[str, Any] | None  # needed at intake; the later steps find it stored


class Ledger:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        lease: timedelta = timedelta(seconds=120),
        max_attempts: int = 3,
        give_up_after: timedelta = timedelta(hours=24),
        keep: timedelta = timedelta(days=7),
    ) -> None:
        self.sessions = sessions
        self.lease = lease
        self.max_attempts = max_attempts
        self.give_up_after = give_up_after
        self.keep = keep

    async def wait_turn(self, update_id: int, chat_id: int | None, *,
                        within: float | None = None) -> bool:
        """Several processes (webhook mode): wait until every earlier update of this chat is
        finished, so one person's messages are answered in the order they were sent, whichever
        process received them, however slow that process is. True when it is this update's
        turn. False when an earlier update's lease has run out (its process died: the recovery
        takes it up; this one goes on rather than wait for it) or after `within` seconds
        (default: one lease), the upper bound of any wait."""
        if chat_id is None:
            return True
        loop = asyncio.get_running_loop()
        limit = self.lease.total_seconds() if within is None else within
        deadline, pause = loop.time() + limit, 0.005
        while True:
            async with self.sessions() as session:
                earlier = (await session.execute(
                    select(TelegramUpdate.update_id, TelegramUpdate.lease_until).where(
                        TelegramUpdate.chat_id == chat_id, TelegramUpdate.update_id < update_id,
                        TelegramUpdate.status.in_(("received", "working", "handled")))
                    .order_by(TelegramUpdate.lease_until).limit(1))).first()
            if earlier is None:
                return True
            if earlier.lease_until <= utcnow():
                logger.warning("update %s of chat %s: update %s's lease ran out; going on",
                               update_id, chat_id, earlier.update_id)
                return False
            if loop.time() > deadline:
                logger.warning("update %s of chat %s: update %s is still unfinished; going on",
                               update_id, chat_id, earlier.update_id)
                return False
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.1)

    async def intake(self, updates: Sequence[Incoming]) -> set[int]:
        """Store new updates in one transaction; return the ids that were not seen before."""
        rows = [
            {"update_id": u.update_id, "chat_id": u.chat_id, "body": u.body or {},
             "lease_until": utcnow() + self.lease}
            for u in updates
        ]
        async with self.sessions() as session, session.begin():
            return await repo.insert_telegram_updates(session, rows=rows)

    async def claim(self, update: Incoming, *, once_key: str | None = None,
                    core: bool = True) -> Claim:
        """Start handling an update; see Claim for the answers."""
        try:
            async with self._step() as session:
                if await repo.claim_fresh_telegram_update(
                    session, update_id=update.update_id, channel=CHANNEL,
                    external_id=None if update.chat_id is None else str(update.chat_id),
                    once_key=once_key, lease_until=utcnow() + self.lease,
                ):
                    return Claim("fresh")  # the usual case, in one statement
                return await self._claim(session, update, once_key, core)
        except IntegrityError:  # the once_key is taken: a second press, or a second edit
            await self.done(update.update_id)
            return Claim("duplicate")

    async def _claim(
        self, session: AsyncSession, update: Incoming, once_key: str | None, core: bool,
    ) -> Claim:
        """The unusual cases: taken up again after a crash or an error, or never stored."""
        row = await session.get(TelegramUpdate, update.update_id, with_for_update=True)
        if row is None:  # handed to the application directly, without intake (tests, tools)
            row = TelegramUpdate(
                update_id=update.update_id, chat_id=update.chat_id, status="received",
                body=update.body, sent=0, attempts=0, lease_until=utcnow() + self.lease,
            )
            session.add(row)
        if row.status in ("done", "failed"):
            return Claim("finished")
        if row.status == "handled":
            parts = [Part.from_json(p) for p in row.parts or []]
            return Claim("handled", parts=parts, sent=row.sent)
        if row.attempts >= self.max_attempts:
            logger.error("update %s failed %d times; giving up on it", row.update_id, row.attempts)
            _finish(row, "failed")
            return Claim("finished")
        if once_key is not None and await repo.once_key_taken(
            session, key=once_key, update_id=row.update_id
        ):
            _finish(row, "done")
            return Claim("duplicate")
        revision = None
        if update.chat_id is not None:
            _, revision = await repo.person_revision(
                session, channel=CHANNEL, external_id=str(update.chat_id))
        lost = (
            core and row.status == "working" and revision is not None
            and revision != row.revision
        )
        row.status, row.revision, row.once_key = "working", revision, once_key
        row.attempts += 1
        row.lease_until = utcnow() + self.lease
        if lost:
            logger.warning("update %s: answered before a restart but not sent", row.update_id)
        return Claim("lost" if lost else "fresh")

    async def handled(self, update_id: int, parts: list[Part]) -> None:
        """The replies are known: keep them until they are sent."""
        async with self._step() as session:
            await repo.set_telegram_update(
                session, update_id=update_id, status="handled",
                parts=[p.to_json() for p in parts], sent=0)

    async def progress(self, update_id: int, sent: int) -> None:
        """`sent` parts are delivered; renews the lease before a long wait."""
        async with self._step() as session:
            await repo.set_telegram_update(
                session, update_id=update_id, sent=sent, lease_until=utcnow() + self.lease)

    async def done(self, update_id: int) -> None:
        async with self._step() as session:
            await repo.set_telegram_update(
                session, update_id=update_id, status="done", finished_at=utcnow(), body=None,
                parts=None)

    async def release(self, update_id: int) -> None:
        """Handling failed (Telegram unreachable, a bug): let the recovery try again later."""
        async with self._step() as session:
            await repo.set_telegram_update(
                session, update_id=update_id, unfinished_only=True, lease_until=utcnow())

    async def recover(self, *, force: bool, limit: int = 500) -> list[Incoming]:
        """Unfinished updates to handle again, oldest first (all of them when `force`)."""
        now = utcnow()
        found: list[Incoming] = []
        async with self.sessions() as session, session.begin():
            rows = await repo.lease_unfinished_telegram_updates(
                session, now=now, until=now + self.lease, force=force, limit=limit
            )
            for row in rows:
                if row.body is None or row.received_at < now - self.give_up_after:
                    logger.error("update %s could not be answered in time; giving up",
                                 row.update_id)
                    _finish(row, "failed")
                    continue
                found.append(Incoming(row.update_id, row.chat_id, row.body))
        if found:
            logger.info("taking up %d unfinished update(s) again", len(found))
        return found

    @asynccontextmanager
    async def _step(self) -> AsyncIterator[AsyncSession]:
        """A transaction for a step after the intake: committed without waiting for the disk."""
        async with self.sessions() as session, session.begin():
            if session.get_bind().dialect.name == "postgresql":
                await session.execute(text("SET LOCAL synchronous_commit TO OFF"))
            yield session

    async def prune(self) -> int:
        """Delete finished rows older than `keep` (they only guard against redelivery)."""
        async with self.sessions() as session, session.begin():
            return await repo.prune_telegram_updates(session, before=utcnow() - self.keep)


def _finish(row: TelegramUpdate, status: str) -> None:
    row.status, row.finished_at = status, utcnow()
    row.body, row.parts = None, None
