from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from liveroom.core.messages import Command, Event


@dataclass(frozen=True)
class SetListed(Command):
    action: ClassVar[str] = "console.list"
    session_id: str
    sku_id: str
    listed: bool


@dataclass(frozen=True)
class ExplainSku(Command):
    action: ClassVar[str] = "console.explain"
    session_id: str
    sku_id: str | None


@dataclass(frozen=True)
class ChangePrice(Command):
    action: ClassVar[str] = "console.price"
    session_id: str
    sku_id: str
    price_fen: int
    reason: str = ""
    override: bool = False
    override_reason: str = ""


@dataclass(frozen=True)
class CreateCoupon(Command):
    action: ClassVar[str] = "console.coupon"
    session_id: str
    name: str
    kind: str
    discount_fen: int
    total: int
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    threshold_fen: int = 0
    sku_id: str | None = None
    per_buyer_limit: int = 1
    channel: str | None = None
    code: str | None = None
    issue_now: bool = False
    override: bool = False
    override_reason: str = ""


@dataclass(frozen=True)
class SetCouponStatus(Command):
    action: ClassVar[str] = "console.coupon"
    coupon_id: str
    status: str  # issued | stopped


@dataclass(frozen=True)
class CreateFlashSale(Command):
    action: ClassVar[str] = "console.flash_sale"
    session_id: str
    sku_id: str
    price_fen: int
    quantity: int
    per_buyer_limit: int = 1
    starts_at: datetime | None = None  # 整点秒杀: a scheduled start
    override: bool = False
    override_reason: str = ""
    # 会员优先购: members of priority_tier or higher may buy priority_minutes before starts_at
    priority_tier: str | None = None
    priority_minutes: int = 0


@dataclass(frozen=True)
class SetFlashSaleStatus(Command):
    action: ClassVar[str] = "console.flash_sale"
    flash_sale_id: str
    to: str  # start | stop


@dataclass(frozen=True)
class CloseFlashSales(Command):
    action: ClassVar[str] = "console.flash_sale"
    session_id: str


@dataclass(frozen=True)
class CreateLadder(Command):
    action: ClassVar[str] = "console.price"
    session_id: str
    sku_id: str
    steps: list[tuple[int, int]] = field(default_factory=list)  # (after_sold, price_fen)
    override: bool = False
    override_reason: str = ""


@dataclass(frozen=True)
class AdvanceLadder(Command):
    action: ClassVar[str] = "console.price"
    ladder_id: str


@dataclass(frozen=True)
class Announce(Command):
    action: ClassVar[str] = "console.announce"
    session_id: str
    text: str
    pinned: bool = False


@dataclass(frozen=True)
class PriceChanged(Event):
    session_id: str
    sku_id: str
    before_fen: int
    after_fen: int
    overridden: bool


@dataclass(frozen=True)
class ProductListed(Event):
    session_id: str
    sku_id: str
    listed: bool


@dataclass(frozen=True)
class ExplainingChanged(Event):
    session_id: str
    sku_id: str | None


@dataclass(frozen=True)
class CouponStatusChanged(Event):
    session_id: str
    coupon_id: str
    status: str


@dataclass(frozen=True)
class FlashSaleCreated(Event):
    flash_sale_id: str
    session_id: str
    sku_id: str
    price_fen: int
    quantity: int
    per_buyer_limit: int


@dataclass(frozen=True)
class FlashSaleStatusChanged(Event):
    flash_sale_id: str
    session_id: str
    status: str


@dataclass(frozen=True)
class Announced(Event):
    session_id: str
    announcement_id: str
    text: str
    pinned: bool
