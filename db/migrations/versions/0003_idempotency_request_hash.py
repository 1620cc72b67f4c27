"""idempotency_keys.request_hash: a key replays only the request it was first used with

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # nullable: keys stored before this revision replay whatever the body (as they did)
    with op.batch_alter_table('idempotency_keys') as batch:
        batch.add_column(sa.Column('request_hash', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('idempotency_keys') as batch:
        batch.drop_column('request_hash')
