"""Keyword-only async query functions for job leads; callers own the session and transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.jobs.models import JobLead


async def count_leads(
    session: AsyncSession, *, sample: bool | None = None, valid_on: date | None = None
) -> int:
    """How many leads there are: all, only sample (or only real) ones, or those valid on a day."""
    query = select(func.count()).select_from(JobLead)
    if sample is not None:
        query = query.where(JobLead.is_sample.is_(sample))
    if valid_on is not None:
        query = query.where(JobLead.valid_until >= valid_on)
    return int(await session.scalar(query) or 0)


async def add_leads(session: AsyncSession, *, leads: Sequence[dict[str, Any]]) -> int:
    """Insert leads given as column -> value dicts in one statement; returns how many."""
    if not leads:
        return 0
    await session.execute(insert(JobLead), list(leads))
    return len(leads)


async def delete_sample_leads(session: AsyncSession) -> int:
    """Delete every sample lead (before a new sample set comes in); returns how many."""
    result = await session.execute(delete(JobLead).where(JobLead.is_sample.is_(True)))
    return int(getattr(result, "rowcount", 0) or 0)


async def delete_expired_leads(session: AsyncSession, *, before: date) -> int:
    """Delete leads whose last valid day is before `before`; returns how many."""
    result = await session.execute(delete(JobLead).where(JobLead.valid_until < before))
    return int(getattr(result, "rowcount", 0) or 0)


async def get_lead(session: AsyncSession, *, lead_id: int) -> JobLead | None:
    return await session.get(JobLead, lead_id)
