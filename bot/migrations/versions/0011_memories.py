"""the memory book: notes saved with /remember, favourites and removals, "on this day"

Revision ID: 0011_memories
Revises: 0010
Create Date: 2026-12-02 18:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "memory_notes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("couple_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("photo_file_id", sa.String(length=256), nullable=True),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_memory_notes_author_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["couple_id"],
            ["couples.id"],
            name=op.f("fk_memory_notes_couple_id_couples"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memory_notes")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("memory_notes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_memory_notes_couple_at", ["couple_id", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_memory_notes_author_id"), ["author_id"], unique=False)

    op.create_table(
        "memory_marks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("mark", sa.String(length=16), nullable=False),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_memory_marks_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memory_marks")),
        sa.UniqueConstraint("user_id", "kind", "ref_id", "mark", name="uq_memory_marks_once"),
    )
    with op.batch_alter_table("memory_marks", schema=None) as batch_op:
        batch_op.create_index("ix_memory_marks_kind_ref", ["kind", "ref_id"], unique=False)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("memory_line_at", bot.models.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("memory_line_at")
    with op.batch_alter_table("memory_marks", schema=None) as batch_op:
        batch_op.drop_index("ix_memory_marks_kind_ref")
    op.drop_table("memory_marks")
    with op.batch_alter_table("memory_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_memory_notes_author_id"))
        batch_op.drop_index("ix_memory_notes_couple_at")
    op.drop_table("memory_notes")
