"""Products carry the merchant (商家) whose goods they are: the orders page and its
downloads are split per merchant, the catalogue filters by it.

Revision ID: 0061_product_merchant
Revises: 0060_merge_heads
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0061_product_merchant"
down_revision: str | Sequence[str] | None = "0060_merge_heads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merchant", sa.String(length=100), nullable=False,
                                      server_default=""))
        batch_op.create_index("ix_products_merchant", ["merchant"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index("ix_products_merchant")
        batch_op.drop_column("merchant")
