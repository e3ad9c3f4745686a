"""Tables of fulfilment and outreach: ship-by dates confirmed by the merchant, the shipping
status history of each order, and the delivery record of every outgoing message."""

from __future__ import annotations

from sqlalchemy import Column, Date, Index, Integer, String, Table, Text

from liveroom.adapters.sql.schema import metadata, ts

# A row exists once the merchant confirmed (or moved) an order's ship-by date; before that
# the date is computed from the SKUs' lead times (fulfilment.model.ship_by).
ship_by_dates = Table(
    "ship_by_dates", metadata,
    Column("order_id", String(32), primary_key=True),
    Column("ship_by", Date, nullable=False),
    Column("computed_ship_by", Date, nullable=False),  # what the lead times said
    Column("note", String(500), nullable=False, server_default=""),
    Column("confirmed_by", String(64), nullable=False),
    ts("confirmed_at", False),
)

# Append-only: every accepted shipping move (the current state is orders.shipping).
shipping_history = Table(
    "shipping_history", metadata,
    Column("id", String(32), primary_key=True),
    Column("order_id", String(32), nullable=False),
    Column("from_status", String(16), nullable=True),  # None: never shipped before
    Column("to_status", String(16), nullable=False),
    Column("carrier", String(32), nullable=False),
    Column("tracking_no", String(64), nullable=False),
    Column("source", String(16), nullable=False),  # api | sheet | page
    Column("actor", String(64), nullable=False),
    ts("at", False),
    Index("ix_shipping_history_order_at", "order_id", "at"),
)

# One row per outgoing message key: the idempotency record and its delivery status.
notification_deliveries = Table(
    "notification_deliveries", metadata,
    Column("message_key", String(64), primary_key=True),
    Column("channel", String(16), nullable=False),  # log | sms | wecom | oa_template
    Column("recipient", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("status", String(16), nullable=False),  # queued | sending | sent | failed
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("reason", Text, nullable=True),  # why the last attempt failed
    Column("provider_ref", String(128), nullable=True),
    ts("next_attempt_at", False),
    ts("claimed_at"),
    ts("created_at", False),
    ts("updated_at", False),
    Index("ix_notification_deliveries_status", "status", "next_attempt_at"),
)
