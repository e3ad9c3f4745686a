"""Stock rules of the live room: when a flash sale may sell, whether a purchase fits the
stock and the buyer's limit, safety stock and restock dates, oversell remedies.
Plain Python: every stock back-end applies these same rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    RESERVED = "reserved"
    SOLD_OUT = "sold_out"
    LIMIT_EXCEEDED = "limit_exceeded"
    NOT_STARTED = "not_started"  # also a stopped sale: details say which
    MEMBERS_ONLY = "members_only"  # the member priority window: opens to all at starts_at


REJECTION_MESSAGES = {
    Outcome.SOLD_OUT: "已抢光 sold out",
    Outcome.LIMIT_EXCEEDED: "超出限购 over the per-buyer limit",
    Outcome.NOT_STARTED: "秒杀未开始或已结束 the flash sale is not running",
    Outcome.MEMBERS_ONLY: "会员优先购时段 members of a higher tier only until the sale opens",
}


@dataclass(frozen=True)
class SaleTerms:
    id: str
    session_id: str
    sku_id: str
    price_fen: int
    quantity: int
    per_buyer_limit: int
    status: str  # created | live | stopped
    starts_at: datetime | None = None
    # 会员优先购: buyers of the priority tier may buy from members_from; everyone at starts_at
    members_from: datetime | None = None


def sale_open(status: str, starts_at: datetime | None, now: datetime) -> bool:
    """Live once started by the console, or once its scheduled hour (整点秒杀) has come."""
    if status == "live":
        return True
    return status == "created" and starts_at is not None and now >= starts_at


def members_window(status: str, members_from: datetime | None, now: datetime) -> bool:
    """Inside the member priority window (the caller has checked the sale is not yet open
    to everyone): a scheduled sale not started by hand, whose member hour has come."""
    return status == "created" and members_from is not None and now >= members_from


def sale_open_to(status: str, starts_at: datetime | None, members_from: datetime | None,
                 early: bool, now: datetime) -> tuple[bool, bool]:
    """(open for this buyer, members only now): the member window opens the sale early for
    a buyer whose tier has priority and answers members_only to everyone else."""
    if sale_open(status, starts_at, now):
        return True, False
    if members_window(status, members_from, now):
        return early, not early
    return False, False


def decide(*, open_: bool, sold: int, quantity: int, held: int, want: int,
           limit: int, members_only: bool = False) -> Outcome:
    """The single rule: order of checks matters (a stopped sale answers not_started even
    when sold out; a buyer at the limit hears limit_exceeded before sold_out)."""
    if not open_:
        return Outcome.MEMBERS_ONLY if members_only else Outcome.NOT_STARTED
    if want <= 0 or held + want > limit:
        return Outcome.LIMIT_EXCEEDED
    if sold + want > quantity:
        return Outcome.SOLD_OUT
    return Outcome.RESERVED


def rejection_body(outcome: Outcome, sale_status: str | None = None,
                   opens_at: datetime | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": outcome.value, "message": REJECTION_MESSAGES[outcome]}
    if sale_status is not None and outcome in (Outcome.NOT_STARTED, Outcome.MEMBERS_ONLY):
        body["details"] = {"status": sale_status}
        if outcome == Outcome.MEMBERS_ONLY and opens_at is not None:
            body["details"]["opens_at"] = opens_at.isoformat()
    return body


@dataclass
class SaleBook:
    """In-memory counters of one flash sale: what the embedded ledger holds per sale.
    Holding orders are tracked by id so that a release is idempotent and a release that
    races a rebuild can never give the same units back twice."""

    terms: SaleTerms
    sold: int = 0
    held: dict[str, int] = field(default_factory=dict)
    orders: dict[str, tuple[str, int]] = field(default_factory=dict)  # id → (buyer, qty)

    @classmethod
    def from_rows(cls, terms: SaleTerms, rows: list[tuple[str, str, int]]) -> SaleBook:
        book = cls(terms)
        for order_id, buyer, qty in rows:
            book.take(order_id, buyer, qty)
        return book

    @property
    def remaining(self) -> int:
        return self.terms.quantity - self.sold

    def take(self, order_id: str, buyer: str, qty: int) -> None:
        self.sold += qty
        self.held[buyer] = self.held.get(buyer, 0) + qty
        self.orders[order_id] = (buyer, qty)

    def try_reserve(self, order_id: str, buyer: str, want: int, status: str,
                    now: datetime, early: bool = False) -> Outcome:
        open_, members_only = sale_open_to(status, self.terms.starts_at,
                                           self.terms.members_from, early, now)
        outcome = decide(open_=open_, sold=self.sold, quantity=self.terms.quantity,
                         held=self.held.get(buyer, 0), want=want,
                         limit=self.terms.per_buyer_limit, members_only=members_only)
        if outcome == Outcome.RESERVED:
            self.take(order_id, buyer, want)
        return outcome

    def release(self, order_id: str) -> bool:
        """Give an order's units back; False if this book does not hold it (any more)."""
        entry = self.orders.pop(order_id, None)
        if entry is None:
            return False
        buyer, qty = entry
        self.sold -= qty
        left = self.held.get(buyer, 0) - qty
        if left > 0:
            self.held[buyer] = left
        else:
            self.held.pop(buyer, None)
        return True


def below_safety(stock: int, safety_stock: int) -> bool:
    return safety_stock > 0 and stock <= safety_stock


def restock_by(today: date, restock_lead_days: int) -> date:
    """Order from the supplier now to have goods back after the lead time."""
    return today + timedelta(days=max(restock_lead_days, 0))


@dataclass(frozen=True)
class Candidate:
    sku_id: str
    price_fen: int
    stock: int


def choose_remedy(paid_unit_fen: int, quantity: int, candidates: list[Candidate],
                  compensation_pct: int = 20) -> tuple[str, str | None, int]:
    """超卖补救: an equivalent substitute at no extra cost if one is in stock (the cheapest
    at or above the paid price, so the buyer never gets less), else a compensation coupon
    worth a share of what was paid. Returns (remedy, substitute_sku_id, coupon_fen)."""
    fitting = sorted((c for c in candidates if c.stock >= quantity
                      and c.price_fen >= paid_unit_fen), key=lambda c: c.price_fen)
    if fitting:
        return "substitute", fitting[0].sku_id, 0
    coupon = max((paid_unit_fen * quantity * compensation_pct + 99) // 100, 100)
    return "compensation", None, coupon
