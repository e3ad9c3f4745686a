"""The distributed comment log: room owners with their fencing epoch, applied log entries
and the question queue as the owner keeps it for every process to read.

Revision ID: 0035_comment_log
Revises: 0016_merge_heads
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035_comment_log"
down_revision: str | Sequence[str] | None = "0016_merge_heads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "comment_room_owners",
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("epoch", sa.BigInteger(), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"],
                                name=op.f("fk_comment_room_owners_session_id_live_sessions")),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_comment_room_owners")),
    )
    op.create_table(
        "comment_log_applied",
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("entry_id", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"],
                                name=op.f("fk_comment_log_applied_session_id_live_sessions")),
        sa.PrimaryKeyConstraint("session_id", "entry_id", name=op.f("pk_comment_log_applied")),
    )
    op.create_table(
        "comment_queue_views",
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("cards", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"],
                                name=op.f("fk_comment_queue_views_session_id_live_sessions")),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_comment_queue_views")),
    )


def downgrade() -> None:
    op.drop_table("comment_queue_views")
    op.drop_table("comment_log_applied")
    op.drop_table("comment_room_owners")
