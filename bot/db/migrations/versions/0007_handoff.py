"""handoff: tickets, relayed messages, message links

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('handoff_tickets',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('trigger', sa.String(length=32), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('municipality', sa.String(length=64), nullable=True),
    sa.Column('region', sa.String(length=80), nullable=True),
    sa.Column('team', sa.String(length=40), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('suggested', sa.JSON(), nullable=False),
    sa.Column('created_at', bot.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('requested_at', bot.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', bot.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', bot.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('coach_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('coach_name', sa.String(length=100), nullable=True),
    sa.Column('topic_state', sa.String(length=8), nullable=False),
    sa.Column('topic_thread_id', sa.BigInteger(), nullable=True),
    sa.Column('topic_opener_id', sa.BigInteger(), nullable=True),
    sa.Column('topic_attempts', sa.Integer(), nullable=False),
    sa.Column('topic_lease_until', bot.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('topic_revision', sa.Integer(), nullable=False),
    sa.Column('overdue_noticed_at', bot.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['coach_id'], ['console_users.id'], name=op.f('fk_handoff_tickets_coach_id_console_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_handoff_tickets_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_tickets'))
    )
    with op.batch_alter_table('handoff_tickets', schema=None) as batch_op:
        batch_op.create_index('ix_handoff_tickets_person_id', ['person_id'], unique=False)
        batch_op.create_index('ix_handoff_tickets_status_created', ['status', 'created_at'], unique=False)

    op.create_table('handoff_messages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('ticket_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', bot.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sender', sa.String(length=8), nullable=False),
    sa.Column('coach_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('author', sa.String(length=100), nullable=True),
    sa.Column('via', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('translation', sa.Text(), nullable=True),
    sa.Column('translated_to', sa.String(length=8), nullable=True),
    sa.Column('machine_translated', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=200), nullable=True),
    sa.Column('delivered_at', bot.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('lease_until', bot.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('buttons', sa.JSON(), nullable=False),
    sa.Column('source_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('source_message_id', sa.BigInteger(), nullable=True),
    sa.Column('reply_to_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('edit_of_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['coach_id'], ['console_users.id'], name=op.f('fk_handoff_messages_coach_id_console_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_handoff_messages_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['handoff_tickets.id'], name=op.f('fk_handoff_messages_ticket_id_handoff_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_messages'))
    )
    with op.batch_alter_table('handoff_messages', schema=None) as batch_op:
        batch_op.create_index('ix_handoff_messages_person_id', ['person_id'], unique=False)
        batch_op.create_index('ix_handoff_messages_status', ['status'], unique=False)
        batch_op.create_index('ix_handoff_messages_ticket_id', ['ticket_id', 'id'], unique=False)

    op.create_table('handoff_links',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('message_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('side', sa.String(length=8), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('telegram_message_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['handoff_messages.id'], name=op.f('fk_handoff_links_message_id_handoff_messages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_handoff_links_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_links'))
    )
    with op.batch_alter_table('handoff_links', schema=None) as batch_op:
        batch_op.create_index('ix_handoff_links_chat_message', ['chat_id', 'telegram_message_id'], unique=False)
        batch_op.create_index('ix_handoff_links_message_id', ['message_id'], unique=False)
        batch_op.create_index('ix_handoff_links_person_id', ['person_id'], unique=False)
    op.create_table('handoff_topic_cleanup',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('thread_id', sa.BigInteger(), nullable=False),
    sa.Column('at', bot.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_topic_cleanup'))
    )


def downgrade() -> None:
    op.drop_table('handoff_topic_cleanup')
    with op.batch_alter_table('handoff_links', schema=None) as batch_op:
        batch_op.drop_index('ix_handoff_links_person_id')
        batch_op.drop_index('ix_handoff_links_message_id')
        batch_op.drop_index('ix_handoff_links_chat_message')

    op.drop_table('handoff_links')
    with op.batch_alter_table('handoff_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_handoff_messages_ticket_id')
        batch_op.drop_index('ix_handoff_messages_status')
        batch_op.drop_index('ix_handoff_messages_person_id')

    op.drop_table('handoff_messages')
    with op.batch_alter_table('handoff_tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_handoff_tickets_status_created')
        batch_op.drop_index('ix_handoff_tickets_person_id')

    op.drop_table('handoff_tickets')
