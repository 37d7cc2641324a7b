"""conversation state per open step (replaces the single pending input per user)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "open_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=True),
        sa.Column("ref_key", sa.String(length=32), nullable=True),
        sa.Column("prompt_message_id", sa.BigInteger(), nullable=True),
        sa.Column("opened_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_open_steps_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_steps")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("open_steps", schema=None) as batch_op:
        batch_op.create_index("ix_open_steps_user_opened", ["user_id", "opened_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_open_steps_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "held_texts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_held_texts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_texts")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("held_texts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_held_texts_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_held_texts_created_at"), ["created_at"], unique=False)

    # A pending input said only what the bot waited for, not which prompt asked: it cannot be
    # routed safely under the new rules, so it is dropped (the next prompt opens a step).
    op.drop_table("pending_inputs")


def downgrade() -> None:
    op.create_table(
        "pending_inputs",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=True),
        sa.Column("ref_key", sa.String(length=32), nullable=True),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_pending_inputs_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_pending_inputs")),
    )
    op.drop_table("held_texts")
    op.drop_table("open_steps")
