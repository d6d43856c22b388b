"""job leads

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('job_leads',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('employer', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('sector', sa.String(length=16), nullable=False),
    sa.Column('municipality_code', sa.String(length=6), nullable=False),
    sa.Column('hours_min', sa.Integer(), nullable=False),
    sa.Column('hours_max', sa.Integer(), nullable=False),
    sa.Column('language_level', sa.String(length=4), nullable=False),
    sa.Column('twv_willing', sa.Boolean(), nullable=False),
    sa.Column('contact_route', sa.String(length=500), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.Column('created_at', bot.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("language_level IN ('none', 'A1', 'A2', 'B1', 'B2')", name=op.f('ck_job_leads_language_level')),
    sa.CheckConstraint("sector IN ('cleaning', 'production', 'hospitality', 'logistics', 'care', 'other')", name=op.f('ck_job_leads_sector')),
    sa.CheckConstraint('hours_min >= 1 AND hours_min <= hours_max AND hours_max <= 60', name=op.f('ck_job_leads_hours')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_leads'))
    )
    with op.batch_alter_table('job_leads', schema=None) as batch_op:
        batch_op.create_index('ix_job_leads_municipality_code', ['municipality_code'], unique=False)
        batch_op.create_index('ix_job_leads_valid_until', ['valid_until'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('job_leads', schema=None) as batch_op:
        batch_op.drop_index('ix_job_leads_valid_until')
        batch_op.drop_index('ix_job_leads_municipality_code')

    op.drop_table('job_leads')
