"""Tables of live-ops interventions: the console's one-click answers to abandoned carts."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table

from liveroom.adapters.sql.schema import metadata, ts

cart_interventions = Table(
    "cart_interventions", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # coupon | message
    Column("buyer_ids", JSON, nullable=False),  # the buyers who had abandoned carts then
    Column("coupon_id", String(32), nullable=True),
    Column("discount_fen", Integer, nullable=False),
    Column("minutes", Integer, nullable=False),  # the coupon's countdown
    Column("created_by", String(80), nullable=False),
    ts("created_at", False),
    Index("ix_cart_interventions_session", "session_id", "created_at"),
)
