"""SQLAlchemy 2 models: people, conversation state, the append-only event log, content versions.

Timestamps are timezone-aware UTC everywhere (SQLite stores them naive; UTCDateTime restores
the zone on the way out).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.db.crypto import EncryptedText

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

BigId = BigInteger().with_variant(Integer, "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Person(Base):
    """Someone who talks to Werkpad on one channel. Holds no asylum story, only what steps need."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    pseudonym: Mapped[str] = mapped_column(String(16), unique=True)
    language: Mapped[str | None] = mapped_column(String(8))
    language_source: Mapped[str | None] = mapped_column(String(12))  # bot/language/decide.py
    consent_at: Mapped[datetime | None]
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ConversationState(Base):
    """Where one person is: the flow and step, slots, counters. Saved after every message."""

    __tablename__ = "conversation_states"

    person_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    flow_id: Mapped[str | None] = mapped_column(String(64))
    step_id: Mapped[str | None] = mapped_column(String(64))
    flow_version: Mapped[int | None] = mapped_column(Integer)
    slots: Mapped[dict[str, Any]] = mapped_column(default=dict)
    retries: Mapped[int] = mapped_column(Integer, default=0)
    fallbacks: Mapped[int] = mapped_column(Integer, default=0)
    back_stack: Mapped[list[Any]] = mapped_column(default=list)
    awaiting: Mapped[str | None] = mapped_column(String(16))  # consent | resume | clarify
    pending: Mapped[dict[str, Any]] = mapped_column(default=dict)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Event(Base):
    """Append-only log of every incoming and outgoing message."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_person_at", "person_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("people.id", ondelete="CASCADE")
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(EncryptedText)  # encrypted when a key is set
    payload: Mapped[str | None] = mapped_column(String(128))
    intent: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float | None] = mapped_column(Float)
    language: Mapped[str | None] = mapped_column(String(8))
    flow_id: Mapped[str | None] = mapped_column(String(64))
    step_id: Mapped[str | None] = mapped_column(String(64))
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ContentVersion(Base):
    """One version of a content file (flow, answers, rules, keywords); newest published wins."""

    __tablename__ = "content_versions"
    __table_args__ = (UniqueConstraint("kind", "key", "version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # flow | answers | rules | keywords
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64))
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="import")


class TelegramUpdate(Base):
    """One Telegram update, kept from arrival until its replies are sent, so that none is lost
    and none is answered twice (bot/channels/telegram/ledger.py has the life cycle).

    The body and the rendered replies are cleared once the update is done; what stays (the
    update and chat numbers) is pruned after a few days.
    """

    __tablename__ = "telegram_updates"
    __table_args__ = (
        Index("ix_telegram_updates_status_lease", "status", "lease_until"),
        Index("ix_telegram_updates_chat_id", "chat_id"),
    )

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10))  # received | working | handled | done | failed
    body: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the update as Telegram sent it
    parts: Mapped[list[Any] | None] = mapped_column(JSON)  # rendered replies, set once handled
    sent: Mapped[int] = mapped_column(Integer, default=0)  # parts already delivered
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    revision: Mapped[int | None] = mapped_column(Integer)  # the state revision before handling
    once_key: Mapped[str | None] = mapped_column(String(64), unique=True)  # one press per message
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
