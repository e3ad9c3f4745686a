"""Warm-up tasks ticked by a person (预热任务: short video, ads, preview loop): who and when.

Revision ID: 0030_warmup_tasks
Revises: 0016_merge_heads
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030_warmup_tasks"
down_revision: str | Sequence[str] | None = "0016_merge_heads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "warmup_ticks",
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("task", sa.String(length=32), nullable=False),
        sa.Column("done_by", sa.String(length=64), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"],
                                name=op.f("fk_warmup_ticks_session_id_live_sessions")),
        sa.PrimaryKeyConstraint("session_id", "task", name=op.f("pk_warmup_ticks")),
    )


def downgrade() -> None:
    op.drop_table("warmup_ticks")
