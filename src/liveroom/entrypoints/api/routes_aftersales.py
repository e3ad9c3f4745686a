"""After-sales (售后): the buyer's request and answers on their order; the service's queue
with SLA clocks, its decisions, and the returned goods' arrival. Routes parse, build a
command, run it on the bus, give flash-sale units back to the stock ledger after commit."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from liveroom.aftersales import views
from liveroom.aftersales.commands import (
    AnswerAfterSale,
    ApproveAfterSale,
    Evidence,
    ReceiveReturn,
    RejectAfterSale,
    RequestAfterSale,
)
from liveroom.aftersales.handlers import Outcome
from liveroom.bootstrap import Container
from liveroom.core.errors import NotFound
from liveroom.core.messages import Command
from liveroom.entrypoints.api.deps import Buyer, ContainerDep, Operator, PageDep, Reader
from liveroom.orders.views import get_order

router = APIRouter(tags=["after-sales"])


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EvidenceBody(Body):
    url: Annotated[str, Field(max_length=500)] = ""
    note: Annotated[str, Field(max_length=500)] = ""


class RequestBody(Body):
    kind: Literal["refund_only", "return", "exchange"]
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    amount_fen: Annotated[int, Field(ge=1, le=10**13)] | None = None
    evidence: Annotated[list[EvidenceBody], Field(max_length=9)] = Field(default_factory=list)
    exchange_sku_id: Annotated[str, Field(max_length=32)] | None = None


class NoteBody(Body):
    note: Annotated[str, Field(max_length=500)] = ""


class AnswerBody(Body):
    message: Annotated[str, Field(min_length=1, max_length=1000)]


async def run(c: Container, cmd: Command, actor: Any) -> dict[str, Any]:
    """Run on the bus in a thread, then tell the stock ledger about returned flash units."""
    out: Outcome = await asyncio.to_thread(c.bus.handle, cmd, actor)
    if out.held:
        await c.stock.release(out.held)
    return out.reply


@router.post("/orders/{oid}/after-sales", status_code=201)
async def request_after_sale(oid: str, body: RequestBody, c: ContainerDep,
                             buyer: Buyer) -> dict[str, Any]:
    """The owner buyer asks for a refund, a return or an exchange. Standard cases are
    approved at once (an unshipped order's full refund is paid now); the rest wait for the
    service (`pending_review`). 409 `aftersales_already_open` while another is open."""
    cmd = RequestAfterSale(oid, buyer, body.kind, body.reason, body.amount_fen,
                           [Evidence(e.url, e.note) for e in body.evidence],
                           body.exchange_sku_id)
    return await run(c, cmd, buyer)


@router.get("/orders/{oid}/after-sales")
def order_after_sales(oid: str, conn: Reader, buyer: Buyer) -> dict[str, Any]:
    """The owner buyer reads their cases on the order and the service's answers."""
    row = get_order(conn, oid)
    if row is None or row.buyer_id != buyer:  # 404 either way: ids are not disclosed
        raise NotFound(f"no order {oid}", code="order_not_found")
    return {"order_id": oid, "items": views.for_order(conn, oid)}


@router.get("/after-sales")
def queue(c: ContainerDep, conn: Reader, actor: Operator, page: PageDep,
          stage: Annotated[str | None, Query(max_length=24)] = None,
          open_only: bool = True) -> dict[str, Any]:
    """The service queue, oldest first, with each case's SLA clock (first answer ≤ 2 h,
    done ≤ 48 h), the on-time shares and the breach alerts."""
    actor.require("aftersales.read")
    return views.queue(conn, c.clock.now(), open_only=open_only, stage=stage,
                       limit=page.limit, offset=page.offset)


@router.post("/after-sales/{aid}/approve")
async def approve(aid: str, c: ContainerDep, actor: Operator,
                  body: NoteBody | None = None) -> dict[str, Any]:
    return await run(c, ApproveAfterSale(aid, (body or NoteBody()).note), actor)


@router.post("/after-sales/{aid}/reject")
async def reject(aid: str, body: NoteBody, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return await run(c, RejectAfterSale(aid, body.note), actor)


@router.post("/after-sales/{aid}/receive")
async def receive(aid: str, c: ContainerDep, actor: Operator,
                  body: NoteBody | None = None) -> dict[str, Any]:
    """The returned goods arrived: back into stock, then the refund (a return) or the
    replacement shipment (an exchange)."""
    return await run(c, ReceiveReturn(aid, (body or NoteBody()).note), actor)


@router.post("/after-sales/{aid}/answer")
async def answer(aid: str, body: AnswerBody, c: ContainerDep,
                 actor: Operator) -> dict[str, Any]:
    """A reply the buyer reads, without a decision yet (stops the first-answer clock)."""
    return await run(c, AnswerAfterSale(aid, body.message), actor)
