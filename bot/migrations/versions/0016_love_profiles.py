"""love-language profiles (/lovelanguage)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 18:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "love_profiles",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("answers", sa.String(length=16), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=True),
        sa.Column("finished_at", bot.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("shared_with", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["shared_with"],
            ["couples.id"],
            name=op.f("fk_love_profiles_shared_with_couples"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_love_profiles_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_love_profiles")),
    )


def downgrade() -> None:
    op.drop_table("love_profiles")
