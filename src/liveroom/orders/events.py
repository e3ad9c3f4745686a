"""Past-tense events of the buying side, written to the outbox for other consumers
(metrics, traffic attribution, CRM). Amounts in fen."""

from __future__ import annotations

from dataclasses import dataclass, field

from liveroom.core.messages import Event


@dataclass(frozen=True)
class OrderEvent(Event):
    order_id: str
    session_id: str
    buyer_id: str
    total_fen: int
    sku_ids: list[str] = field(default_factory=list)
    quantity: int = 0
    channel: str | None = None
    kind: str = "live"  # flash | live
    flash_sale_id: str | None = None


@dataclass(frozen=True)
class OrderReserved(OrderEvent):
    pass


@dataclass(frozen=True)
class OrderPaid(OrderEvent):
    method: str = "wechat"


@dataclass(frozen=True)
class PaymentFailed(OrderEvent):
    method: str = "wechat"
    reason: str = ""


@dataclass(frozen=True)
class OrderExpired(OrderEvent):
    pass


@dataclass(frozen=True)
class OrderCancelled(OrderEvent):
    pass


@dataclass(frozen=True)
class OrderRefunded(OrderEvent):
    refund_fen: int = 0


@dataclass(frozen=True)
class SafetyStockReached(Event):
    sku_id: str
    stock: int
    safety_stock: int
    restock_by: str  # ISO date: today + the product's restock lead time


@dataclass(frozen=True)
class OversellRemedied(Event):
    order_id: str
    session_id: str
    buyer_id: str
    remedy: str
    substitute_sku_id: str | None
    coupon_id: str | None
