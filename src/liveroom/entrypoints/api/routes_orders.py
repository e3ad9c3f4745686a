"""Buying: flash-sale purchases (the hot path), live orders, coupons, payment, cancel,
refund, shipping, exports. The purchase route is async and never blocks the event loop:
the ledger does its database work in threads (or not at all, with Redis)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import Field
from sqlalchemy.exc import IntegrityError

from liveroom.adapters.payments import BadSignature
from liveroom.console import views as console_views
from liveroom.core.errors import DomainError, Forbidden, Invalid, NotFound, Unauthenticated
from liveroom.core.ratelimit import enforce
from liveroom.entrypoints.api.deps import (
    BUYER_SCHEME,
    OPERATOR_SCHEME,
    Buyer,
    ContainerDep,
    Operator,
)
from liveroom.entrypoints.api.routes_orders_fastpath import (
    MAX_CHANNEL_LENGTH,
    MAX_KEY_LENGTH,
    MAX_UTM_ITEMS,
    BadRequest,
    FlashPurchaseFastPath,
    purchase_reply,
)
from liveroom.entrypoints.api.schemas import Body, Bounded, Id, Key, Line, LongText, Text
from liveroom.identity.handlers import actor_for_token
from liveroom.identity.model import Actor, parse_bearer, verify_buyer_jwt
from liveroom.orders import closing, disclosure, refunds, views
from liveroom.orders.commands import (
    ClaimCoupon,
    ItemIn,
    PlaceOrder,
    RefundOrder,
    RemedyOversell,
    UpdateShipping,
)
from liveroom.orders.disclosure import RecordPersonalDataRead
from liveroom.orders.model import OrderStatus

router = APIRouter(tags=["orders"])
KeyHeader = Annotated[str | None, Header(alias="Idempotency-Key")]


@router.post("/flash-sales/{fid}/purchases", status_code=201, openapi_extra={
    "security": [{BUYER_SCHEME: []}],
    "parameters": [{"name": "Idempotency-Key", "in": "header", "required": True,
                    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH}}],
    "requestBody": {"content": {"application/json": {"schema": {
        "type": "object", "properties": {"quantity": {"type": "integer", "minimum": 1},
                                         "channel": {"type": "string"},
                                         "utm": {"type": "object"}}}}}}})
async def purchase(fid: str, request: Request) -> Response:
    """秒杀: 201 {order_id, status: reserved, expires_at}; 409 sold_out / limit_exceeded /
    not_started (created or stopped sale; details.status says which). A repeated
    Idempotency-Key gets the first answer. (Normally answered by FlashPurchaseFastPath
    before routing; this route documents it and serves apps built without the fast path.)"""
    status, body = await purchase_reply(
        request.app.state.container, fid, request.headers.get("authorization"),
        request.headers.get("idempotency-key"), await request.body())
    return JSONResponse(body, status_code=status)


def install_fast_path(app: Any) -> None:
    app.add_middleware(FlashPurchaseFastPath, container=app.state.container)


@router.get("/flash-sales/{fid}")
async def flash_sale(fid: str, c: ContainerDep) -> dict[str, Any]:
    """Anyone: the sale with `remaining` live from the stock ledger (仅剩 N 件)."""
    def read() -> dict[str, Any]:
        with c.read() as conn, conn.begin():
            return console_views.flash_sale(conn, fid)
    sale = await asyncio.to_thread(read)
    live = await c.stock.remaining(fid)
    remaining = sale["remaining"] if live is None else live
    return {"id": sale["id"], "session_id": sale["session_id"], "status": sale["status"],
            "quantity": sale["quantity"], "sold": sale["quantity"] - remaining,
            "remaining": remaining, "price_fen": sale["price_fen"], "sku_id": sale["sku_id"],
            "per_buyer_limit": sale["per_buyer_limit"], "starts_at": sale.get("starts_at")}


# -- live orders and coupons ----------------------------------------------------------------
class ItemBody(Body):
    sku_id: Id
    quantity: Annotated[int, Field(ge=1, le=999)]
    presale: bool = False


class ContactBody(Bounded):
    name: Annotated[str, Field(max_length=64), Line] = ""
    phone: Annotated[str, Field(max_length=32), Line] = ""
    address: Annotated[LongText, Field(max_length=500)] = ""


class OrderBody(Body):
    items: Annotated[list[ItemBody], Field(min_length=1, max_length=50)]
    coupon_ids: Annotated[list[Id], Field(max_length=20)] = Field(default_factory=list)
    channel: Annotated[str, Field(max_length=MAX_CHANNEL_LENGTH), Line] | None = None
    utm: Annotated[dict[Key, Text], Field(max_length=MAX_UTM_ITEMS)] | None = None
    contact: ContactBody | None = None


@router.post("/sessions/{sid}/orders", status_code=201)
def place_order(sid: str, body: OrderBody, c: ContainerDep, buyer: Buyer,
                key: KeyHeader = None) -> dict[str, Any]:
    if not key or len(key) > MAX_KEY_LENGTH:
        raise BadRequest(f"header Idempotency-Key (1–{MAX_KEY_LENGTH} chars) is required",
                         code="idempotency_key_required")
    enforce(c.limiter, buyer, c.limits.orders)
    cmd = PlaceOrder(sid, buyer, key, [ItemIn(i.sku_id, i.quantity, i.presale)
                                       for i in body.items], list(body.coupon_ids),
                     body.channel, body.utm, body.contact.model_dump() if body.contact else None)
    try:
        return c.bus.handle(cmd, buyer)  # type: ignore[no-any-return]
    except IntegrityError:  # a concurrent request with the same key won: replay its answer
        return c.bus.handle(cmd, buyer)  # type: ignore[no-any-return]


class ClaimBody(Body):
    code: Annotated[str, Field(max_length=32), Line] | None = None  # an exclusive coupon's


@router.post("/coupons/{cid}/claim")
def claim_coupon(cid: str, c: ContainerDep, buyer: Buyer,
                 body: ClaimBody | None = None) -> dict[str, Any]:
    """Claim a coupon; an exclusive one (a channel's code) needs `{"code": …}`: 403
    `coupon_code_required` / `coupon_code_mismatch` otherwise."""
    code = body.code if body is not None else None
    return c.bus.handle(ClaimCoupon(cid, buyer, code), buyer)  # type: ignore[no-any-return]


# -- paying, cancelling, refunding ------------------------------------------------------------
class PayBody(Body):
    method: Literal["wechat", "alipay", "card"] = "wechat"
    sandbox_outcome: Literal["success", "fail"] | None = None


@router.post("/orders/{oid}/pay")
async def pay(oid: str, c: ContainerDep, buyer: Buyer, body: PayBody | None = None
              ) -> dict[str, Any]:
    body = body or PayBody()
    ledger = c.stock

    def run() -> dict[str, Any]:
        with c.uow() as uow:
            out, _ = closing.pay(uow, c.payments, oid, buyer, body.method,
                                 body.sandbox_outcome, c.clock.now())
            return out
    try:
        out = await _with_flush(ledger, run)
    except closing.ExpiredWithHeld as exc:
        await ledger.release(exc.held)
        raise
    await asyncio.to_thread(c.relay.drain)
    return out


async def _with_flush(ledger: Any, fn: Any) -> Any:
    """A flash order answered by Redis may still be on its way to the database."""
    try:
        return await asyncio.to_thread(fn)
    except DomainError as exc:
        if exc.code != "order_not_found":
            raise
        await ledger.flush()
        return await asyncio.to_thread(fn)


@router.post("/payments/callback")
async def payment_callback(request: Request, c: ContainerDep,
                           signature: Annotated[str | None, Header(alias="X-Signature")] = None
                           ) -> dict[str, Any]:
    """The provider's signed notification (HMAC-SHA256 of the raw body)."""
    raw = await request.body()
    try:
        data = c.payments.verify_callback(raw, signature or "")
    except (BadSignature, ValueError) as exc:
        raise Unauthenticated("bad payment signature", code="bad_signature") from exc

    def run() -> dict[str, Any]:
        with c.uow() as uow:
            row = closing.load(uow, str(data.get("order_id")))
            if data.get("status") != "success" or row.status == OrderStatus.PAID:
                return {"order_id": row.id, "status": row.status}
            incentive = closing.pay_incentive(uow, row, c.clock.now())
            if int(data.get("amount_fen", -1)) != row.total_fen - incentive:
                raise Invalid("amount does not match the order", code="amount_mismatch")
            return closing.mark_paid(uow, row, str(data.get("method", "wechat")),
                                     str(data.get("reference", "")), c.clock.now(),
                                     incentive)
    out = await _with_flush(c.stock, run)
    await asyncio.to_thread(c.relay.drain)
    return out


@router.post("/orders/{oid}/cancel")
async def cancel(oid: str, c: ContainerDep, buyer: Buyer) -> dict[str, Any]:
    def run() -> Any:
        with c.uow() as uow:
            row = closing.load(uow, oid)
            closing.own(row, buyer)
            held = closing.close(uow, row, OrderStatus.CANCELLED, c.clock.now(),
                                 lost_ok=False)
            uow.commit()
            return held
    held = await _with_flush(c.stock, run)
    await c.stock.release(held)
    await asyncio.to_thread(c.relay.drain)
    return {"order_id": oid, "status": "cancelled"}


class RefundBody(Body):
    reason: Annotated[LongText, Field(max_length=500)] = ""


@router.post("/orders/{oid}/refund")
async def refund(oid: str, c: ContainerDep, actor: Operator,
                 body: RefundBody | None = None) -> dict[str, Any]:
    actor.require(RefundOrder.action)

    def run() -> Any:
        with c.uow() as uow:
            done = refunds.refund_rest(uow, c.payments, actor, oid,
                                       body.reason if body else "", c.clock.now())
            uow.commit()
            return done.held
    held = await asyncio.to_thread(run)
    await c.stock.release(held)
    await asyncio.to_thread(c.relay.drain)
    return {"order_id": oid, "status": "refunded"}


# -- reading and operations -------------------------------------------------------------------
@router.get("/orders/{oid}", openapi_extra={
    "security": [{BUYER_SCHEME: []}, {OPERATOR_SCHEME: []}]})
def get_order(oid: str, request: Request, c: ContainerDep) -> dict[str, Any]:
    """The owner buyer, or an operator who may read orders (a merchant: paid orders).
    An operator shown the buyer's contact leaves an audit record."""
    token = parse_bearer(request.headers.get("authorization"))
    actor: Actor | None = None
    try:
        buyer = verify_buyer_jwt(token, c.settings.buyer_secret,
                                 c.settings.buyer_token_max_minutes)
    except Unauthenticated:
        with c.read() as conn:
            actor = actor_for_token(conn, token)
        actor.require("orders.read")
    with c.read() as conn, conn.begin():
        row = views.get_order(conn, oid)
    if row is None or (actor is None and row.buyer_id != buyer) or (
            actor is not None and row.status not in visible_statuses(actor, None)):
        raise NotFound(f"no order {oid}", code="order_not_found")
    if actor is None:
        return views.order_dict(row, True)
    personal = actor.may("orders.see_personal_data")
    if personal and row.contact:
        c.bus.handle(RecordPersonalDataRead(disclosure.READ_ORDER, row.session_id, row.id, 1),
                     actor)
    return views.order_dict(row, personal)


def visible_statuses(actor: Actor, asked: str | None) -> tuple[str, ...]:
    """A merchant sees the orders it must ship (paid), every other reader any status."""
    every = tuple(s.value for s in OrderStatus)
    if actor.may("orders.read_all"):
        return (asked,) if asked else every
    if asked not in (None, OrderStatus.PAID.value):
        raise Forbidden(f"role {actor.role.value} reads paid orders only",
                        action="orders.read_all", role=actor.role.value)
    return (OrderStatus.PAID.value,)


class ShippingBody(Body):
    carrier: Annotated[str, Field(min_length=1, max_length=32)]
    tracking_no: Annotated[str, Field(min_length=1, max_length=64)]
    status: Literal["pending", "shipped", "in_transit", "delivered", "returned"] = "shipped"


@router.put("/orders/{oid}/shipping")
def shipping(oid: str, body: ShippingBody, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    return c.bus.handle(UpdateShipping(oid, body.carrier, body.tracking_no,  # type: ignore[no-any-return]
                                       body.status), actor)


class RemedyBody(Body):
    remedy: Literal["substitute", "compensation"] | None = None
    substitute_sku_id: Id | None = None
    note: Annotated[LongText, Field(max_length=500)] = ""


@router.post("/orders/{oid}/oversell-remedy")
def oversell_remedy(oid: str, body: RemedyBody, c: ContainerDep,
                    actor: Operator) -> dict[str, Any]:
    return c.bus.handle(RemedyOversell(oid, body.remedy, body.substitute_sku_id,  # type: ignore[no-any-return]
                                       body.note), actor)
