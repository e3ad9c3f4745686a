"""Tables of the buying side: orders, replayable purchase answers, per-buyer flash counters,
notifications and oversell remedies. Same metadata as the control plane."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from liveroom.adapters.sql.schema import metadata, ts

orders = Table(
    "orders", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), nullable=False),
    Column("buyer_id", String(64), nullable=False),
    Column("kind", String(8), nullable=False),  # flash | live
    Column("flash_sale_id", String(32), nullable=True),
    Column("idempotency_key", String(128), nullable=False),
    # what the key is scoped to besides the buyer: the flash sale, or the live show
    Column("idempotency_scope", String(32), nullable=False, server_default=""),
    Column("status", String(16), nullable=False),  # reserved|paid|expired|cancelled|refunded
    Column("items", JSON, nullable=False),  # [{sku_id, quantity, unit_price_fen, presale}]
    Column("quantity", Integer, nullable=False),
    Column("subtotal_fen", BigInteger, nullable=False),
    Column("total_fen", BigInteger, nullable=False),
    Column("breakdown", JSON, nullable=False),
    Column("coupon_ids", JSON, nullable=False),
    Column("channel", String(32), nullable=True),
    Column("utm", JSON, nullable=True),
    Column("contact", JSON, nullable=True),  # {name, phone, address}: personal data
    ts("created_at", False),
    ts("expires_at", False),
    ts("paid_at"),
    ts("closed_at"),  # expired, cancelled or refunded
    Column("payment_method", String(16), nullable=True),
    Column("payment_ref", String(64), nullable=True),
    Column("refund_ref", String(64), nullable=True),
    # Paid back so far (operator refunds and after-sales); never above total_fen. Migration
    # 0012_aftersales.
    Column("refunded_fen", BigInteger, nullable=False, server_default="0"),
    Column("shipping", JSON, nullable=True),  # {carrier, tracking_no, status, updated_at}
    ts("reminded_at"),
    # A rehearsal's test order: a real order through the real payment flow, kept out of
    # every figure and export. Migration 0025_rehearsal_plan.
    Column("test", Boolean, nullable=False, default=False, server_default=false()),
    UniqueConstraint("buyer_id", "idempotency_scope", "idempotency_key",
                     name="uq_orders_buyer_scope_key"),
    Index("ix_orders_session_created", "session_id", "created_at"),
    Index("ix_orders_status_expires", "status", "expires_at"),
    Index("ix_orders_flash_buyer", "flash_sale_id", "buyer_id"),
)

# Rejected purchase answers (sold_out, limit_exceeded, ...) kept so that a retried key gets
# the first answer; used by the sql back-end (memory and redis keep them in their ledger).
purchase_replies = Table(
    "purchase_replies", metadata,
    Column("buyer_id", String(64), primary_key=True),
    Column("scope", String(32), primary_key=True),  # the flash sale
    Column("idempotency_key", String(128), primary_key=True),
    Column("status_code", Integer, nullable=False),
    Column("body", JSON, nullable=False),
    ts("created_at", False),
)

# Units a buyer holds in a flash sale: the sql back-end's atomic per-buyer limit (upsert).
flash_buyer_counts = Table(
    "flash_buyer_counts", metadata,
    Column("flash_sale_id", String(32), primary_key=True),
    Column("buyer_id", String(64), primary_key=True),
    Column("count", Integer, nullable=False),
)

order_notifications = Table(
    "order_notifications", metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(32), nullable=False),  # unpaid_reminder|safety_stock|restock|...
    Column("recipient", String(64), nullable=False),  # a buyer id or an operator role
    Column("session_id", String(32), nullable=True),
    Column("order_id", String(32), nullable=True),
    Column("sku_id", String(32), nullable=True),
    Column("payload", JSON, nullable=False),
    ts("due_at", False),
    ts("sent_at"),
    ts("created_at", False),
    Index("ix_order_notifications_due", "sent_at", "due_at"),
    UniqueConstraint("kind", "order_id", name="uq_order_notifications_kind_order"),
)

oversell_remedies = Table(
    "oversell_remedies", metadata,
    Column("id", String(32), primary_key=True),
    Column("order_id", String(32), nullable=False, unique=True),
    Column("remedy", String(16), nullable=False),  # substitute | compensation
    Column("substitute_sku_id", String(32), nullable=True),
    Column("coupon_id", String(32), nullable=True),
    Column("note", String(500), nullable=False, default=""),
    Column("created_by", String(64), nullable=False),
    ts("created_at", False),
)

# Records a writer could not store (a poisoned order in a group commit or in the Redis order
# stream): set aside with the reason so that everything else commits and nothing loops.
dead_letters = Table(
    "dead_letters", metadata,
    Column("id", String(32), primary_key=True),
    # group_commit | order_stream | sql_ledger | comment_log
    Column("source", String(32), nullable=False),
    Column("record_id", String(64), nullable=True),  # the order id, when it could be read
    Column("reason", Text, nullable=False),
    Column("payload", Text, nullable=False),  # the record, escaped to printable ASCII
    ts("created_at", False),
    Index("ix_dead_letters_created", "created_at"),
)
