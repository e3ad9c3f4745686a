"""Tables of members (私域): a lock row per member, the points ledger, double-points windows
and member-only prices in a show. Same metadata as the rest (migration 0013_members)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from liveroom.adapters.sql.schema import metadata, ts

# One row per buyer who ever earned points: the row spending locks, so that two spends of
# one buyer cannot both pass the balance check.
members = Table(
    "members", metadata,
    Column("buyer_id", String(64), primary_key=True),
    ts("joined_at", False),
)

# The points ledger. `order_id` is the order for earn and reverse, and the caller's own
# reference for spend: one row per (buyer, order, kind), so a replayed OrderPaid inserts
# nothing and a refund's reversal is updated to the order's refunded share, never added.
member_points = Table(
    "member_points", metadata,
    Column("id", String(32), primary_key=True),
    Column("buyer_id", String(64), nullable=False),
    Column("order_id", String(64), nullable=False),
    Column("kind", String(8), nullable=False),  # earn | reverse | spend
    Column("points", BigInteger, nullable=False),  # positive; kind gives the direction
    Column("multiplier", Integer, nullable=False),
    Column("session_id", String(32), nullable=True),
    Column("note", Text, nullable=True),
    ts("at", False),
    UniqueConstraint("buyer_id", "order_id", "kind", name="uq_member_points_buyer_order_kind"),
    Index("ix_member_points_buyer_at", "buyer_id", "at"),
)

points_windows = Table(
    "points_windows", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False,
           index=True),
    Column("multiplier", Integer, nullable=False),
    ts("starts_at", False),
    ts("ends_at", False),
    Column("created_by", String(64), nullable=False),
    ts("created_at", False),
)

member_prices = Table(
    "member_prices", metadata,
    Column("session_id", String(32), ForeignKey("live_sessions.id"), primary_key=True),
    Column("sku_id", String(32), primary_key=True),
    Column("tier", String(16), primary_key=True),
    Column("price_fen", BigInteger, nullable=False),
    Column("created_by", String(64), nullable=False),
    ts("updated_at", False),
)
