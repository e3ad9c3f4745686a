"""After-sales cases on orders, SLA breach alerts, replacement shipments; tickets belong to
orders; an order remembers what was paid back.

Revision ID: 0012_aftersales
Revises: 0006_ticket_work
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_aftersales"
down_revision: str | Sequence[str] | None = "0006_ticket_work"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refunded_fen", sa.BigInteger(), nullable=False,
                                      server_default="0"))
    # Orders refunded before this revision paid back everything.
    op.execute("UPDATE orders SET refunded_fen = total_fen WHERE status = 'refunded'")
    with op.batch_alter_table("aftersales_tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_id", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_aftersales_tickets_order_id"), ["order_id"],
                              unique=False)
    op.create_table(
        "after_sales",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("buyer_id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("ticket_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("exchange_sku_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=24), nullable=False),
        sa.Column("auto", sa.Boolean(), nullable=False),
        sa.Column("hold_reason", sa.String(length=32), nullable=True),
        sa.Column("open_order_id", sa.String(length=32), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("received_at", TS, nullable=True),
        sa.Column("refunded_fen", sa.BigInteger(), nullable=False),
        sa.Column("refund_ref", sa.String(length=64), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_after_sales_order_id_orders")),
        sa.ForeignKeyConstraint(["ticket_id"], ["aftersales_tickets.id"],
                                name=op.f("fk_after_sales_ticket_id_aftersales_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_after_sales")),
        sa.UniqueConstraint("open_order_id", name=op.f("uq_after_sales_open_order_id")),
    )
    with op.batch_alter_table("after_sales", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_after_sales_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_after_sales_buyer_id"), ["buyer_id"], unique=False)
    op.create_table(
        "sla_breaches",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("detected_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["after_sales.id"],
                                name=op.f("fk_sla_breaches_case_id_after_sales")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_breaches")),
        sa.UniqueConstraint("case_id", "kind", name="uq_sla_breaches_case_kind"),
    )
    with op.batch_alter_table("sla_breaches", schema=None) as batch_op:
        batch_op.create_index("ix_sla_breaches_detected", ["detected_at"], unique=False)
    op.create_table(
        "replacement_shipments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["after_sales.id"],
                                name=op.f("fk_replacement_shipments_case_id_after_sales")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_replacement_shipments_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replacement_shipments")),
        sa.UniqueConstraint("case_id", name=op.f("uq_replacement_shipments_case_id")),
    )


def downgrade() -> None:
    op.drop_table("replacement_shipments")
    with op.batch_alter_table("sla_breaches", schema=None) as batch_op:
        batch_op.drop_index("ix_sla_breaches_detected")
    op.drop_table("sla_breaches")
    with op.batch_alter_table("after_sales", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_after_sales_buyer_id"))
        batch_op.drop_index(batch_op.f("ix_after_sales_order_id"))
    op.drop_table("after_sales")
    with op.batch_alter_table("aftersales_tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_aftersales_tickets_order_id"))
        batch_op.drop_column("order_id")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("refunded_fen")
