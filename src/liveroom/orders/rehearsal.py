"""Rehearsal test orders: in rehearsal the console places a real order for one unit of a
lineup product, pays it through the payment provider and refunds it, to prove the order
flow before the show. The order is marked `test` and every figure and export leaves it out
(metrics, review, order lists and exports, product history, member points)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import insert, select

from liveroom.adapters.sql.schema_orders import orders
from liveroom.core.bus import Context
from liveroom.core.errors import Conflict
from liveroom.core.ids import new_id
from liveroom.core.messages import Command
from liveroom.inventory.ledger import expires
from liveroom.orders import closing, refunds
from liveroom.orders.events import OrderReserved
from liveroom.orders.handlers import take_stock
from liveroom.orders.pricing import Line
from liveroom.planning.model import Status

TEST_ORDER_FEN = 1  # ¥0.01: a real charge and refund at the provider, nothing at stake
TEST_BUYER = "rehearsal:"  # the buyer id of a test order: this prefix and the operator


@dataclass(frozen=True)
class PlaceTestOrder(Command):
    action: ClassVar[str] = "rehearsal.test_order"
    session_id: str
    sku_id: str


def place_test_order(cmd: PlaceTestOrder, uow: Any, ctx: Context) -> dict[str, Any]:
    session = uow.sessions.get(cmd.session_id, lock=True)
    if session.status != Status.REHEARSAL:
        raise Conflict(f"session is {session.status.value}; test orders are for rehearsal",
                       code="session_not_rehearsing", status=session.status.value)
    uow.sessions.lineup_item(cmd.session_id, cmd.sku_id)  # NotFound when not in the lineup
    line = Line(cmd.sku_id, 1, TEST_ORDER_FEN, False)
    take_stock(uow, line, ctx)  # the real stock path; the refund puts the unit back
    now, oid = ctx.clock.now(), new_id()
    buyer = f"{TEST_BUYER}{ctx.actor.name}"
    uow.execute(insert(orders).values(
        id=oid, session_id=cmd.session_id, buyer_id=buyer, kind="live", flash_sale_id=None,
        idempotency_key=oid, idempotency_scope=cmd.session_id, status="reserved",
        items=[{"sku_id": cmd.sku_id, "quantity": 1, "unit_price_fen": TEST_ORDER_FEN,
                "presale": False}],
        quantity=1, subtotal_fen=TEST_ORDER_FEN, total_fen=TEST_ORDER_FEN,
        breakdown={"subtotal_fen": TEST_ORDER_FEN, "discounts": [], "shipping_fen": 0,
                   "total_fen": TEST_ORDER_FEN},
        coupon_ids=[], channel=None, utm=None, contact=None, created_at=now,
        expires_at=expires(now, ctx.settings.reservation_minutes), test=True))
    uow.emit(OrderReserved(oid, cmd.session_id, buyer, TEST_ORDER_FEN, [cmd.sku_id], 1))
    uow.audit.record(ctx.actor, "rehearsal.test_order", session_id=cmd.session_id, target=oid,
                     after={"sku_id": cmd.sku_id, "total_fen": TEST_ORDER_FEN})
    uow.commit()
    return {"order_id": oid, "status": "reserved", "total_fen": TEST_ORDER_FEN}


def _test_row(uow: Any, order_id: str) -> Any:
    row = closing.load(uow, order_id)
    if not row.test:
        raise Conflict("only a rehearsal test order is paid or refunded here",
                       code="not_a_test_order", order_id=order_id)
    return row


def pay_test_order(uow: Any, provider: Any, actor: Any, order_id: str,
                   now: datetime) -> dict[str, Any]:
    """Pay through the provider as the buyer would (the sandbox in rehearsal)."""
    row = _test_row(uow, order_id)
    uow.audit.record(actor, "rehearsal.test_pay", session_id=row.session_id, target=row.id,
                     after={"total_fen": int(row.total_fen)})
    out, _ = closing.pay(uow, provider, order_id, row.buyer_id, "wechat", None, now)
    return out


def refund_test_order(uow: Any, provider: Any, actor: Any, order_id: str,
                      now: datetime) -> refunds.Refund:
    """The operator's refund path, unit back on sale; the caller commits."""
    _test_row(uow, order_id)
    return refunds.refund_rest(uow, provider, actor, order_id, "rehearsal test order", now)


def test_orders(conn: Any, sid: str) -> list[dict[str, Any]]:
    """A session's test orders, newest first, for the plan page."""
    o = orders.c
    rows = conn.execute(select(o.id, o.status, o.total_fen, o.refunded_fen, o.buyer_id,
                               o["items"], o.created_at, o.paid_at, o.closed_at)
                        .where(o.session_id == sid, o.test.is_(True))
                        .order_by(o.created_at.desc())).all()
    return [{"id": r.id, "status": r.status, "total_fen": int(r.total_fen),
             "refunded_fen": int(r.refunded_fen or 0), "sku_id": r.items[0]["sku_id"],
             "by": r.buyer_id.removeprefix(TEST_BUYER), "created_at": r.created_at,
             "paid_at": r.paid_at, "closed_at": r.closed_at} for r in rows]


HANDLERS: dict[type, Any] = {PlaceTestOrder: place_test_order}
