"""Keyword-only async query functions; callers own the session and the transaction."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ContentVersion, ConversationState, Event, Person, utcnow


async def get_or_create_person(
    session: AsyncSession, *, channel: str, external_id: str
) -> tuple[Person, bool]:
    """Return the person for this channel id, creating them (with a pseudonym) if new."""
    person = await session.scalar(
        select(Person).where(Person.channel == channel, Person.external_id == external_id)
    )
    if person is not None:
        return person, False
    person = Person(channel=channel, external_id=external_id, pseudonym=secrets.token_hex(6))
    session.add(person)
    await session.flush()
    return person, True


async def get_state(session: AsyncSession, *, person_id: int) -> ConversationState:
    state = await session.get(ConversationState, person_id)
    if state is None:
        state = ConversationState(
            person_id=person_id, slots={}, back_stack=[], pending={}, retries=0, fallbacks=0,
            revision=0,
        )
        session.add(state)
        await session.flush()
    return state


async def add_event(
    session: AsyncSession,
    *,
    person_id: int,
    direction: str,
    kind: str,
    text: str | None = None,
    payload: str | None = None,
    intent: str | None = None,
    confidence: float | None = None,
    language: str | None = None,
    flow_id: str | None = None,
    step_id: str | None = None,
    meta: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Event:
    event = Event(
        person_id=person_id, direction=direction, kind=kind, text=text, payload=payload,
        intent=intent, confidence=confidence, language=language, flow_id=flow_id,
        step_id=step_id, meta=meta or {}, at=at or utcnow(),
    )
    session.add(event)
    return event


async def recent_events(session: AsyncSession, *, person_id: int, limit: int = 50) -> list[Event]:
    rows = await session.scalars(
        select(Event).where(Event.person_id == person_id)
        .order_by(Event.id.desc()).limit(limit)
    )
    return list(reversed(rows.all()))


async def find_person(session: AsyncSession, *, channel: str, external_id: str) -> Person | None:
    return await session.scalar(
        select(Person).where(Person.channel == channel, Person.external_id == external_id)
    )


async def lock_person(session: AsyncSession, *, person_id: int) -> None:
    """Serialise one person's messages across processes (PostgreSQL advisory lock).

    Held until the transaction ends. SQLite has one writer at a time anyway, and the
    in-process lock in the dialogue manager covers a single process.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": person_id})


def checksum(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


async def latest_content(
    session: AsyncSession, *, kind: str | None = None
) -> list[ContentVersion]:
    """The newest published version of every content item (optionally of one kind)."""
    newest = (
        select(ContentVersion.kind, ContentVersion.key,
               func.max(ContentVersion.version).label("v"))
        .where(ContentVersion.published.is_(True))
        .group_by(ContentVersion.kind, ContentVersion.key)
    )
    if kind is not None:
        newest = newest.where(ContentVersion.kind == kind)
    sub = newest.subquery()
    rows = await session.scalars(
        select(ContentVersion).join(
            sub,
            (ContentVersion.kind == sub.c.kind)
            & (ContentVersion.key == sub.c.key)
            & (ContentVersion.version == sub.c.v),
        ).order_by(ContentVersion.kind, ContentVersion.key)
    )
    return list(rows.all())


async def save_content_version(
    session: AsyncSession, *, kind: str, key: str, body: str, created_by: str,
    published: bool = True,
) -> ContentVersion | None:
    """Store `body` as a new version unless it equals the newest one; returns the new row."""
    current = await session.scalar(
        select(ContentVersion).where(ContentVersion.kind == kind, ContentVersion.key == key)
        .order_by(ContentVersion.version.desc()).limit(1)
    )
    digest = checksum(body)
    if current is not None and current.checksum == digest and current.published == published:
        return None
    row = ContentVersion(
        kind=kind, key=key, version=(current.version + 1) if current else 1, body=body,
        checksum=digest, published=published, created_by=created_by,
    )
    session.add(row)
    await session.flush()
    return row
