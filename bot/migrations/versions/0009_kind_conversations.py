"""kind conversations: who paused, weekly closing notices, needs that stay open, sharing anyway

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 14:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("couples", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_by", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("closing_notice_at", bot.models.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("checkin_answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("need_note", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("talk_at", bot.models.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("need_closed_at", bot.models.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("shared_at", bot.models.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("checkin_answers", schema=None) as batch_op:
        batch_op.drop_column("shared_at")
        batch_op.drop_column("need_closed_at")
        batch_op.drop_column("talk_at")
        batch_op.drop_column("need_note")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("closing_notice_at")
    with op.batch_alter_table("couples", schema=None) as batch_op:
        batch_op.drop_column("paused_by")
