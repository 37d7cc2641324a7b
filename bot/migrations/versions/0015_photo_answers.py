"""photo answers: a Telegram file id with a check-in answer or an appreciation

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 18:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checkin_answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("photo_file_id", sa.String(length=256), nullable=True))
    with op.batch_alter_table("appreciations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("photo_file_id", sa.String(length=256), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("appreciations", schema=None) as batch_op:
        batch_op.drop_column("photo_file_id")
    with op.batch_alter_table("checkin_answers", schema=None) as batch_op:
        batch_op.drop_column("photo_file_id")
