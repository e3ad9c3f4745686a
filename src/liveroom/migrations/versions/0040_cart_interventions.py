"""Cart-abandonment interventions (issue 12): who was targeted, when, with which coupon.

Revision ID: 0040_cart_interventions
Revises: 0016_merge_heads
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0040_cart_interventions"
down_revision: str | Sequence[str] | None = "0016_merge_heads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cart_interventions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("buyer_ids", sa.JSON(), nullable=False),
        sa.Column("coupon_id", sa.String(length=32), nullable=True),
        sa.Column("discount_fen", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"],
                                name=op.f("fk_cart_interventions_session_id_live_sessions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cart_interventions")),
    )
    with op.batch_alter_table("cart_interventions", schema=None) as batch_op:
        batch_op.create_index("ix_cart_interventions_session", ["session_id", "created_at"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cart_interventions", schema=None) as batch_op:
        batch_op.drop_index("ix_cart_interventions_session")
    op.drop_table("cart_interventions")
