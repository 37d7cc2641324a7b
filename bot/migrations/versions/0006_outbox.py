"""outbox: one table for everything the bot sends on its own (replaces ritual_deliveries)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 11:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=True),
        sa.Column("ritual", sa.String(length=16), nullable=True),
        sa.Column("local_date", sa.Date(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("scheduled_for", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("not_after", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("lease_until", bot.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("detail", sa.String(length=64), nullable=True),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", bot.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_outbox_author_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_outbox_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("user_id", "ritual", "local_date", name="uq_outbox_prompt_once"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_author_id"), ["author_id"], unique=False)
        batch_op.create_index("ix_outbox_status_next", ["status", "next_attempt_at"], unique=False)
    # The delivery records carry over (the unique key keeps a prompt from being sent twice).
    # A row the old design left pending may have been sent by a process that then stopped:
    # it is never sent again (unknown).
    op.execute(
        "INSERT INTO outbox (user_id, ritual, local_date, status, attempts, scheduled_for, "
        "next_attempt_at, not_after, detail, created_at, sent_at) "
        "SELECT user_id, ritual, local_date, "
        "CASE status WHEN 'failed' THEN 'missed' WHEN 'pending' THEN 'unknown' ELSE status END, "
        "0, scheduled_for, "
        "scheduled_for, scheduled_for, detail, created_at, sent_at FROM ritual_deliveries"
    )
    op.drop_table("ritual_deliveries")


def downgrade() -> None:
    op.create_table(
        "ritual_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("ritual", sa.String(length=16), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("scheduled_for", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(length=64), nullable=True),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", bot.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_ritual_deliveries_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ritual_deliveries")),
        sa.UniqueConstraint("user_id", "ritual", "local_date", name="uq_ritual_deliveries_once"),
    )
    op.drop_table("outbox")
