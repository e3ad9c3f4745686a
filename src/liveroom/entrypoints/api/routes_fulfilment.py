"""Fulfilment (发货): the paid orders to ship with their ship-by dates, the merchant's
confirmation of a date, the bulk shipping sheet and each order's shipping history."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import Field

from liveroom.bootstrap import Container
from liveroom.core.errors import Invalid, NotFound
from liveroom.entrypoints.api.deps import ContainerDep, Operator
from liveroom.entrypoints.api.downloads import download
from liveroom.entrypoints.api.schemas import Body, Id, LongText
from liveroom.fulfilment import sheet, views
from liveroom.fulfilment.commands import ConfirmShipBy
from liveroom.identity.model import Actor

router = APIRouter(tags=["fulfilment"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Show = Literal["open", "moving", "all"]


def to_ship(c: Container, show: str, session_id: str | None = None, limit: int = 200
            ) -> list[dict[str, Any]]:
    with c.read() as conn, conn.begin():
        return views.orders_to_ship(conn, c.clock.now(), c.settings.timezone, show,
                                    session_id, limit)


@router.get("/fulfilment/orders")
def fulfilment_orders(c: ContainerDep, actor: Operator, show: Show = "open",
                      session_id: Annotated[Id | None, Query()] = None,
                      limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> dict[str, Any]:
    """Paid orders, soonest ship-by date first: `open` (not handed over), `moving`
    (shipped, in transit) or `all`. `overdue`: the ship-by day has passed unshipped."""
    actor.require("orders.read")
    items = to_ship(c, show, session_id, limit)
    return {"items": [views.as_json(i) for i in items], "total": len(items)}


@router.get("/orders/{oid}/shipping-history")
def shipping_history(oid: str, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    actor.require("orders.read")
    with c.read() as conn, conn.begin():
        moves = views.history(conn, [oid])[oid]
        if not moves and not views.is_paid_order(conn, oid):
            raise NotFound(f"no paid order {oid}", code="order_not_found")
    return {"order_id": oid, "history": [{**m, "at": m["at"].isoformat()} for m in moves]}


class ShipByBody(Body):
    ship_by: date | None = None  # None: confirm the date computed from the lead times
    note: Annotated[LongText, Field(max_length=500)] = ""


@router.post("/orders/{oid}/ship-by")
def confirm_ship_by(oid: str, c: ContainerDep, actor: Operator,
                    body: ShipByBody | None = None) -> dict[str, Any]:
    """The merchant confirms the promised ship-by date or sets another (audited)."""
    body = body or ShipByBody()
    return c.bus.handle(ConfirmShipBy(oid, body.ship_by, body.note), actor)  # type: ignore[no-any-return]


def upload(c: Container, actor: Actor, data: bytes, filename: str) -> dict[str, Any]:
    actor.require("orders.write")
    if len(data) > sheet.MAX_BYTES:
        raise Invalid("the file is larger than 5 MB", code="sheet_too_large")
    rows, errors = sheet.read_sheet(data, filename)
    return sheet.apply_rows(rows, errors, lambda cmd: c.bus.handle(cmd, actor)).as_dict()


@router.post("/fulfilment/shipping-sheet")
async def upload_shipping_sheet(c: ContainerDep, actor: Operator,
                                file: Annotated[UploadFile, File()]) -> dict[str, Any]:
    """XLSX or CSV: 订单号, 快递公司, 运单号, 状态 (optional). Every good row is applied;
    `errors` lists the others as {line, order_id, code}."""
    data = await file.read(sheet.MAX_BYTES + 1)
    return await run_in_threadpool(upload, c, actor, data, file.filename or "")


@router.get("/fulfilment/shipping-sheet")
def shipping_sheet(c: ContainerDep, actor: Operator) -> Response:
    """The open orders as a sheet to fill in with carriers and tracking numbers."""
    actor.require("orders.read")
    return download(sheet.to_fill(to_ship(c, views.OPEN, limit=5000)), "shipping.xlsx")
