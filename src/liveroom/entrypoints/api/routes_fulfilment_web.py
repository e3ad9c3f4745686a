"""The 发货 page (/fulfilment) for ops and the merchant: paid orders with their ship-by
dates (overdue in red), the merchant's confirm / move of a date, the bulk shipping upload
with its per-row errors, and each order's shipping history. Buttons and forms post through
htmx (with the page's CSRF header) to the same commands as the JSON API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from liveroom.bootstrap import Container
from liveroom.core.errors import DomainError
from liveroom.entrypoints.api.deps import ContainerDep
from liveroom.entrypoints.api.routes_fulfilment import to_ship, upload
from liveroom.entrypoints.api.web_base import Token, page, render, web_writer
from liveroom.fulfilment import sheet, views
from liveroom.fulfilment.commands import ConfirmShipBy
from liveroom.identity.model import Actor

router = APIRouter(include_in_schema=False)
SHOWS = (views.OPEN, views.MOVING, views.ALL)


def fulfilment_context(c: Container, actor: Actor, show: str = views.OPEN) -> dict[str, Any]:
    show = show if show in SHOWS else views.OPEN
    items = to_ship(c, show)
    with c.read() as conn, conn.begin():
        moves = views.history(conn, [i["order_id"] for i in items])
    return {"items": items, "history": moves, "show": show,
            "overdue": sum(1 for i in items if i["overdue"]),
            "may_confirm": actor.may("fulfilment.confirm"),
            "may_ship": actor.may("orders.write")}


@router.get("/fulfilment", response_class=HTMLResponse)
def fulfilment_page(request: Request, c: ContainerDep, show: str = views.OPEN,
                    token: Token = None) -> Response:
    return page(request, c, token, "fulfilment.html",
                lambda actor: fulfilment_context(c, actor, show), "orders.read")


def _body(request: Request, c: Container, actor: Actor, show: str, **extra: Any) -> Response:
    return render(request, "fulfilment_body.html", {
        **fulfilment_context(c, actor, show), "actor": actor, **extra})


@router.post("/fulfilment/{oid}/ship-by", response_class=HTMLResponse)
def confirm(oid: str, request: Request, c: ContainerDep,
            ship_by: Annotated[str, Form(max_length=10)] = "",
            note: Annotated[str, Form(max_length=500)] = "", show: str = views.OPEN,
            token: Token = None) -> Response:
    actor = web_writer(request, c, token)
    try:
        chosen = date.fromisoformat(ship_by) if ship_by else None
        c.bus.handle(ConfirmShipBy(oid, chosen, note), actor)
    except ValueError:
        return _body(request, c, actor, show, error="invalid_date")
    except DomainError as exc:
        return _body(request, c, actor, show, error=exc.code)
    return _body(request, c, actor, show, done="confirmed")


@router.post("/fulfilment/upload", response_class=HTMLResponse)
async def upload_sheet(request: Request, c: ContainerDep,
                       file: Annotated[UploadFile, File()], show: str = views.OPEN,
                       token: Token = None) -> Response:
    actor = web_writer(request, c, token)
    data = await file.read(sheet.MAX_BYTES + 1)
    try:
        result = await run_in_threadpool(upload, c, actor, data, file.filename or "")
    except DomainError as exc:
        return _body(request, c, actor, show, error=exc.code)
    return _body(request, c, actor, show, uploaded=result)
