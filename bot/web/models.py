"""Console users, their server-side sessions, and the audit log (on the shared Base)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models import Base, BigId, utcnow

ROLES = ("admin", "coach")


class User(Base):
    """Someone who signs in to the console: an admin or a job coach."""

    __tablename__ = "console_users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(8))  # admin | coach
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login: Mapped[datetime | None]
    # For the coach handoff work: who gets which conversations.
    telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    languages: Mapped[str | None] = mapped_column(String(200))  # comma-separated codes
    regions: Mapped[str | None] = mapped_column(String(500))  # comma-separated region names
    # comma-separated handoff team names (settings.handoff.teams): the tickets a coach may see;
    # none: the first team (bot/handoff/access.py)
    teams: Mapped[str | None] = mapped_column(String(200))


class ConsoleSession(Base):
    """One signed-in browser. The cookie holds a random token; only its hash is stored."""

    __tablename__ = "console_sessions"
    __table_args__ = (Index("ix_console_sessions_user_id", "user_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("console_users.id", ondelete="CASCADE")
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # the last request seen (written at most once a minute): the idle timeout counts from it
    last_seen_at: Mapped[datetime | None]
    expires_at: Mapped[datetime]


class AuditEvent(Base):
    """Append-only: who did or looked at what in the console, and when."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_at", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("console_users.id", ondelete="SET NULL")
    )
    actor: Mapped[str] = mapped_column(String(254))  # the e-mail, kept when the user goes
    action: Mapped[str] = mapped_column(String(32))  # login | login_failed | content.save ...
    target: Mapped[str | None] = mapped_column(String(128))  # e.g. answers/work_permit
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
