"""check-in question depth: a couple's ceiling and a pending request to raise it

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-02 14:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("couples", schema=None) as batch_op:
        batch_op.add_column(sa.Column("depth_ceiling", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("depth_asked", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("depth_asked_by", sa.BigInteger(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_couples_depth_asked_by_users"),
            "users",
            ["depth_asked_by"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("couples", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_couples_depth_asked_by_users"), type_="foreignkey")
        batch_op.drop_column("depth_asked_by")
        batch_op.drop_column("depth_asked")
        batch_op.drop_column("depth_ceiling")
