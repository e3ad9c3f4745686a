"""The live console: operators' replies to comments, stored metric alerts and alert
acknowledgements.

Revision ID: 0020_live_console
Revises: 0016_merge_heads
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_live_console"
down_revision: str | Sequence[str] | None = "0016_merge_heads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "comment_replies",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("comment_id", sa.String(length=32), nullable=False),
        sa.Column("buyer_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"],
                                name=op.f("fk_comment_replies_session_id_live_sessions")),
        sa.ForeignKeyConstraint(["comment_id"], ["comments.id"],
                                name=op.f("fk_comment_replies_comment_id_comments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_replies")),
    )
    op.create_index("ix_comment_replies_session_created", "comment_replies",
                    ["session_id", "created_at"])
    op.create_table(
        "live_alerts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("change_pct", sa.Float(), nullable=True),
        sa.Column("minute", sa.String(length=40), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"],
                                name=op.f("fk_live_alerts_session_id_live_sessions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_alerts")),
    )
    op.create_index("ix_live_alerts_session_raised", "live_alerts", ["session_id", "raised_at"])
    op.create_index("uq_live_alerts_open", "live_alerts", ["session_id", "kind"], unique=True,
                    sqlite_where=sa.text("cleared_at IS NULL"),
                    postgresql_where=sa.text("cleared_at IS NULL"))
    op.create_table(
        "alert_acks",
        sa.Column("alert_id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"],
                                name=op.f("fk_alert_acks_session_id_live_sessions")),
        sa.PrimaryKeyConstraint("alert_id", name=op.f("pk_alert_acks")),
    )
    op.create_index(op.f("ix_alert_acks_session_id"), "alert_acks", ["session_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_alert_acks_session_id"), table_name="alert_acks")
    op.drop_table("alert_acks")
    op.drop_index("uq_live_alerts_open", table_name="live_alerts")
    op.drop_index("ix_live_alerts_session_raised", table_name="live_alerts")
    op.drop_table("live_alerts")
    op.drop_index("ix_comment_replies_session_created", table_name="comment_replies")
    op.drop_table("comment_replies")
