"""A session's orders for people: filtered (status, product, category, merchant, time
range), one row per order line with the product's name, SKU code, spec and merchant,
amounts in yuan, statuses in Chinese and times in the shop's timezone; plus the subtotal
per merchant (商家) over the same filter, for the page and the downloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.schema_orders import orders
from liveroom.core.clock import as_aware
from liveroom.core.errors import NotFound
from liveroom.orders import views

STATUS_ZH = {"reserved": "待支付", "paid": "已支付", "expired": "已过期",
             "cancelled": "已取消", "refunded": "已退款"}
LINE_COLUMNS = ["line_no", "product_name", "sku_code", "spec", "category", "line_quantity",
                "unit_price_yuan", "line_amount_yuan", "total_yuan", "status_zh",
                "created_at_local", "paid_at_local", "merchant"]
EXPORT_COLUMNS = views.EXPORT_COLUMNS + LINE_COLUMNS
MERCHANT_COLUMNS = ["merchant", "orders", "units", "amount_yuan", "gmv_yuan"]
# docs/metrics.md, per product: GMV is Σ quantity × unit price over the lines of paid
# orders, refunded ones included (order-level coupons are not split across merchants)
SOLD = ("paid", "refunded")


@dataclass(frozen=True)
class OrderFilter:
    statuses: tuple[str, ...]
    product_id: str | None = None
    category: str | None = None
    merchant: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class Sku:
    code: str
    spec: str
    product_id: str
    product_name: str
    category: str
    merchant: str


def yuan(fen: int) -> str:
    return f"{int(fen) / 100:.2f}"


def local(value: Any, tz: str) -> str:
    if value is None:
        return ""
    return as_aware(value).astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S")


def skus_of(conn: Any, sku_ids: set[str]) -> dict[str, Sku]:
    if not sku_ids:
        return {}
    p = t.products.c
    rows = conn.execute(select(t.skus.c.id, t.skus.c.code, t.skus.c.spec, p.id.label("pid"),
                               p.name, p.category, p.merchant)
                        .join(t.products, p.id == t.skus.c.product_id)
                        .where(t.skus.c.id.in_(sku_ids))).all()
    return {r.id: Sku(r.code, r.spec, r.pid, r.name, r.category, r.merchant) for r in rows}


def _wanted(line: dict[str, Any], skus: dict[str, Sku], f: OrderFilter) -> bool:
    sku = skus.get(line["sku_id"])
    if f.product_id and (sku is None or sku.product_id != f.product_id):
        return False
    if f.merchant and (sku is None or sku.merchant != f.merchant):
        return False
    return not (f.category and (sku is None or sku.category != f.category))


def matching(conn: Any, sid: str, f: OrderFilter) -> tuple[list[Any], dict[str, Sku]]:
    """The session's real orders that pass the filter (any of their lines matches), oldest
    first, and the SKUs they name."""
    query = select(orders).where(orders.c.session_id == sid, orders.c.test.is_(False),
                                 orders.c.status.in_(f.statuses))
    if f.since is not None:
        query = query.where(orders.c.created_at >= f.since)
    if f.until is not None:
        query = query.where(orders.c.created_at < f.until)
    rows = conn.execute(query.order_by(orders.c.created_at, orders.c.id)).all()
    skus = skus_of(conn, {i["sku_id"] for r in rows for i in r.items})
    return [r for r in rows if any(_wanted(i, skus, f) for i in r.items)], skus


def page(conn: Any, sid: str, f: OrderFilter, limit: int, offset: int,
         see_personal: bool) -> dict[str, Any]:
    """The JSON page (same shape as before) over the filtered orders."""
    rows, _ = matching(conn, sid, f)
    return {"items": [views.order_dict(r, see_personal) for r in rows[offset:offset + limit]],
            "total": len(rows), "limit": limit, "offset": offset}


def line_rows(rows: list[Any], skus: dict[str, Sku], f: OrderFilter, see_personal: bool,
              tz: str) -> list[list[Any]]:
    """One spreadsheet row per order line of `matching`: the order's columns as before
    (times now in `tz`), then the line's product, code, spec, quantity, yuan amounts and
    merchant."""
    zone = ZoneInfo(tz)
    out: list[list[Any]] = []
    for r in rows:
        base = views.export_row(r, see_personal)
        base[1] = as_aware(r.created_at).astimezone(zone).isoformat()
        if r.paid_at is not None:
            base[15] = as_aware(r.paid_at).astimezone(zone).isoformat()
        for n, item in enumerate(r.items, start=1):
            if not _wanted(item, skus, f):
                continue
            sku = skus.get(item["sku_id"])
            price = int(item.get("unit_price_fen", 0))
            out.append(base + [
                n, sku.product_name if sku else "", sku.code if sku else "",
                sku.spec if sku else "", sku.category if sku else "", item["quantity"],
                yuan(price), yuan(price * int(item["quantity"])), yuan(r.total_fen),
                STATUS_ZH.get(r.status, r.status), local(r.created_at, tz),
                local(r.paid_at, tz), sku.merchant if sku else ""])
    return out


def summary(rows: list[Any], skus: dict[str, Sku], f: OrderFilter) -> list[dict[str, Any]]:
    """The subtotal per merchant ("" for products without one) over the lines of
    `matching`: orders, units and amount of the lines listed, and their GMV (the lines of
    paid orders, refunded included, as docs/metrics.md counts it); the largest GMV first,
    the products without a merchant last."""
    acc: dict[str, dict[str, Any]] = {}
    for r in rows:
        for item in r.items:
            if not _wanted(item, skus, f):
                continue
            sku = skus.get(item["sku_id"])
            key = sku.merchant if sku else ""
            s = acc.setdefault(key, {"merchant": key, "orders": set(), "units": 0,
                                     "amount_fen": 0, "gmv_fen": 0})
            amount = int(item.get("unit_price_fen", 0)) * int(item["quantity"])
            s["orders"].add(r.id)
            s["units"] += int(item["quantity"])
            s["amount_fen"] += amount
            if r.status in SOLD and r.paid_at is not None:
                s["gmv_fen"] += amount
    out = [{**s, "orders": len(s["orders"])} for s in acc.values()]
    return sorted(out, key=lambda s: (not s["merchant"], -s["gmv_fen"], -s["amount_fen"],
                                      s["merchant"]))


def merchant_rows(subtotals: list[dict[str, Any]]) -> list[list[Any]]:
    """The per-merchant subtotals as MERCHANT_COLUMNS rows (yuan)."""
    return [[s["merchant"], s["orders"], s["units"], yuan(s["amount_fen"]), yuan(s["gmv_fen"])]
            for s in subtotals]


def products_in(conn: Any, sid: str, statuses: tuple[str, ...]) -> list[Sku]:
    """The products (one Sku per product) this session's orders name, for the filter."""
    _, skus = matching(conn, sid, OrderFilter(statuses))
    seen: dict[str, Sku] = {}
    for s in skus.values():
        seen.setdefault(s.product_id, s)
    return sorted(seen.values(), key=lambda s: s.product_name)


def session_title(conn: Any, sid: str) -> str:
    title = conn.execute(select(t.live_sessions.c.title)
                         .where(t.live_sessions.c.id == sid)).scalar()
    if title is None:
        raise NotFound(f"no session {sid}", code="session_not_found")
    return str(title)


def display(r: Any, skus: dict[str, Sku], f: OrderFilter, see_personal: bool) -> dict[str, Any]:
    """An order as the page shows it: a short number, its lines in words, no raw ids."""
    d = views.order_dict(r, see_personal)
    goods = []
    for item in r.items:
        if not _wanted(item, skus, f):
            continue
        sku = skus.get(item["sku_id"])
        goods.append({"name": sku.product_name if sku else "", "code": sku.code if sku else "",
                      "spec": sku.spec if sku else "", "merchant": sku.merchant if sku else "",
                      "quantity": int(item["quantity"]),
                      "unit_price_fen": int(item.get("unit_price_fen", 0))})
    return {"number": r.id[-8:].upper(), "status": r.status, "goods": goods,
            "quantity": r.quantity, "total_fen": r.total_fen, "created_at": r.created_at,
            "paid_at": r.paid_at, "contact": d["contact"] or {}, "channel": r.channel or ""}
