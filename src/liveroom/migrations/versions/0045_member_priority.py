"""会员优先购 and 会员专享券: a flash sale's member window (members_from, priority_tier) and
coupons only a tier or segment may claim.

Revision ID: 0045_member_priority
Revises: 0016_merge_heads
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0045_member_priority"
down_revision: str | Sequence[str] | None = "0016_merge_heads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("flash_sales", schema=None) as batch_op:
        batch_op.add_column(sa.Column("members_from", TS, nullable=True))
        batch_op.add_column(sa.Column("priority_tier", sa.String(length=16), nullable=True))
    op.create_table(
        "member_coupons",
        sa.Column("coupon_id", sa.String(length=32), nullable=False),
        sa.Column("min_tier", sa.String(length=16), nullable=True),
        sa.Column("segment", sa.String(length=32), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["coupon_id"], ["coupons.id"],
                                name=op.f("fk_member_coupons_coupon_id_coupons")),
        sa.PrimaryKeyConstraint("coupon_id", name=op.f("pk_member_coupons")),
    )


def downgrade() -> None:
    op.drop_table("member_coupons")
    with op.batch_alter_table("flash_sales", schema=None) as batch_op:
        batch_op.drop_column("priority_tier")
        batch_op.drop_column("members_from")
