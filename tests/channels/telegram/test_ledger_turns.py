"""Webhook mode, several processes: a person's update waits for their earlier ones.

It waits as long as the earlier update is alive (its lease runs: a process is handling it or
has it queued), however slow that process is, and goes on only once the earlier update is
finished or its lease has run out (its process died; recovery takes it up). Under heavy load a
fixed 20 s limit answered a person's messages out of order (CI, 2026-12-07).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.telegram.ledger import Ledger
from bot.db.models import TelegramUpdate, utcnow
from bot.db.session import make_sessionmaker


async def put(engine: AsyncEngine, update_id: int, chat_id: int, status: str,
              lease: timedelta) -> None:
    async with make_sessionmaker(engine)() as session, session.begin():
        session.add(TelegramUpdate(update_id=update_id, chat_id=chat_id, status=status,
                                   body={}, sent=0, attempts=1, lease_until=utcnow() + lease))


async def finish(engine: AsyncEngine, update_id: int) -> None:
    async with make_sessionmaker(engine)() as session, session.begin():
        row = await session.get(TelegramUpdate, update_id)
        assert row is not None
        row.status, row.finished_at = "done", utcnow()


async def test_no_earlier_update_means_it_is_our_turn(db_engine: AsyncEngine) -> None:
    ledger = Ledger(make_sessionmaker(db_engine))
    await put(db_engine, 10, 501, "done", timedelta(seconds=60))
    await put(db_engine, 11, 502, "working", timedelta(seconds=60))  # another person
    assert await ledger.wait_turn(12, 501, within=5) is True


async def test_waits_for_a_slow_live_earlier_update_past_the_old_limit(
        db_engine: AsyncEngine) -> None:
    ledger = Ledger(make_sessionmaker(db_engine))
    await put(db_engine, 20, 601, "working", timedelta(seconds=60))
    waiting = asyncio.create_task(ledger.wait_turn(21, 601, within=30))
    await asyncio.sleep(1.0)
    assert not waiting.done(), "went on while the earlier update was still being handled"
    await finish(db_engine, 20)
    assert await asyncio.wait_for(waiting, 5) is True


async def test_an_earlier_update_whose_lease_ran_out_does_not_hold_up_the_next(
        db_engine: AsyncEngine) -> None:
    """Its process died: the recovery answers it later; the person is not kept waiting."""
    ledger = Ledger(make_sessionmaker(db_engine))
    await put(db_engine, 30, 701, "working", timedelta(seconds=-1))
    assert await asyncio.wait_for(ledger.wait_turn(31, 701, within=30), 5) is False


async def test_the_wait_has_an_upper_bound_even_for_a_live_lease(
        db_engine: AsyncEngine) -> None:
    ledger = Ledger(make_sessionmaker(db_engine))
    await put(db_engine, 40, 801, "received", timedelta(seconds=600))
    assert await asyncio.wait_for(ledger.wait_turn(41, 801, within=0.5), 5) is False
