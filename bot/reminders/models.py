"""The `reminders` table: one message a person asked us to send them on a later day.

A reminder belongs to a person and goes with them (ON DELETE CASCADE): `/forget`, declining
consent and the retention purge delete it together with everything else. At most one pending
reminder per person and kind: asking again moves the date instead of adding a second one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models import Base, BigId, utcnow

ReminderKind = Literal["work_allowed", "twv_check"]
KINDS: tuple[str, ...] = ("work_allowed", "twv_check")
# pending: waiting for due_at; sent: handed to the channel (or being handed: see worker.py);
# cancelled: the person cancelled it; undeliverable: blocked, or given up after retries.
STATUSES: tuple[str, ...] = ("pending", "sent", "cancelled", "undeliverable")

_PENDING = text("status = 'pending'")


class Reminder(Base):
    __tablename__ = "reminders"
    __table_args__ = (
        Index("ix_reminders_status_due_at", "status", "due_at"),
        Index("ix_reminders_person_id", "person_id"),
        # one pending reminder per person and kind (a partial index: sent ones may repeat)
        Index("uq_reminders_person_kind_pending", "person_id", "kind", unique=True,
              sqlite_where=_PENDING, postgresql_where=_PENDING),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    due_on: Mapped[date] = mapped_column(Date)  # the day the person was promised
    due_at: Mapped[datetime]  # when to send (UTC); moves later after a failed attempt
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
