"""Read side of orders: one order, its export row with masking (lists: listing.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from liveroom.adapters.sql.schema_orders import orders
from liveroom.core import export
from liveroom.core.clock import as_aware
from liveroom.orders.model import mask_address, mask_name, mask_phone

EXPORT_COLUMNS = ["id", "created_at", "status", "kind", "buyer_id", "sku_ids", "quantity",
                  "subtotal_fen", "discount_fen", "shipping_fen", "total_fen", "channel",
                  "contact_name", "phone", "address", "paid_at", "carrier", "tracking_no",
                  "shipping_status"]


def _iso(v: Any) -> Any:
    return as_aware(v).isoformat() if v is not None else None


def order_reply(row: Any) -> dict[str, Any]:
    """The 201 body of a placed order (and of its replay)."""
    return {"order_id": row.id, "status": "reserved", "total_fen": row.total_fen,
            "breakdown": row.breakdown, "expires_at": _iso(row.expires_at)}


def order_dict(row: Any, see_personal: bool = True) -> dict[str, Any]:
    contact = dict(row.contact or {})
    if not see_personal and contact:
        contact["name"] = mask_name(contact.get("name"))
        contact["phone"] = mask_phone(contact.get("phone"))
        contact["address"] = mask_address(contact.get("address"))
    return {"id": row.id, "session_id": row.session_id, "buyer_id": row.buyer_id,
            "kind": row.kind, "flash_sale_id": row.flash_sale_id, "status": row.status,
            "items": row.items, "quantity": row.quantity, "subtotal_fen": row.subtotal_fen,
            "total_fen": row.total_fen, "refunded_fen": int(row.refunded_fen or 0),
            "breakdown": row.breakdown, "coupon_ids": row.coupon_ids, "channel": row.channel,
            "utm": row.utm,
            "contact": contact or None, "created_at": _iso(row.created_at),
            "expires_at": _iso(row.expires_at), "paid_at": _iso(row.paid_at),
            "closed_at": _iso(row.closed_at), "payment_method": row.payment_method,
            "shipping": row.shipping}


def get_order(conn: Any, order_id: str) -> Any:
    return conn.execute(select(orders).where(orders.c.id == order_id)).first()


def export_row(r: Any, see_personal: bool) -> list[Any]:
    """An order's columns of EXPORT_COLUMNS (times ISO, UTC)."""
    d = order_dict(r, see_personal)
    contact = d["contact"] or {}
    shipping = r.shipping or {}
    return [r.id, d["created_at"], r.status, r.kind, r.buyer_id,
            " ".join(i["sku_id"] for i in r.items), r.quantity, r.subtotal_fen,
            sum(x["amount_fen"] for x in r.breakdown.get("discounts", [])),
            r.breakdown.get("shipping_fen", 0), r.total_fen, r.channel or "",
            contact.get("name", ""), contact.get("phone") or "",
            contact.get("address") or "", d["paid_at"] or "",
            shipping.get("carrier", ""), shipping.get("tracking_no", ""),
            shipping.get("status", "")]


def to_csv(columns: list[str], rows: list[list[Any]]) -> bytes:
    return export.to_csv(columns, rows)


def to_xlsx(columns: list[str], rows: list[list[Any]],
            *more: tuple[str, list[str], list[list[Any]]]) -> bytes:
    return export.to_xlsx(columns, rows, "orders", *more)
