"""The 订单 page (/sessions/{sid}/orders) for ops, cs and the merchant: a session's orders
filtered by status, product, category, merchant and time, the subtotal per merchant, pages
of 50, and CSV/XLSX downloads of exactly what is filtered. The JSON API lives under
/api/v1; this page only reads."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from liveroom.bootstrap import Container
from liveroom.entrypoints.api.deps import ContainerDep
from liveroom.entrypoints.api.routes_orders_listing import order_filter
from liveroom.entrypoints.api.web_base import Token, page
from liveroom.identity.model import Actor
from liveroom.orders import listing

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
FILTERS = ("status", "product_id", "category", "merchant", "since", "until")


def orders_context(c: Container, actor: Actor, sid: str, asked: dict[str, str],
                   offset: int) -> dict[str, Any]:
    status = asked.get("status") or None
    if not actor.may("orders.read_all"):
        status = None  # the merchant reads paid orders only; no other status to choose
    f = order_filter(c, actor, status, asked.get("product_id"), asked.get("category"),
                     asked.get("since"), asked.get("until"), asked.get("merchant"))
    personal = actor.may("orders.see_personal_data")
    offset = max(offset, 0)
    with c.read() as conn, conn.begin():
        title = listing.session_title(conn, sid)
        rows, skus = listing.matching(conn, sid, f)
        products = listing.products_in(conn, sid, f.statuses)
    shown = rows[offset:offset + PER_PAGE]
    query = {k: v for k, v in asked.items() if k in FILTERS and v}
    return {"title": title, "sid": sid, "orders": [
                listing.display(r, skus, f, personal) for r in shown],
            "total": len(rows), "offset": offset, "per_page": PER_PAGE,
            "summary": listing.summary(rows, skus, f), "products": products,
            "categories": sorted({s.category for s in products}),
            "merchants": sorted({s.merchant for s in products} - {""}),
            "statuses": list(f.statuses) if actor.may("orders.read_all") else [],
            "asked": asked, "query": urlencode(query)}


@router.get("/sessions/{sid}/orders", response_class=HTMLResponse)
def orders_page(sid: str, request: Request, c: ContainerDep, token: Token = None,
                offset: int = 0) -> Response:
    asked = {k: request.query_params.get(k, "") for k in FILTERS}
    return page(request, c, token, "orders.html",
                lambda actor: orders_context(c, actor, sid, asked, offset), "orders.read")
