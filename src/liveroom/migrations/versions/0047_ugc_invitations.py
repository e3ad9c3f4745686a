"""晒单 posts with their one reward, and invitations (one inviter per invitee).

Revision ID: 0047_ugc_invitations
Revises: 0046_member_reminders
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0047_ugc_invitations"
down_revision: str | Sequence[str] | None = "0046_member_reminders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "ugc_posts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("buyer_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("photo_url", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reward_points", sa.Integer(), nullable=True),
        sa.Column("reward_coupon_id", sa.String(length=32), nullable=True),
        sa.Column("reviewed_by", sa.String(length=64), nullable=True),
        sa.Column("reviewed_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ugc_posts")),
        sa.UniqueConstraint("order_id", name=op.f("uq_ugc_posts_order_id")),
    )
    op.create_index("ix_ugc_posts_status_created", "ugc_posts", ["status", "created_at"])
    op.create_table(
        "invitations",
        sa.Column("invitee_id", sa.String(length=64), nullable=False),
        sa.Column("inviter_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("rewarded_order_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("invitee_id", name=op.f("pk_invitations")),
    )
    op.create_index(op.f("ix_invitations_inviter_id"), "invitations", ["inviter_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_invitations_inviter_id"), table_name="invitations")
    op.drop_table("invitations")
    op.drop_index("ix_ugc_posts_status_created", table_name="ugc_posts")
    op.drop_table("ugc_posts")
