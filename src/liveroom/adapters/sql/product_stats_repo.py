"""Reads what the history refresh needs from orders and tracking, and keeps product_stats."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.schema_aftersales import after_sales
from liveroom.adapters.sql.schema_catalog_stats import product_stats
from liveroom.adapters.sql.schema_orders import orders
from liveroom.adapters.sql.schema_tracking import tracking_events
from liveroom.catalog.history import COUNTS, SOLD, OrderLine, SoldLine


class ProductStatsRepo:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def owners(self, product_ids: list[str]) -> dict[str, str]:
        rows = self.conn.execute(select(t.skus.c.id, t.skus.c.product_id)
                                 .where(t.skus.c.product_id.in_(product_ids))).all()
        return {r.id: r.product_id for r in rows}

    def products_in_session(self, sid: str) -> list[str]:
        rows = self.conn.execute(
            select(t.skus.c.product_id).distinct()
            .join(t.lineup_items, t.lineup_items.c.sku_id == t.skus.c.id)
            .where(t.lineup_items.c.session_id == sid)).all()
        return [r.product_id for r in rows]

    def order_lines(self, sku_ids: list[str]) -> list[OrderLine]:
        """Sold order lines of these SKUs, over every session that ever listed one."""
        sessions = select(t.lineup_items.c.session_id).where(
            t.lineup_items.c.sku_id.in_(sku_ids)).scalar_subquery()
        rows = self.conn.execute(
            select(orders.c.id, orders.c.buyer_id, orders.c.status, orders.c["items"])
            .where(orders.c.session_id.in_(sessions), orders.c.status.in_(SOLD),
                   orders.c.test.is_(False))).all()
        # An order that got money back through after-sales (a partial refund, a return)
        # counts as returned even while it stays paid.
        a = after_sales.c
        refunded = set(self.conn.execute(select(a.order_id).distinct().where(
            a.refunded_fen > 0, a.order_id.in_(
                select(orders.c.id).where(orders.c.session_id.in_(sessions),
                                          orders.c.test.is_(False))))).scalars())
        wanted = set(sku_ids)
        return [OrderLine(r.id, r.buyer_id, "refunded" if r.id in refunded else r.status,
                          item["sku_id"])
                for r in rows for item in (r.items or []) if item["sku_id"] in wanted]

    def sold_lines(self, session_ids: list[str]) -> list[SoldLine]:
        """Every SKU line of the sold orders of these shows; returned if refunded in full
        or money went back through after-sales."""
        rows = self.conn.execute(
            select(orders.c.id, orders.c.session_id, orders.c.status, orders.c["items"])
            .where(orders.c.session_id.in_(session_ids), orders.c.status.in_(SOLD),
                   orders.c.test.is_(False))).all()
        a = after_sales.c
        back = set(self.conn.execute(select(a.order_id).distinct().where(
            a.refunded_fen > 0, a.order_id.in_([r.id for r in rows]))).scalars())
        return [SoldLine(r.session_id, r.id, item["sku_id"], int(item["quantity"]),
                         int(item["quantity"]) * int(item["unit_price_fen"]),
                         r.status == "refunded" or r.id in back)
                for r in rows for item in (r.items or [])]

    def impressions(self, sku_ids: list[str]) -> dict[str, int]:
        e = tracking_events.c
        rows = self.conn.execute(select(e.sku_id, func.count().label("n"))
                                 .where(e.sku_id.in_(sku_ids), e.type == "product_impression")
                                 .group_by(e.sku_id)).all()
        return {r.sku_id: int(r.n) for r in rows}

    def save(self, stats: dict[str, dict[str, int]], at: datetime) -> None:
        if not stats:
            return
        self.conn.execute(delete(product_stats).where(product_stats.c.product_id.in_(stats)))
        self.conn.execute(insert(product_stats), [
            {"product_id": pid, **{k: s[k] for k in COUNTS}, "updated_at": at}
            for pid, s in stats.items()])

    def load(self, product_ids: list[str]) -> dict[str, dict[str, int]]:
        rows = self.conn.execute(select(product_stats)
                                 .where(product_stats.c.product_id.in_(product_ids))).all()
        return {r.product_id: {k: getattr(r, k) for k in COUNTS} for r in rows}
