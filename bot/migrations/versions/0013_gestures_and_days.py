"""gestures (/hug) and important days (/days) with the notices sent for them

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 18:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gestures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("couple_id", sa.Integer(), nullable=False),
        sa.Column("from_user_id", sa.BigInteger(), nullable=False),
        sa.Column("to_user_id", sa.BigInteger(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("returned_at", bot.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["couple_id"],
            ["couples.id"],
            name=op.f("fk_gestures_couple_id_couples"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["from_user_id"],
            ["users.id"],
            name=op.f("fk_gestures_from_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_user_id"],
            ["users.id"],
            name=op.f("fk_gestures_to_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gestures")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("gestures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gestures_couple_id"), ["couple_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_gestures_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_gestures_from_day", ["from_user_id", "local_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_gestures_to_user_id"), ["to_user_id"], unique=False)

    op.create_table(
        "important_days",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("couple_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=True),
        sa.Column("added_by", sa.BigInteger(), nullable=True),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by"],
            ["users.id"],
            name=op.f("fk_important_days_added_by_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["couple_id"],
            ["couples.id"],
            name=op.f("fk_important_days_couple_id_couples"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["users.id"],
            name=op.f("fk_important_days_person_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_important_days")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("important_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_important_days_added_by"), ["added_by"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_important_days_couple_id"), ["couple_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_important_days_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "day_notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("day_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sent_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["day_id"],
            ["important_days.id"],
            name=op.f("fk_day_notices_day_id_important_days"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_day_notices_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_day_notices")),
        sa.UniqueConstraint("day_id", "user_id", "kind", "year", name="uq_day_notices_once"),
    )
    with op.batch_alter_table("day_notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_day_notices_sent_at"), ["sent_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_day_notices_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("day_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_day_notices_user_id"))
        batch_op.drop_index(batch_op.f("ix_day_notices_sent_at"))

    op.drop_table("day_notices")
    with op.batch_alter_table("important_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_important_days_person_id"))
        batch_op.drop_index(batch_op.f("ix_important_days_couple_id"))
        batch_op.drop_index(batch_op.f("ix_important_days_added_by"))

    op.drop_table("important_days")
    with op.batch_alter_table("gestures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gestures_to_user_id"))
        batch_op.drop_index("ix_gestures_from_day")
        batch_op.drop_index(batch_op.f("ix_gestures_created_at"))
        batch_op.drop_index(batch_op.f("ix_gestures_couple_id"))

    op.drop_table("gestures")
