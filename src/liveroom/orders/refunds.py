"""Paying money back to a buyer: the one path for the operator's refund and after-sales.

The order's `refunded_fen` grows by a conditional update that can never pass `total_fen`,
so two racing refunds (or a refund racing an after-sales case) cannot pay back more than
was paid. The provider is asked only after that guard and the order's close have passed;
a refused refund raises and the caller's unit of work rolls everything back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update

from liveroom.adapters.sql.schema_orders import orders
from liveroom.core.errors import Conflict, DomainError, Invalid
from liveroom.inventory.ledger import Held
from liveroom.orders import closing
from liveroom.orders.model import OrderStatus


class RefundFailed(DomainError):
    status = 502
    code = "refund_failed"


@dataclass(frozen=True)
class Refund:
    amount_fen: int
    reference: str
    closed: bool  # the order became `refunded`
    held: list[Held]  # flash-sale units the caller gives back to the stock ledger


def refundable_fen(row: Any) -> int:
    """What may still go back: what was paid minus what already went back."""
    if row.status != OrderStatus.PAID:
        return 0
    return int(row.total_fen) - int(row.refunded_fen or 0)


def refund(uow: Any, provider: Any, row: Any, amount_fen: int, now: datetime, *,
           close_order: bool, restock: bool) -> Refund:
    """Pay `amount_fen` back on a paid order. `close_order` moves it to refunded (giving the
    units back unless `restock=False`); otherwise the order stays paid (a partial refund)."""
    if amount_fen <= 0:
        raise Invalid("a refund needs a positive amount", code="invalid_amount",
                      field="amount_fen")
    held: list[Held] = []
    if close_order:
        # Close first (a conditional update that only one closer can win): two racing
        # refunds must not both pay money back.
        held = closing.close(uow, row, OrderStatus.REFUNDED, now, lost_ok=False,
                             restock=restock, refund_fen=amount_fen)
    o = orders.c
    guard = [o.id == row.id, o.refunded_fen + amount_fen <= o.total_fen]
    if not close_order:
        guard.append(o.status == OrderStatus.PAID.value)
    bumped = uow.execute(update(orders).where(*guard)
                         .values(refunded_fen=o.refunded_fen + amount_fen))
    if bumped.rowcount != 1:
        raise Conflict("this would pay back more than was paid",
                       code="refund_exceeds_paid", order_id=row.id, amount_fen=amount_fen)
    result = provider.refund(row.id, row.payment_ref or "", amount_fen)
    if not result.ok:
        raise RefundFailed(f"refund failed: {result.reason}", reason=result.reason)
    uow.execute(update(orders).where(o.id == row.id).values(refund_ref=result.reference))
    return Refund(amount_fen, result.reference, close_order, held)


def refund_rest(uow: Any, provider: Any, actor: Any, order_id: str, reason: str,
                now: datetime) -> Refund:
    """The operator's refund: everything not yet paid back, goods back on sale, audited."""
    row = closing.load(uow, order_id)
    amount = refundable_fen(row) if row.status == OrderStatus.PAID else int(row.total_fen)
    done = refund(uow, provider, row, amount, now, close_order=True, restock=True)
    uow.audit.record(actor, "orders.refund", session_id=row.session_id, target=row.id,
                     after={"refund_fen": amount, "reference": done.reference,
                            "reason": reason})
    return done
