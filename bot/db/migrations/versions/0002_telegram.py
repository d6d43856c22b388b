"""telegram update ledger: exactly-once handling of Telegram updates

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('telegram_updates',
    sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('body', sa.JSON(), nullable=True),
    sa.Column('parts', sa.JSON(), nullable=True),
    sa.Column('sent', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=True),
    sa.Column('once_key', sa.String(length=64), nullable=True),
    sa.Column('received_at', bot.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lease_until', bot.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', bot.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('update_id', name=op.f('pk_telegram_updates')),
    sa.UniqueConstraint('once_key', name=op.f('uq_telegram_updates_once_key'))
    )
    with op.batch_alter_table('telegram_updates', schema=None) as batch_op:
        batch_op.create_index('ix_telegram_updates_chat_id', ['chat_id'], unique=False)
        batch_op.create_index('ix_telegram_updates_status_lease', ['status', 'lease_until'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('telegram_updates', schema=None) as batch_op:
        batch_op.drop_index('ix_telegram_updates_status_lease')
        batch_op.drop_index('ix_telegram_updates_chat_id')

    op.drop_table('telegram_updates')
