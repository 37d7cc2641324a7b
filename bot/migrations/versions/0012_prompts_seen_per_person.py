"""prompts seen per person: appreciation prompts and date ideas are remembered per person

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows already there keep user_id NULL: shown to the couple, so they count for both
    # partners (nobody meets a prompt again sooner than before).
    with op.batch_alter_table("prompts_shown", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_prompts_shown_user_id"), ["user_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_prompts_shown_user_id_users"),
            "users",
            ["user_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    # Per-person rows become the couple's: the promise then holds for the couple again.
    with op.batch_alter_table("prompts_shown", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_prompts_shown_user_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_prompts_shown_user_id"))
        batch_op.drop_column("user_id")
