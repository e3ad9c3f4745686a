"""Read side of fulfilment: each paid order with its ship-by date (computed from the SKUs'
lead times until the merchant confirms one), whether it is overdue, and its history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.schema_fulfilment import ship_by_dates, shipping_history
from liveroom.adapters.sql.schema_orders import orders
from liveroom.core.clock import as_aware
from liveroom.crm.history import IMPORT_SESSION
from liveroom.fulfilment import model
from liveroom.orders.model import OrderStatus

OPEN = "open"  # not yet handed to a carrier
MOVING = "moving"  # shipped or in transit
ALL = "all"


def sku_facts(conn: Any, sku_ids: set[str]) -> dict[str, tuple[int, str, str]]:
    """SKU id → (its product's shipping lead time in days, product name, spec)."""
    if not sku_ids:
        return {}
    rows = conn.execute(select(t.skus.c.id, t.skus.c.spec, t.products.c.name,
                               t.products.c.ship_lead_days)
                        .join(t.products, t.products.c.id == t.skus.c.product_id)
                        .where(t.skus.c.id.in_(sku_ids))).all()
    return {r.id: (int(r.ship_lead_days), r.name, r.spec) for r in rows}


def lead_days(conn: Any, sku_ids: set[str]) -> dict[str, int]:
    return {k: v[0] for k, v in sku_facts(conn, sku_ids).items()}


def _slowest(items: list[dict[str, Any]], leads: dict[str, int]) -> int:
    return max((leads.get(str(i["sku_id"]), 0) for i in items), default=0)


def computed_ship_by(conn: Any, row: Any, tz: str) -> date:
    leads = lead_days(conn, {str(i["sku_id"]) for i in row.items})
    return model.ship_by(as_aware(row.paid_at), _slowest(row.items, leads), tz)


def orders_to_ship(conn: Any, now: datetime, tz: str, show: str = OPEN,
                   session_id: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Paid orders, soonest ship-by first; `show` open | moving | all."""
    o = orders.c
    q = select(orders, ship_by_dates.c.ship_by.label("confirmed_ship_by"),
               ship_by_dates.c.confirmed_by, ship_by_dates.c.confirmed_at,
               t.live_sessions.c.title.label("session_title")).outerjoin(
        ship_by_dates, ship_by_dates.c.order_id == o.id).outerjoin(
        t.live_sessions, t.live_sessions.c.id == o.session_id).where(
        o.status == OrderStatus.PAID.value,
        o.session_id != IMPORT_SESSION,  # a member's imported history, shipped long ago
        o.test.is_(False)).order_by(o.paid_at).limit(limit * 5)
    if session_id:
        q = q.where(o.session_id == session_id)
    rows = conn.execute(q).all()
    facts = sku_facts(conn, {str(i["sku_id"]) for r in rows for i in r.items})
    leads = {k: v[0] for k, v in facts.items()}
    out = []
    for r in rows:
        status = (r.shipping or {}).get("status")
        moving = status in (model.S.SHIPPED.value, model.S.IN_TRANSIT.value)
        if (show == OPEN and status not in model.UNSHIPPED) or (show == MOVING and not moving):
            continue
        computed = model.ship_by(as_aware(r.paid_at), _slowest(r.items, leads), tz)
        due = r.confirmed_ship_by or computed
        out.append({
            "order_id": r.id, "session_id": r.session_id, "session_title": r.session_title,
            "number": r.id[-8:].upper(), "buyer_id": r.buyer_id, "items": r.items,
            "goods": [{"name": facts.get(i["sku_id"], (0, "", ""))[1],
                       "spec": facts.get(i["sku_id"], (0, "", ""))[2],
                       "quantity": i["quantity"]} for i in r.items],
            "quantity": r.quantity,
            "total_fen": r.total_fen, "paid_at": as_aware(r.paid_at),
            "ship_by": due, "computed_ship_by": computed,
            "confirmed": r.confirmed_ship_by is not None, "confirmed_by": r.confirmed_by,
            "adjusted": r.confirmed_ship_by is not None and r.confirmed_ship_by != computed,
            "overdue": model.is_overdue(due, status, now, tz),
            "shipping_status": status or model.S.PENDING.value,
            "carrier": (r.shipping or {}).get("carrier"),
            "tracking_no": (r.shipping or {}).get("tracking_no")})
    out.sort(key=lambda x: (x["ship_by"], x["paid_at"]))
    return out[:limit]


def history(conn: Any, order_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Order id → its shipping moves, oldest first."""
    if not order_ids:
        return {}
    h = shipping_history.c
    out: dict[str, list[dict[str, Any]]] = {oid: [] for oid in order_ids}
    for r in conn.execute(select(shipping_history).where(h.order_id.in_(order_ids))
                          .order_by(h.at, h.id)):
        out[r.order_id].append({"from_status": r.from_status, "to_status": r.to_status,
                                "carrier": r.carrier, "tracking_no": r.tracking_no,
                                "source": r.source, "actor": r.actor, "at": as_aware(r.at)})
    return out


def as_json(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "ship_by": item["ship_by"].isoformat(),
            "computed_ship_by": item["computed_ship_by"].isoformat(),
            "paid_at": item["paid_at"].isoformat()}


def is_paid_order(conn: Any, order_id: str) -> bool:
    return conn.execute(select(orders.c.id).where(
        orders.c.id == order_id, orders.c.status == OrderStatus.PAID.value)).first() is not None
