"""A session's orders for people who read them (ops, cs, the merchant): the filtered list
as JSON, its CSV/XLSX download one row per order line, and the subtotal per merchant (商家).
The orders page (routes_orders_web.py) reads the same filter."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from liveroom.bootstrap import Container
from liveroom.core import export
from liveroom.core.errors import Invalid
from liveroom.entrypoints.api.deps import ContainerDep, Operator, PageDep
from liveroom.entrypoints.api.downloads import download
from liveroom.entrypoints.api.routes_orders import visible_statuses
from liveroom.identity.model import Actor
from liveroom.orders import disclosure, listing, views
from liveroom.orders.disclosure import RecordPersonalDataRead

router = APIRouter(tags=["orders"])


def local_time(text: str | None, tz: str) -> datetime | None:
    """A filter's time: ISO 8601; without an offset it is the shop's local time."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError as exc:
        raise Invalid(f"not a time: {text}", code="invalid_time") from exc
    return when if when.tzinfo else when.replace(tzinfo=ZoneInfo(tz))


def order_filter(c: Container, actor: Actor, status: str | None, product_id: str | None,
                 category: str | None, since: str | None, until: str | None,
                 merchant: str | None = None) -> listing.OrderFilter:
    tz = c.settings.timezone
    return listing.OrderFilter(visible_statuses(actor, status), product_id or None,
                               category or None, merchant or None, local_time(since, tz),
                               local_time(until, tz))


def export_orders(c: Container, actor: Actor, sid: str, f: listing.OrderFilter,
                  format: str) -> Response:
    """CSV/XLSX of the filtered orders, one row per line; the workbook adds a sheet of the
    subtotals per merchant. Contacts shown are audited."""
    personal = actor.may("orders.see_personal_data")
    with c.read() as conn, conn.begin():
        found, skus = listing.matching(conn, sid, f)
    rows = listing.line_rows(found, skus, f, personal, c.settings.timezone)
    shown = len({r[0] for r in rows})
    if personal and shown:
        c.bus.handle(RecordPersonalDataRead(disclosure.EXPORT_ORDERS, sid,
                                            f"orders-{sid}.{format}", shown,
                                            {"format": format}), actor)
    cols = listing.EXPORT_COLUMNS
    body = views.to_csv(cols, rows) if format == "csv" else views.to_xlsx(
        cols, rows, ("merchants", listing.MERCHANT_COLUMNS,
                     listing.merchant_rows(listing.summary(found, skus, f))))
    return download(body, f"orders-{sid}.{format}")


def asked_orders(c: ContainerDep, actor: Operator, status: str | None = None,
                 product_id: str | None = None, category: str | None = None,
                 merchant: str | None = None, since: str | None = None,
                 until: str | None = None) -> listing.OrderFilter:
    """The orders the query's filters ask for, for a reader who may read orders."""
    actor.require("orders.read")
    return order_filter(c, actor, status, product_id, category, since, until, merchant)


AskedOrders = Annotated[listing.OrderFilter, Depends(asked_orders)]
Format = Annotated[Literal["json", "csv", "xlsx"], Query()]


@router.get("/sessions/{sid}/orders", response_model=None)
def session_orders(sid: str, c: ContainerDep, actor: Operator, page: PageDep,
                   f: AskedOrders, format: Format = "json") -> dict[str, Any] | Response:
    """A session's orders, filtered; csv/xlsx download them all, one row per order line.
    Reading buyers' contacts (cs, merchant, admin) is recorded in the audit trail."""
    if format != "json":
        return export_orders(c, actor, sid, f, format)
    personal = actor.may("orders.see_personal_data")
    with c.read() as conn, conn.begin():
        out = listing.page(conn, sid, f, page.limit, page.offset, personal)
    if personal and out["items"]:
        c.bus.handle(RecordPersonalDataRead(
            disclosure.LIST_ORDERS, sid, f"orders-{sid}.{format}", len(out["items"]),
            {"format": format, "offset": page.offset}), actor)
    return out


@router.get("/sessions/{sid}/orders/merchants", response_model=None)
def merchant_subtotals(sid: str, c: ContainerDep, f: AskedOrders,
                       format: Format = "json") -> dict[str, Any] | Response:
    """The subtotal per merchant of the filtered orders (the orders page's 按商家 table):
    orders, units and amount of the lines, and their GMV; as JSON, CSV or XLSX."""
    with c.read() as conn, conn.begin():
        subtotals = listing.summary(*listing.matching(conn, sid, f), f)
    if format == "json":
        return {"items": subtotals}
    cols, rows = listing.MERCHANT_COLUMNS, listing.merchant_rows(subtotals)
    body = views.to_csv(cols, rows) if format == "csv" else export.to_xlsx(cols, rows,
                                                                           "merchants")
    return download(body, f"orders-{sid}-merchants.{format}")
