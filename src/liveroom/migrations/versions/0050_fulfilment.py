"""Fulfilment: merchant-confirmed ship-by dates and the shipping status history.

Revision ID: 0050_fulfilment
Revises: 0016_merge_heads
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0050_fulfilment"
down_revision: str | Sequence[str] | None = "0016_merge_heads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ship_by_dates",
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("ship_by", sa.Date(), nullable=False),
        sa.Column("computed_ship_by", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), server_default="", nullable=False),
        sa.Column("confirmed_by", sa.String(length=64), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_ship_by_dates")),
    )
    op.create_table(
        "shipping_history",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("carrier", sa.String(length=32), nullable=False),
        sa.Column("tracking_no", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipping_history")),
    )
    with op.batch_alter_table("shipping_history", schema=None) as batch_op:
        batch_op.create_index("ix_shipping_history_order_at", ["order_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("shipping_history", schema=None) as batch_op:
        batch_op.drop_index("ix_shipping_history_order_at")
    op.drop_table("shipping_history")
    op.drop_table("ship_by_dates")
