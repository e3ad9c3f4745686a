"""Commands of after-sales. The buyer's request carries no `action` (buyers are not
operators: the JWT and the order's owner decide); the service's decisions do."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from liveroom.core.messages import Command


@dataclass(frozen=True)
class Evidence:
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class RequestAfterSale(Command):
    order_id: str
    buyer_id: str
    kind: str  # refund_only | return | exchange
    reason: str
    amount_fen: int | None = None  # None: everything still refundable
    evidence: list[Evidence] = field(default_factory=list)
    exchange_sku_id: str | None = None  # exchanges: another SKU of the same product


@dataclass(frozen=True)
class ApproveAfterSale(Command):
    action: ClassVar[str] = "aftersales.decide"
    case_id: str
    note: str = ""


@dataclass(frozen=True)
class RejectAfterSale(Command):
    action: ClassVar[str] = "aftersales.decide"
    case_id: str
    note: str = ""


@dataclass(frozen=True)
class AnswerAfterSale(Command):
    """A reply to the buyer without a decision (it stops the first-response clock)."""

    action: ClassVar[str] = "aftersales.decide"
    case_id: str
    message: str


@dataclass(frozen=True)
class ReceiveReturn(Command):
    """The returned goods arrived: back into stock, then the refund or the replacement."""

    action: ClassVar[str] = "aftersales.receive"
    case_id: str
    note: str = ""


@dataclass(frozen=True)
class SweepSlaBreaches(Command):
    """Record every missed deadline once, as an alert (the background job runs this)."""

    limit: int = 200
