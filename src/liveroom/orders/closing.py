"""The end of a reservation: paid, expired (sweeper), cancelled, refunded. Closing an order
gives its units back in the SAME transaction (flash sale counters or SKU stock, coupons),
then the caller tells the stock ledger (after commit) through the returned `Held` list."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, or_, select, update

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.schema_fulfilment import notification_deliveries
from liveroom.adapters.sql.schema_orders import flash_buyer_counts, order_notifications, orders
from liveroom.adapters.sql.tracking_repo import TrackingRepo
from liveroom.core.clock import as_aware
from liveroom.core.errors import Conflict, DomainError, NotFound
from liveroom.core.ids import new_id
from liveroom.inventory.ledger import Held
from liveroom.orders.events import (
    OrderCancelled,
    OrderEvent,
    OrderExpired,
    OrderPaid,
    OrderRefunded,
    PaymentFailed,
)
from liveroom.orders.model import OrderStatus, ReminderPolicy, incentive_due, require_move
from liveroom.tracking.model import payment_failure_fact

CLOSE_EVENTS: dict[OrderStatus, type[OrderEvent]] = {
    OrderStatus.EXPIRED: OrderExpired, OrderStatus.CANCELLED: OrderCancelled,
    OrderStatus.REFUNDED: OrderRefunded}


class PaymentDeclined(DomainError):
    status = 402
    code = "payment_failed"


def load(uow: Any, order_id: str, *, lock: bool = False) -> Any:
    query = select(orders).where(orders.c.id == order_id)
    row = uow.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound(f"no order {order_id}", code="order_not_found")
    return row


def own(row: Any, buyer_id: str) -> None:
    if row.buyer_id != buyer_id:
        # 404, not 403: a buyer must not learn which order ids exist
        raise NotFound(f"no order {row.id}", code="order_not_found")


def event_for(cls: type[OrderEvent], row: Any, **extra: Any) -> OrderEvent:
    return cls(row.id, row.session_id, row.buyer_id, row.total_fen,
               [i["sku_id"] for i in row.items], row.quantity, row.channel, row.kind,
               row.flash_sale_id, **extra)


def close(uow: Any, row: Any, target: OrderStatus, now: datetime, *, lost_ok: bool = True,
          restock: bool = True, **extra: Any) -> list[Held]:
    """Move to expired/cancelled/refunded and return the units, atomically. A conditional
    update: if another closer (or a payment) got there first, nothing happens and [] is
    returned, or, for a caller about to tell a buyer or a provider it happened
    (`lost_ok=False`), Conflict is raised. `restock=False` closes a refunded order whose
    goods stay with the buyer (refund-only after shipping): nothing goes back on sale."""
    require_move(row.status, target)
    moved = uow.execute(update(orders).where(orders.c.id == row.id,
                                             orders.c.status == row.status)
                        .values(status=target.value, closed_at=now))
    if moved.rowcount != 1:
        if lost_ok:
            return []
        raise Conflict(f"order {row.id} changed meanwhile; it is no longer {row.status}",
                       code="invalid_order_state")
    held = _give_back(uow, row) if restock else []
    uow.emit(event_for(CLOSE_EVENTS[target], row, **extra))
    return held


def _give_back(uow: Any, row: Any) -> list[Held]:
    """The closed order's units back to its flash sale (or SKU) and its coupons back."""
    held: list[Held] = []
    if row.flash_sale_id:
        fs = t.flash_sales.c
        uow.execute(update(t.flash_sales).where(fs.id == row.flash_sale_id)
                    .values(sold=fs.sold - row.quantity))
        # A sale closed at the show's end has already given its unsold units back to the
        # SKU; a unit returned after that goes to the SKU too, not to a sale nobody can use.
        uow.execute(update(t.skus).where(
            t.skus.c.id == select(fs.sku_id).where(fs.id == row.flash_sale_id,
                                                  fs.status == "closed").scalar_subquery())
            .values(stock=t.skus.c.stock + row.quantity))
        bc = flash_buyer_counts.c
        uow.execute(update(flash_buyer_counts).where(
            bc.flash_sale_id == row.flash_sale_id, bc.buyer_id == row.buyer_id)
            .values(count=bc.count - row.quantity))
        held.append(Held(row.id, row.flash_sale_id, row.buyer_id, row.quantity))
    else:
        s = t.skus.c
        for item in row.items:
            column = s.presale_stock if item.get("presale") else s.stock
            uow.execute(update(t.skus).where(s.id == item["sku_id"])
                        .values({column.name: column + int(item["quantity"])}))
        cc = t.coupon_claims.c
        for cid in row.coupon_ids or []:
            uow.execute(update(t.coupon_claims).where(
                cc.coupon_id == cid, cc.buyer_id == row.buyer_id, cc.used > 0)
                .values(used=cc.used - 1))
    return held


def pay(uow: Any, provider: Any, order_id: str, buyer_id: str, method: str,
        sandbox_outcome: str | None, now: datetime) -> tuple[dict[str, Any], list[Held]]:
    # The row stays locked from here to the commit (SQLite: the whole transaction holds
    # the write lock), so neither the sweeper nor a cancel can close the order between the
    # charge and marking it paid: a buyer is never charged for an order they do not get.
    row = load(uow, order_id, lock=True)
    own(row, buyer_id)
    if row.status == OrderStatus.PAID:
        return {"order_id": row.id, "status": "paid"}, []  # a retried pay is not charged twice
    if row.status == OrderStatus.RESERVED and now >= as_aware(row.expires_at):
        held = close(uow, row, OrderStatus.EXPIRED, now)
        uow.commit()
        raise ExpiredWithHeld(held)
    require_move(row.status, OrderStatus.PAID)
    incentive = pay_incentive(uow, row, now)
    result = provider.charge(row.id, row.total_fen - incentive, method, sandbox_outcome)
    if not result.ok:
        uow.emit(event_for(PaymentFailed, row, method=method, reason=result.reason))
        TrackingRepo(uow.conn).add_server_fact(payment_failure_fact(
            row.session_id, row.buyer_id, row.id, str(result.reason), now), now)
        uow.commit()
        raise PaymentDeclined(f"payment failed: {result.reason}; the order stays reserved",
                              reason=result.reason)
    return mark_paid(uow, row, method, result.reference, now, incentive), []


def pay_incentive(uow: Any, row: Any, now: datetime) -> int:
    """The unpaid reminder's promise ("30 分钟内支付立减 ¥5"), kept: what comes off this
    order if it is paid now. The window runs from when the reminder was sent."""
    n, d = order_notifications.c, notification_deliveries.c
    reminder = uow.execute(select(n.sent_at, n.payload).outerjoin(
        notification_deliveries, d.message_key == n.id).where(
        n.kind == "unpaid_reminder", n.order_id == row.id, n.sent_at.is_not(None),
        or_(d.status.is_(None), d.status == "sent"))).first()  # a failed one promised nothing
    if reminder is None:
        return 0
    return incentive_due(row.total_fen, as_aware(reminder.sent_at), reminder.payload or {}, now)


def mark_paid(uow: Any, row: Any, method: str, reference: str, now: datetime,
              incentive_fen: int = 0) -> dict[str, Any]:
    values: dict[str, Any] = dict(status="paid", paid_at=now, payment_method=method,
                                  payment_ref=reference)
    if incentive_fen:
        breakdown = dict(row.breakdown)
        breakdown["discounts"] = [*breakdown.get("discounts", []), {
            "coupon_id": None, "kind": "pay_incentive", "name": "催付立减",
            "amount_fen": incentive_fen}]
        breakdown["total_fen"] = row.total_fen - incentive_fen
        values.update(total_fen=row.total_fen - incentive_fen, breakdown=breakdown)
    moved = uow.execute(update(orders).where(orders.c.id == row.id,
                                             orders.c.status == OrderStatus.RESERVED.value)
                        .values(values))
    if moved.rowcount != 1:
        raise Conflict("the order changed while paying", code="invalid_order_state")
    uow.emit(event_for(OrderPaid, load(uow, row.id), method=method))
    uow.commit()
    return {"order_id": row.id, "status": "paid", "payment_ref": reference,
            "total_fen": row.total_fen - incentive_fen, "incentive_fen": incentive_fen}


class ExpiredWithHeld(Conflict):
    """409 order_expired; carries the units the late payer's order gave back."""

    code = "order_expired"

    def __init__(self, held: list[Held]) -> None:
        super().__init__("the reservation has expired; its stock went back on sale")
        self.held = held


def expire_due(uow: Any, now: datetime, limit: int = 500) -> list[Held]:
    """Every server process runs this sweep: each claims the lapsed rows no other holds
    (SKIP LOCKED on PostgreSQL; SQLite's one writer serialises the sweeps), and `close` is
    a conditional update besides, so an order is expired and its units returned once."""
    rows = uow.execute(select(orders).where(orders.c.status == OrderStatus.RESERVED.value,
                                            orders.c.expires_at <= now)
                       .order_by(orders.c.expires_at).limit(limit)
                       .with_for_update(skip_locked=True)).all()
    held: list[Held] = []
    for row in rows:
        held += close(uow, row, OrderStatus.EXPIRED, now)
    uow.commit()
    return held


def queue_reminders(uow: Any, now: datetime, policy: ReminderPolicy, limit: int = 500) -> int:
    """催付: one reminder per unpaid order, when the policy says it is due. Any number of
    processes may run it: rows are claimed (SKIP LOCKED) and the order is marked reminded
    by a conditional update before its notice is queued, so a race sends one reminder."""
    o = orders.c
    rows = uow.execute(select(o.id, o.buyer_id, o.session_id, o.total_fen, o.created_at,
                              o.expires_at)
                       .where(o.status == OrderStatus.RESERVED.value, o.reminded_at.is_(None),
                              o.expires_at > now,
                              or_(o.created_at <= now - timedelta(minutes=policy.after_minutes),
                                  o.expires_at <= now + timedelta(
                                      minutes=policy.lead_minutes)))
                       .limit(limit).with_for_update(skip_locked=True)).all()
    n = 0
    for r in rows:
        if policy.due_at(as_aware(r.created_at), as_aware(r.expires_at)) > now:
            continue
        claimed = uow.execute(update(orders).where(o.id == r.id, o.reminded_at.is_(None))
                              .values(reminded_at=now))
        if claimed.rowcount != 1:
            continue  # another sweep reminded this buyer meanwhile
        notify(uow, now, "unpaid_reminder", r.buyer_id, session_id=r.session_id,
               order_id=r.id, payload=policy.message(r.total_fen))
        n += 1
    uow.commit()
    return n


def anything_due(conn: Any, now: datetime, policy: ReminderPolicy) -> bool:
    """Cheap read-only probe so the sweeper takes the write lock only when needed."""
    o, n = orders.c, order_notifications.c
    reserved = o.status == OrderStatus.RESERVED.value
    probes = [
        select(o.id).where(reserved, o.expires_at <= now),
        select(o.id).where(reserved, o.reminded_at.is_(None), or_(
            o.created_at <= now - timedelta(minutes=policy.after_minutes),
            o.expires_at <= now + timedelta(minutes=policy.lead_minutes))),
        select(n.id).where(n.sent_at.is_(None), n.due_at <= now),
    ]
    return any(conn.execute(q.limit(1)).first() is not None for q in probes)


def notify(uow: Any, now: datetime, kind: str, recipient: str, *, session_id: str | None = None,
           order_id: str | None = None, sku_id: str | None = None,
           payload: dict[str, Any] | None = None, due_at: datetime | None = None) -> None:
    uow.execute(insert(order_notifications).values(
        id=new_id(), kind=kind, recipient=recipient, session_id=session_id,
        order_id=order_id, sku_id=sku_id, payload=payload or {}, due_at=due_at or now,
        created_at=now))

