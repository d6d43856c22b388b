"""Tickets, the messages relayed between a person and a coach, and the links between chats.

A ticket is open (waiting, claimed or released) or closed; a person has at most one open
ticket. Every relayed message is a row saved before anyone is told it arrived; its delivery
status changes as the relay worker (relay.py) delivers it. A MessageLink ties one relayed
message to its copy in one chat (the person's chat, the coaches' topic), so a reply or an edit
on one side finds the message on the other side.

All rows carry person_id with ON DELETE CASCADE: /forget removes them with the person.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.crypto import EncryptedText
from bot.db.models import Base, BigId, utcnow

OPEN = ("waiting", "claimed", "released")
STATUSES = (*OPEN, "closed")


class Ticket(Base):
    __tablename__ = "handoff_tickets"
    __table_args__ = (
        Index("ix_handoff_tickets_status_created", "status", "created_at"),
        Index("ix_handoff_tickets_person_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="waiting")  # STATUSES
    reason: Mapped[str] = mapped_column(String(32))  # what the person chose, or why offered
    trigger: Mapped[str] = mapped_column(String(32), default="person_asked")
    language: Mapped[str] = mapped_column(String(8))
    municipality: Mapped[str | None] = mapped_column(String(64))
    region: Mapped[str | None] = mapped_column(String(80))
    team: Mapped[str] = mapped_column(String(40), default="default")
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    suggested: Mapped[list[Any]] = mapped_column(default=list)  # [[coach id, name, why], ...]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)  # last (re)request
    claimed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    coach_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("console_users.id", ondelete="SET NULL"))
    coach_name: Mapped[str | None] = mapped_column(String(100))
    # The coaches' group topic: none (no group) | pending | open | failed
    topic_state: Mapped[str] = mapped_column(String(8), default="none")
    topic_thread_id: Mapped[int | None] = mapped_column(BigInteger)
    topic_opener_id: Mapped[int | None] = mapped_column(BigInteger)  # the message with Claim
    topic_attempts: Mapped[int] = mapped_column(Integer, default=0)
    topic_lease_until: Mapped[datetime | None]
    topic_revision: Mapped[int] = mapped_column(Integer, default=0)  # what the opener shows
    overdue_noticed_at: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(Integer, default=0)


class RelayMessage(Base):
    """One message in a handoff: from the person, from a coach, a note, or the bot's notice."""

    __tablename__ = "handoff_messages"
    __table_args__ = (
        Index("ix_handoff_messages_ticket_id", "ticket_id", "id"),
        Index("ix_handoff_messages_status", "status"),
        Index("ix_handoff_messages_person_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("handoff_tickets.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    sender: Mapped[str] = mapped_column(String(8))  # person | coach | note | bot
    coach_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("console_users.id", ondelete="SET NULL"))
    author: Mapped[str | None] = mapped_column(String(100))  # the coach's name, kept
    via: Mapped[str] = mapped_column(String(10))  # telegram | web | console | shell
    kind: Mapped[str] = mapped_column(String(16), default="text")  # text | photo | voice ...
    text: Mapped[str] = mapped_column(EncryptedText, default="")  # encrypted when a key is set
    language: Mapped[str | None] = mapped_column(String(8))
    translation: Mapped[str | None] = mapped_column(EncryptedText)
    translated_to: Mapped[str | None] = mapped_column(String(8))
    machine_translated: Mapped[bool] = mapped_column(Boolean, default=False)
    # pending -> delivered | undelivered (blocked, or gave up); notes and stored-only: stored
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(200))
    delivered_at: Mapped[datetime | None]
    lease_until: Mapped[datetime | None]  # "sending": another worker may retry after this
    buttons: Mapped[list[Any]] = mapped_column(default=list)  # [[label, payload], ...]
    # Telegram: where it came from, so it can be copied (media) or replied to
    source_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    source_message_id: Mapped[int | None] = mapped_column(BigInteger)
    reply_to_id: Mapped[int | None] = mapped_column(BigId)  # another RelayMessage
    edit_of_id: Mapped[int | None] = mapped_column(BigId)  # this corrects that RelayMessage


class MessageLink(Base):
    """One relayed message as it exists in one Telegram chat."""

    __tablename__ = "handoff_links"
    __table_args__ = (
        Index("ix_handoff_links_chat_message", "chat_id", "telegram_message_id"),
        Index("ix_handoff_links_message_id", "message_id"),
        Index("ix_handoff_links_person_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("handoff_messages.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    side: Mapped[str] = mapped_column(String(8))  # person | topic
    chat_id: Mapped[int] = mapped_column(BigInteger)
    telegram_message_id: Mapped[int] = mapped_column(BigInteger)


class TopicCleanup(Base):
    """A coaches' topic to delete because its person asked to be forgotten (no person link)."""

    __tablename__ = "handoff_topic_cleanup"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    thread_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(default=utcnow)
