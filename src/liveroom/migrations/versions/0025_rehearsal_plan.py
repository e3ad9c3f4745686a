"""The plan page and the rehearsal: contingency scripts per kind of trouble on a session;
test orders (placed, paid and refunded in rehearsal) marked so that no figure counts them.

Revision ID: 0025_rehearsal_plan
Revises: 0016_merge_heads
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025_rehearsal_plan"
down_revision: str | Sequence[str] | None = "0016_merge_heads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contingency", sa.JSON(), nullable=False,
                                      server_default=sa.text("'{}'")))
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("test", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("test")
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.drop_column("contingency")
