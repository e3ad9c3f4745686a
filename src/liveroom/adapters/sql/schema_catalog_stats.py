"""Observed selling history per product, refreshed after each show and each refund."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table

from liveroom.adapters.sql.schema import metadata, ts

product_stats = Table(
    "product_stats", metadata,
    Column("product_id", String(32), ForeignKey("products.id"), primary_key=True),
    Column("views", Integer, nullable=False),
    Column("orders", Integer, nullable=False),
    Column("returns", Integer, nullable=False),
    Column("buyers", Integer, nullable=False),
    Column("repeat_buyers", Integer, nullable=False),
    ts("updated_at", False),
)
