"""Tables of after-sales (售后): buyers' cases on their orders, SLA breach alerts and the
replacement shipments of exchanges. Same metadata as the rest (migration 0012_aftersales)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from liveroom.adapters.sql.schema import metadata, ts

after_sales = Table(
    "after_sales", metadata,
    Column("id", String(32), primary_key=True),
    Column("order_id", String(32), ForeignKey("orders.id"), nullable=False, index=True),
    Column("buyer_id", String(64), nullable=False, index=True),
    Column("session_id", String(32), nullable=False),
    Column("ticket_id", String(32), ForeignKey("aftersales_tickets.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # refund_only | return | exchange
    Column("reason", Text, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),  # the refund asked for; 0: exchange
    Column("evidence", JSON, nullable=False),  # [{url, note}]
    Column("exchange_sku_id", String(32), nullable=True),
    Column("status", String(16), nullable=False),  # pending_review | approved | rejected
    Column("stage", String(24), nullable=False),  # review|awaiting_return|refunded|...
    Column("auto", Boolean, nullable=False),  # decided by the rules, not a person
    Column("hold_reason", String(32), nullable=True),  # why it went to a person
    # The order's id while the case is open, NULL once it is done: a unique column, so a
    # second open case on one order cannot be inserted (NULLs never collide).
    Column("open_order_id", String(32), nullable=True, unique=True),
    Column("decided_by", String(64), nullable=True),
    ts("decided_at"),
    Column("decision_note", Text, nullable=True),
    ts("received_at"),
    Column("refunded_fen", BigInteger, nullable=False),
    Column("refund_ref", String(64), nullable=True),
    ts("created_at", False),
    ts("closed_at"),
)

# One row per missed deadline of a case: written by the breach sweep (rows claimed with
# SKIP LOCKED, inserted with ON CONFLICT DO NOTHING), read by the 客服 queue.
sla_breaches = Table(
    "sla_breaches", metadata,
    Column("id", String(32), primary_key=True),
    Column("case_id", String(32), ForeignKey("after_sales.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # first_response | completion
    ts("due_at", False),
    ts("detected_at", False),
    UniqueConstraint("case_id", "kind", name="uq_sla_breaches_case_kind"),
    Index("ix_sla_breaches_detected", "detected_at"),
)

replacement_shipments = Table(
    "replacement_shipments", metadata,
    Column("id", String(32), primary_key=True),
    Column("case_id", String(32), ForeignKey("after_sales.id"), nullable=False, unique=True),
    Column("order_id", String(32), ForeignKey("orders.id"), nullable=False),
    Column("items", JSON, nullable=False),  # [{sku_id, quantity}]
    Column("status", String(16), nullable=False),  # pending (to ship) | shipped
    Column("created_by", String(64), nullable=False),
    ts("created_at", False),
)
