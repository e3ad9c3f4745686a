"""Dead letters: records a writer could not store, set aside with their reason. Idempotency
keys scoped to the buyer and the sale (flash) or the show (live order): a key reused in a
new sale is a new order, not a replay of the old sale's order.

Revision ID: 0008_dead_letters
Revises: 0006_ticket_work
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_dead_letters"
down_revision: str | Sequence[str] | None = "0006_ticket_work"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dead_letters")),
    )
    with op.batch_alter_table("dead_letters", schema=None) as batch_op:
        batch_op.create_index("ix_dead_letters_created", ["created_at"], unique=False)
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_scope", sa.String(length=32),
                                      nullable=False, server_default=""))
    op.execute("UPDATE orders SET idempotency_scope = COALESCE(flash_sale_id, session_id)")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_constraint("uq_orders_buyer_key", type_="unique")
        batch_op.create_unique_constraint(
            "uq_orders_buyer_scope_key", ["buyer_id", "idempotency_scope", "idempotency_key"])
    # Remembered rejections (sold out, limit) only: rebuilt empty with the scope in the key
    # (a retried key is decided again, which is what a new key would get anyway).
    op.drop_table("purchase_replies")
    _purchase_replies(scoped=True)


def _purchase_replies(scoped: bool) -> None:
    keys = ["buyer_id", "scope", "idempotency_key"] if scoped else ["buyer_id",
                                                                    "idempotency_key"]
    op.create_table(
        "purchase_replies",
        sa.Column("buyer_id", sa.String(length=64), nullable=False),
        *([sa.Column("scope", sa.String(length=32), nullable=False)] if scoped else []),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(*keys, name=op.f("pk_purchase_replies")),
    )


def downgrade() -> None:
    op.drop_table("purchase_replies")
    _purchase_replies(scoped=False)
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_constraint("uq_orders_buyer_scope_key", type_="unique")
        batch_op.drop_column("idempotency_scope")
        batch_op.create_unique_constraint("uq_orders_buyer_key",
                                          ["buyer_id", "idempotency_key"])
    with op.batch_alter_table("dead_letters", schema=None) as batch_op:
        batch_op.drop_index("ix_dead_letters_created")
    op.drop_table("dead_letters")
