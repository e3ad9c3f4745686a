"""Commands of the buying side. Buyer commands carry no `action` (buyers are not operators;
their identity is checked by the JWT and ownership in the handler)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from liveroom.core.messages import Command


@dataclass(frozen=True)
class ItemIn:
    sku_id: str
    quantity: int
    presale: bool = False


@dataclass(frozen=True)
class PlaceOrder(Command):
    session_id: str
    buyer_id: str
    idempotency_key: str
    items: list[ItemIn]
    coupon_ids: list[str] = field(default_factory=list)
    channel: str | None = None
    utm: dict[str, Any] | None = None
    contact: dict[str, Any] | None = None


@dataclass(frozen=True)
class ClaimCoupon(Command):
    coupon_id: str
    buyer_id: str
    code: str | None = None  # an exclusive coupon's code (from the tracked link)


@dataclass(frozen=True)
class CancelOrder(Command):
    order_id: str
    buyer_id: str


@dataclass(frozen=True)
class RefundOrder(Command):
    action: ClassVar[str] = "orders.refund"
    order_id: str
    reason: str = ""


@dataclass(frozen=True)
class UpdateShipping(Command):
    action: ClassVar[str] = "orders.write"
    order_id: str
    carrier: str
    tracking_no: str
    status: str


@dataclass(frozen=True)
class RemedyOversell(Command):
    action: ClassVar[str] = "orders.write"
    order_id: str
    remedy: str | None = None  # substitute | compensation | None = choose
    substitute_sku_id: str | None = None
    note: str = ""
