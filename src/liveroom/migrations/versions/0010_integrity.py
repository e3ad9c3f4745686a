"""The database itself refuses to sell more than a flash sale holds: sold <= quantity.

Whatever process writes (a second server with its own in-process ledger, a bug, a hand-made
UPDATE), an order that would take a sale past its quantity is refused with its transaction.

Revision ID: 0010_integrity
Revises: 0006_ticket_work
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0010_integrity"
down_revision: str | Sequence[str] | None = "0006_ticket_work"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # batch mode: SQLite cannot add a CHECK to an existing table, the table is rebuilt
    with op.batch_alter_table("flash_sales", schema=None) as batch_op:
        batch_op.create_check_constraint(op.f("ck_flash_sales_sold_within_quantity"), "sold <= quantity")


def downgrade() -> None:
    with op.batch_alter_table("flash_sales", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_flash_sales_sold_within_quantity"), type_="check")
