"""translation cache

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "translation_cache",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("cache_key", sa.String(length=96), nullable=False),
        sa.Column("source_lang", sa.String(length=8), nullable=False),
        sa.Column("target_lang", sa.String(length=8), nullable=False),
        sa.Column("translated", sa.Text(), nullable=False),
        sa.Column("person_id", BigId, nullable=True),
        sa.Column("created_at", bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"],
                                name=op.f("fk_translation_cache_person_id_people"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_translation_cache")),
        sa.UniqueConstraint("cache_key", name=op.f("uq_translation_cache_cache_key")),
    )
    with op.batch_alter_table("translation_cache") as batch:
        batch.create_index("ix_translation_cache_person_id", ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("translation_cache") as batch:
        batch.drop_index("ix_translation_cache_person_id")
    op.drop_table("translation_cache")
