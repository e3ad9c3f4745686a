"""After-sales rules (售后): what a buyer may ask for, what is approved at once, what goes
to a person, and how a case moves. Plain Python.

Standard cases are decided by the rules: a paid order that has not shipped gets its full
refund at once (the goods never left); a return inside the product's no-reason window
(7 天无理由, counted from delivery, or from shipment while the parcel is on its way) is
approved and waits for the goods. Everything else (partial amounts, refunds of shipped
goods, returns out of window, exchanges) goes to a person with the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from liveroom.core.errors import Conflict, Invalid


class Kind(StrEnum):
    REFUND_ONLY = "refund_only"  # 仅退款
    RETURN = "return"  # 退货退款
    EXCHANGE = "exchange"  # 换货


class Status(StrEnum):
    """The decision, as the API answers it."""

    PENDING_REVIEW = "pending_review"
    APPROVED = "approved"
    REJECTED = "rejected"


class Stage(StrEnum):
    """Where the case is; `review` and `awaiting_return` are open."""

    REVIEW = "review"
    AWAITING_RETURN = "awaiting_return"  # approved; the goods are on their way back
    REFUNDED = "refunded"
    REPLACEMENT_CREATED = "replacement_created"
    CLOSED = "closed"  # rejected


OPEN_STAGES = (Stage.REVIEW, Stage.AWAITING_RETURN)
NO_REASON_DAYS = 7
# Goods the 7-day no-reason rule does not cover (《消费者权益保护法》第二十五条): made to
# order, fresh and perishable, digital, newspapers. Matched against the product category.
NO_REASON_EXCLUDED = ("生鲜", "fresh", "定制", "custom", "鲜花", "flowers", "数字", "digital",
                      "报纸", "期刊")
UNSHIPPED = (None, "", "pending")
DELIVERED = "delivered"


class PartyRole(StrEnum):
    """Who acted, for the audit trail, when it is not an operator."""

    BUYER = "buyer"


class AfterSaleStateError(Conflict):
    code = "invalid_aftersales_state"


def no_reason_days(category: str) -> int:
    """The product's no-reason return window in days (0: the rule does not apply)."""
    folded = category.strip().lower()
    return 0 if any(word in folded for word in NO_REASON_EXCLUDED) else NO_REASON_DAYS


def short_number(order_id: str) -> str:
    """The order as a person reads it: the random tail of its id, upper case."""
    return order_id[-8:].upper()


@dataclass(frozen=True)
class OrderFacts:
    status: str  # the order's status
    total_fen: int
    refunded_fen: int
    shipping_status: str | None  # None: never shipped
    shipping_since: datetime | None  # when that shipping status was set
    no_reason_days: int  # the strictest window over the order's products

    @property
    def refundable_fen(self) -> int:
        return self.total_fen - self.refunded_fen if self.status == "paid" else 0

    @property
    def shipped(self) -> bool:
        return is_shipped(self.shipping_status)


def is_shipped(shipping_status: str | None) -> bool:
    return shipping_status not in UNSHIPPED


@dataclass(frozen=True)
class Verdict:
    status: Status
    stage: Stage
    amount_fen: int
    hold_reason: str | None = None  # why a person must look (None: decided by the rules)

    @property
    def auto(self) -> bool:
        return self.status == Status.APPROVED


def assess(kind: Kind, amount_fen: int | None, order: OrderFacts, now: datetime) -> Verdict:
    """The rules' decision on a new request; raises for requests that cannot stand."""
    if order.status != "paid":
        raise Conflict(f"the order is {order.status}; after-sales needs a paid order",
                       code="order_not_paid", status=order.status)
    left = order.refundable_fen
    if left <= 0:
        raise Conflict("everything paid has already been refunded", code="nothing_to_refund")
    if kind != Kind.REFUND_ONLY and not order.shipped:
        raise Conflict("the order has not shipped: ask for a refund instead",
                       code="not_shipped")
    if kind == Kind.EXCHANGE:
        if amount_fen:
            raise Invalid("an exchange pays nothing back", code="exchange_has_no_amount",
                          field="amount_fen")
        return Verdict(Status.PENDING_REVIEW, Stage.REVIEW, 0, "exchange")
    amount = left if amount_fen is None else amount_fen
    check_amount(amount, left)
    partial = amount < left
    if kind == Kind.REFUND_ONLY:
        if not order.shipped and not partial:
            return Verdict(Status.APPROVED, Stage.REFUNDED, amount)
        return Verdict(Status.PENDING_REVIEW, Stage.REVIEW, amount,
                       "partial" if partial else "shipped")
    if not within_window(order, now):
        return Verdict(Status.PENDING_REVIEW, Stage.REVIEW, amount, "out_of_window")
    if partial:
        return Verdict(Status.PENDING_REVIEW, Stage.REVIEW, amount, "partial")
    return Verdict(Status.APPROVED, Stage.AWAITING_RETURN, amount)


def check_amount(amount_fen: int, refundable_fen: int) -> None:
    if amount_fen <= 0:
        raise Invalid("the amount must be positive", code="invalid_amount", field="amount_fen")
    if amount_fen > refundable_fen:
        raise Invalid("more than was paid minus what was already refunded",
                      code="amount_exceeds_refundable", field="amount_fen",
                      refundable_fen=refundable_fen)


def within_window(order: OrderFacts, now: datetime) -> bool:
    """Inside the product's no-reason window, counted from delivery (or from shipment
    while the parcel travels: a buyer may refuse it at the door)."""
    if order.no_reason_days <= 0 or order.shipping_since is None:
        return False
    return now - order.shipping_since <= timedelta(days=order.no_reason_days)


# -- moving a case ------------------------------------------------------------------------
@dataclass(frozen=True)
class Move:
    """A decision's result: the next status and stage, and what must happen now."""

    status: Status
    stage: Stage
    refund_now: bool = False
    await_goods: bool = False


def _require(stage: str, wanted: Stage, action: str) -> None:
    if stage != wanted:
        raise AfterSaleStateError(f"the case is {stage}: cannot {action}", stage=stage)


def approve(kind: Kind, stage: str) -> Move:
    _require(stage, Stage.REVIEW, "approve")
    if kind == Kind.REFUND_ONLY:
        return Move(Status.APPROVED, Stage.REFUNDED, refund_now=True)
    return Move(Status.APPROVED, Stage.AWAITING_RETURN, await_goods=True)


def reject(stage: str) -> Move:
    _require(stage, Stage.REVIEW, "reject")
    return Move(Status.REJECTED, Stage.CLOSED)


def receive(kind: Kind, stage: str) -> Move:
    """The returned goods arrived: a return is refunded, an exchange ships a replacement."""
    _require(stage, Stage.AWAITING_RETURN, "receive goods")
    if kind == Kind.RETURN:
        return Move(Status.APPROVED, Stage.REFUNDED, refund_now=True)
    return Move(Status.APPROVED, Stage.REPLACEMENT_CREATED)


def is_open(stage: str) -> bool:
    return stage in OPEN_STAGES


# -- the SLA clock of one case --------------------------------------------------------------
@dataclass(frozen=True)
class Clock:
    """What the queue shows: the next deadline and the time left (negative: overdue)."""

    deadline: datetime | None  # None: nothing due any more
    which: str | None  # first_response | completion

    def left(self, now: datetime) -> timedelta | None:
        return None if self.deadline is None else self.deadline - now


def sla_clock(created_at: datetime, first_response_at: datetime | None,
              completed_at: datetime | None, first_response: timedelta,
              completion: timedelta) -> Clock:
    if completed_at is not None:
        return Clock(None, None)
    if first_response_at is None:
        return Clock(created_at + first_response, "first_response")
    return Clock(created_at + completion, "completion")


def clock_text(left: timedelta) -> tuple[int, int, bool]:
    """(hours, minutes, overdue) of a remaining time, for "剩余 1小时20分" / "超时 …"."""
    overdue = left.total_seconds() < 0
    minutes = int(abs(left.total_seconds()) // 60)
    return minutes // 60, minutes % 60, overdue
