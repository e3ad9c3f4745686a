"""Console rules: coupons, ladder drops, flash-sale set-up (the price guard is in
console/pricing.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from liveroom.core.errors import Forbidden, Invalid


class CouponKind(StrEnum):
    THRESHOLD = "threshold"  # 满减: spend at least threshold, get discount off
    FIXED = "fixed"  # 立减: a fixed amount off


@dataclass
class Coupon:
    id: str
    session_id: str
    name: str
    kind: CouponKind
    discount_fen: int
    total: int
    valid_from: datetime
    valid_until: datetime
    created_at: datetime
    threshold_fen: int = 0
    sku_id: str | None = None
    per_buyer_limit: int = 1
    claimed: int = 0
    status: str = "draft"  # draft → issued → stopped
    channel: str | None = None
    code: str | None = None

    def validate(self) -> None:
        if self.discount_fen <= 0:
            raise Invalid("discount must be positive", field="discount_fen")
        if self.kind == CouponKind.THRESHOLD and self.threshold_fen <= self.discount_fen:
            raise Invalid("a 满减 threshold must be above the discount",
                          code="invalid_coupon", field="threshold_fen")
        if self.total <= 0 or self.per_buyer_limit <= 0:
            raise Invalid("total and per_buyer_limit must be positive", field="total")
        if self.valid_until <= self.valid_from:
            raise Invalid("valid_until must be after valid_from", field="valid_until")

    def usable(self, now: datetime) -> bool:
        return self.status == "issued" and self.valid_from <= now < self.valid_until

    def check_code(self, code: str | None) -> None:
        """An exclusive coupon (a channel's 专属券) is claimed with its code only: its id
        is no secret (orders, the console and the shelf's neighbours show it)."""
        if self.code is None:
            return
        if not code or not code.strip():
            raise Forbidden("this coupon is exclusive: claim it with its code",
                            code="coupon_code_required")
        if code.strip().upper() != self.code.upper():
            raise Forbidden("that code does not unlock this coupon",
                            code="coupon_code_mismatch")

    def discount_on(self, subtotal_fen: int) -> int:
        """What this coupon takes off a subtotal it applies to (never below zero)."""
        if subtotal_fen < self.threshold_fen:
            return 0
        return min(self.discount_fen, subtotal_fen)


def validate_flash_sale(price_fen: int, quantity: int, per_buyer_limit: int,
                        stock: int) -> None:
    if price_fen <= 0:
        raise Invalid("flash price must be positive", code="price_not_positive",
                      field="price_fen")
    if quantity <= 0:
        raise Invalid("quantity must be positive", field="quantity")
    if per_buyer_limit <= 0:
        raise Invalid("per_buyer_limit must be positive", field="per_buyer_limit")
    if quantity > stock:
        raise Invalid(f"flash quantity {quantity} is above the stock of {stock}",
                      code="quantity_over_stock", field="quantity")


@dataclass(frozen=True)
class LadderStep:
    """阶梯式降价: the price falls to price_fen once `after_sold` units have sold."""

    after_sold: int
    price_fen: int


def validate_ladder(steps: list[LadderStep]) -> None:
    if not steps:
        raise Invalid("a ladder needs at least one step", field="steps")
    for a, b in zip(steps, steps[1:], strict=False):
        if b.after_sold <= a.after_sold or b.price_fen >= a.price_fen:
            raise Invalid("ladder steps must sell more and cost less each time",
                          code="invalid_ladder", field="steps")
