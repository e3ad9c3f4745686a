"""The price guard remembers, per lineup item, the lowest unit price an audited override
accepted, so that go-live, listing and the order's last check honour it.

Revision ID: 0007_price_guard
Revises: 0006_ticket_work
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_price_guard"
down_revision: str | Sequence[str] | None = "0006_ticket_work"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("lineup_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("override_floor_fen", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("lineup_items", schema=None) as batch_op:
        batch_op.drop_column("override_floor_fen")
