"""spaced repetition: review_cards (FSRS state per learner and card) and review_logs

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('review_cards',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('course_id', sa.Uuid(), nullable=False),
    sa.Column('card_id', sa.String(length=64), nullable=False),
    sa.Column('fsrs', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('due', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_review', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reps', sa.Integer(), nullable=False),
    sa.Column('lapses', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('uq_review_cards_card', 'review_cards', ['user_id', 'course_id', 'card_id'], unique=True)
    op.create_index('ix_review_cards_user_due', 'review_cards', ['user_id', 'due'], unique=False)
    op.create_table('review_logs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('review_card_id', sa.Uuid(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['review_card_id'], ['review_cards.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_review_logs_card', 'review_logs', ['review_card_id', 'reviewed_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_review_logs_card', table_name='review_logs')
    op.drop_table('review_logs')
    op.drop_index('ix_review_cards_user_due', table_name='review_cards')
    op.drop_index('uq_review_cards_card', table_name='review_cards')
    op.drop_table('review_cards')
