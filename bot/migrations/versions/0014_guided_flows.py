"""guided flows (eye-contact minutes first) and each partner's part in them

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 18:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guided_flows",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("couple_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("started_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deadline", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("starts_at", bot.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", bot.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["couple_id"],
            ["couples.id"],
            name=op.f("fk_guided_flows_couple_id_couples"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["started_by"],
            ["users.id"],
            name=op.f("fk_guided_flows_started_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guided_flows")),
    )
    op.create_index(op.f("ix_guided_flows_couple_id"), "guided_flows", ["couple_id"], unique=False)
    op.create_index("ix_guided_flows_step_deadline", "guided_flows", ["step", "deadline"])
    op.create_table(
        "flow_parts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("flow_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("choice", sa.Integer(), nullable=True),
        sa.Column("words", sa.Text(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["flow_id"],
            ["guided_flows.id"],
            name=op.f("fk_flow_parts_flow_id_guided_flows"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_flow_parts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flow_parts")),
        sa.UniqueConstraint("flow_id", "user_id", name=op.f("uq_flow_parts_flow_id")),
    )
    op.create_index(op.f("ix_flow_parts_user_id"), "flow_parts", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_flow_parts_user_id"), table_name="flow_parts")
    op.drop_table("flow_parts")
    op.drop_index("ix_guided_flows_step_deadline", table_name="guided_flows")
    op.drop_index(op.f("ix_guided_flows_couple_id"), table_name="guided_flows")
    op.drop_table("guided_flows")
