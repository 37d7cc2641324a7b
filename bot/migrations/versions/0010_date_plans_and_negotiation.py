"""date plans, "How was it?", follow-ups and negotiation rounds

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("date_proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("planned_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("planned_time", sa.String(length=5), nullable=True))
        batch_op.add_column(
            sa.Column("feedback_revealed_at", bot.models.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("counter_by_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("writer_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column("rounds", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch_op.add_column(
            sa.Column("agreed_at", bot.models.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("checks_sent", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch_op.add_column(sa.Column("check_reply", sa.String(length=8), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_requests_counter_by_id_users"),
            "users",
            ["counter_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_requests_writer_id_users"),
            "users",
            ["writer_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # Negotiations under way carry on: a counter-proposal awaited, or one to decide on.
    op.execute(
        "UPDATE requests SET writer_id = to_user_id "
        "WHERE status = 'negotiate' AND counter_text IS NULL"
    )
    op.execute(
        "UPDATE requests SET counter_by_id = to_user_id, rounds = 1 "
        "WHERE status = 'negotiate' AND counter_text IS NOT NULL"
    )
    op.create_table(
        "date_feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("words", sa.Text(), nullable=True),
        sa.Column("asked_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", bot.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revealed_at", bot.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["date_proposals.id"],
            name=op.f("fk_date_feedback_proposal_id_date_proposals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_date_feedback_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_date_feedback")),
        sa.UniqueConstraint("proposal_id", "user_id", name="uq_date_feedback_proposal_user"),
    )
    with op.batch_alter_table("date_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_date_feedback_proposal_id"), ["proposal_id"])
        batch_op.create_index(batch_op.f("ix_date_feedback_user_id"), ["user_id"])
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("couple_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("due_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["couple_id"],
            ["couples.id"],
            name=op.f("fk_follow_ups_couple_id_couples"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_follow_ups_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_ups_couple_id"), ["couple_id"])
        batch_op.create_index(batch_op.f("ix_follow_ups_user_id"), ["user_id"])
        batch_op.create_index("ix_follow_ups_kind_due", ["kind", "due_at"])


def downgrade() -> None:
    op.drop_table("follow_ups")
    op.drop_table("date_feedback")
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_requests_writer_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_requests_counter_by_id_users"), type_="foreignkey")
        for column in (
            "check_reply",
            "checks_sent",
            "agreed_at",
            "rounds",
            "writer_id",
            "counter_by_id",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("date_proposals", schema=None) as batch_op:
        for column in ("feedback_revealed_at", "planned_time", "planned_on"):
            batch_op.drop_column(column)
