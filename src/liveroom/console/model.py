"""Console rules: wrong-price interception, coupons, ladder drops, flash-sale set-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from liveroom.core.errors import Invalid
from liveroom.core.money import fmt_fen

# A typed price within this band of planned ×10 or ÷10 is taken for a slipped digit.
DIGIT_SLIP_BAND = (0.8, 1.25)


class PriceRejected(Invalid):
    """422 with the first violation's code; all violations in details."""


@dataclass(frozen=True)
class PriceViolation:
    code: str
    message: str


@dataclass(frozen=True)
class PriceContext:
    list_price_fen: int
    cost_fen: int
    planned_price_fen: int
    floor_price_fen: int | None
    max_drop_pct: int


def check_price(new_fen: int, ctx: PriceContext) -> list[PriceViolation]:
    """Every reason a price is wrong, most serious first. Empty = the price may go live."""
    if new_fen <= 0:
        return [PriceViolation("price_not_positive", "价格必须大于 0 price must be positive")]
    out = []
    if new_fen < ctx.cost_fen:
        out.append(PriceViolation(
            "price_below_cost",
            f"{fmt_fen(new_fen)} 低于成本 {fmt_fen(ctx.cost_fen)} below cost"))
    if ctx.floor_price_fen is not None and new_fen < ctx.floor_price_fen:
        out.append(PriceViolation(
            "price_below_floor",
            f"{fmt_fen(new_fen)} 低于底价 {fmt_fen(ctx.floor_price_fen)} below the floor"))
    drop = (ctx.list_price_fen - new_fen) / ctx.list_price_fen
    if drop * 100 > ctx.max_drop_pct:
        out.append(PriceViolation(
            "price_drop_too_large",
            f"比原价 {fmt_fen(ctx.list_price_fen)} 降了 {drop:.0%}，超过 {ctx.max_drop_pct}% "
            "drop too large against list price"))
    for factor, word in ((10, "十分之一 one tenth"), (0.1, "十倍 ten times")):
        ratio = new_fen * factor / ctx.planned_price_fen
        if DIGIT_SLIP_BAND[0] <= ratio <= DIGIT_SLIP_BAND[1]:
            out.append(PriceViolation(
                "price_digit_slip",
                f"约为计划价 {fmt_fen(ctx.planned_price_fen)} 的{word} of the planned price: "
                "a slipped digit?"))
    return out


def guard_price(new_fen: int, ctx: PriceContext) -> None:
    """Refuse a price that breaks a rule, with every reason (no override on this path)."""
    violations = check_price(new_fen, ctx)
    if violations:
        raise PriceRejected(
            "；".join(v.message for v in violations), code=violations[0].code,
            violations=[{"code": v.code, "message": v.message} for v in violations])


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

    def discount_on(self, subtotal_fen: int) -> int:
        """What this coupon takes off a subtotal it applies to (never below zero)."""
        if subtotal_fen < self.threshold_fen:
            return 0
        return min(self.discount_fen, subtotal_fen)


def validate_flash_sale(price_fen: int, quantity: int, per_buyer_limit: int,
                        cost_fen: int, stock: int) -> None:
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
