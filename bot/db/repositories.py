"""Keyword-only async query functions; callers own the session and the transaction."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    ContentVersion,
    ConversationState,
    Event,
    Person,
    TelegramUpdate,
    utcnow,
)


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


async def recent_events(session: AsyncSession, *, person_id: int, limit: int = 50,
                        pushed_after: int | None = None) -> list[Event]:
    """The last `limit` events, oldest first; with `pushed_after`, only messages pushed to the
    person (a coach's, a reminder) after that event id."""
    query = select(Event).where(Event.person_id == person_id)
    if pushed_after is not None:
        query = query.where(Event.kind == "push", Event.id > pushed_after)
    rows = await session.scalars(query.order_by(Event.id.desc()).limit(limit))
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


# -- Telegram update ledger (bot/channels/telegram/ledger.py owns the life cycle) ----------------

UNFINISHED_UPDATE = ("received", "working", "handled")


async def insert_telegram_updates(
    session: AsyncSession, *, rows: list[dict[str, Any]]
) -> set[int]:
    """Insert new updates (update_id, chat_id, body, lease_until); return the ids that were new.

    An update that is already stored (a redelivery) is left as it is.
    """
    from sqlalchemy.dialects import postgresql, sqlite

    if not rows:
        return set()
    now = utcnow()
    values = [
        {"status": "received", "sent": 0, "attempts": 0, "received_at": now, **row}
        for row in rows
    ]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(TelegramUpdate).values(values)
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(TelegramUpdate.update_id)
    )
    return set((await session.scalars(statement)).all())


async def person_revision(
    session: AsyncSession, *, channel: str, external_id: str
) -> tuple[Person | None, int | None]:
    """The person on this channel (if any) and their conversation state's revision."""
    row = (await session.execute(
        select(Person, ConversationState.revision)
        .outerjoin(ConversationState, ConversationState.person_id == Person.id)
        .where(Person.channel == channel, Person.external_id == external_id)
    )).first()
    return (None, None) if row is None else (row[0], row[1])


async def once_key_taken(session: AsyncSession, *, key: str, update_id: int) -> bool:
    """True when another update already reacted to this pressed or edited message."""
    found = await session.scalar(
        select(TelegramUpdate.update_id)
        .where(TelegramUpdate.once_key == key, TelegramUpdate.update_id != update_id)
    )
    return found is not None


async def lease_unfinished_telegram_updates(
    session: AsyncSession, *, now: datetime, until: datetime, force: bool, limit: int
) -> list[TelegramUpdate]:
    """Take unfinished updates whose lease ran out (all of them when `force`), oldest first,
    and lease them until `until`."""
    query = (
        select(TelegramUpdate).where(TelegramUpdate.status.in_(UNFINISHED_UPDATE))
        .order_by(TelegramUpdate.update_id).limit(limit)
    )
    if not force:
        query = query.where(TelegramUpdate.lease_until < now)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list((await session.scalars(query)).all())
    for row in rows:
        row.lease_until = until
    return rows


async def forget_telegram_chat(
    session: AsyncSession, *, chat_id: int, keep_update_id: int
) -> None:
    """Delete the ledger rows of one chat; the current update stays, without the chat number,
    so a redelivery of it is still recognised."""
    await session.execute(
        delete(TelegramUpdate).where(
            TelegramUpdate.chat_id == chat_id, TelegramUpdate.update_id != keep_update_id
        )
    )
    await session.execute(
        update(TelegramUpdate).where(TelegramUpdate.update_id == keep_update_id)
        .values(chat_id=None, body=None, parts=None, once_key=None)
    )


async def prune_telegram_updates(session: AsyncSession, *, before: datetime) -> int:
    """Delete finished ledger rows older than `before`; returns how many."""
    result = await session.execute(
        delete(TelegramUpdate).where(
            TelegramUpdate.status.in_(("done", "failed")), TelegramUpdate.received_at < before
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def delete_person(session: AsyncSession, *, channel: str, external_id: str) -> bool:
    """Delete a person; their state and events go with them (ON DELETE CASCADE)."""
    result = await session.execute(
        delete(Person).where(Person.channel == channel, Person.external_id == external_id)
    )
    return bool(getattr(result, "rowcount", 0))


async def set_person_active(
    session: AsyncSession, *, channel: str, external_id: str, active: bool
) -> bool:
    """Mark a person reachable or not (blocked the bot); False when there is no such person."""
    result = await session.execute(
        update(Person).where(Person.channel == channel, Person.external_id == external_id)
        .values(active=active)
    )
    return bool(getattr(result, "rowcount", 0))


async def set_telegram_update(
    session: AsyncSession, *, update_id: int, unfinished_only: bool = False, **values: Any
) -> None:
    """Change one ledger row in a single statement (no read first)."""
    statement = update(TelegramUpdate).where(TelegramUpdate.update_id == update_id)
    if unfinished_only:
        statement = statement.where(TelegramUpdate.status.in_(UNFINISHED_UPDATE))
    await session.execute(statement.values(**values))


async def claim_fresh_telegram_update(
    session: AsyncSession, *, update_id: int, channel: str, external_id: str | None,
    once_key: str | None, lease_until: datetime,
) -> bool:
    """Mark a never-handled update as being handled, recording the person's state revision,
    in one statement; False when the update is not fresh (the caller looks closer)."""
    revision = (
        select(ConversationState.revision)
        .join(Person, Person.id == ConversationState.person_id)
        .where(Person.channel == channel, Person.external_id == external_id)
        .scalar_subquery()
    )
    statement = (
        update(TelegramUpdate)
        .where(TelegramUpdate.update_id == update_id, TelegramUpdate.status == "received",
               TelegramUpdate.attempts == 0)
        .values(status="working", attempts=1, lease_until=lease_until, once_key=once_key,
                revision=revision if external_id is not None else None)
        .returning(TelegramUpdate.update_id)
    )
    return (await session.scalar(statement)) is not None
