"""The translation cache table (same declarative Base as bot/db/models.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models import Base, BigId, utcnow


class CachedTranslation(Base):
    """One machine translation. `person_id` is set when the text was a person's own words,
    so /forget deletes it with them (ON DELETE CASCADE); content translations have none."""

    __tablename__ = "translation_cache"
    __table_args__ = (UniqueConstraint("cache_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    cache_key: Mapped[str] = mapped_column(String(96))  # source:target:sha256 of the text
    source_lang: Mapped[str] = mapped_column(String(8))
    target_lang: Mapped[str] = mapped_column(String(8))
    translated: Mapped[str] = mapped_column(Text)
    person_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
