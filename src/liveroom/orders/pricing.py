"""The one pricing function: lines at live prices, coupons, shipping → a stored breakdown.
Pure: no I/O, integer fen only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from liveroom.core.errors import Invalid


@dataclass(frozen=True)
class Line:
    sku_id: str
    quantity: int
    unit_price_fen: int
    presale: bool = False

    @property
    def amount_fen(self) -> int:
        return self.unit_price_fen * self.quantity


@dataclass(frozen=True)
class CouponTerms:
    """What pricing needs of a coupon (console.model.Coupon carries more)."""

    id: str
    name: str
    kind: str  # threshold (满减) | fixed (立减)
    discount_fen: int
    threshold_fen: int = 0
    sku_id: str | None = None  # None = the whole order


@dataclass(frozen=True)
class ShippingRule:
    fee_fen: int = 0
    free_over_fen: int = 0  # 包邮门槛: 0 = always free


@dataclass(frozen=True)
class Breakdown:
    subtotal_fen: int
    discounts: list[dict[str, Any]] = field(default_factory=list)
    shipping_fen: int = 0
    total_fen: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"subtotal_fen": self.subtotal_fen, "discounts": list(self.discounts),
                "shipping_fen": self.shipping_fen, "total_fen": self.total_fen}


def price_order(lines: Sequence[Line], coupons: Sequence[CouponTerms] = (),
                shipping: ShippingRule = ShippingRule()) -> Breakdown:
    """Price an order. Coupons apply in the given order, each to what it covers (the whole
    order, or one SKU's lines) after the discounts before it, and never below zero; a coupon
    whose threshold the covered amount does not reach is rejected, not silently skipped,
    so the buyer is never charged more than the page promised. Shipping is charged on the
    discounted goods amount."""
    if not lines:
        raise Invalid("an order needs at least one item", code="empty_order", field="items")
    for line in lines:
        if line.quantity <= 0:
            raise Invalid("quantity must be positive", field="quantity")
        if line.unit_price_fen <= 0:
            raise Invalid("unit price must be positive", field="unit_price_fen")
    if len({c.id for c in coupons}) != len(coupons):
        raise Invalid("a coupon may be used once per order", code="coupon_repeated")
    subtotal = sum(line.amount_fen for line in lines)
    covered = {line.sku_id: 0 for line in lines}
    for line in lines:
        covered[line.sku_id] += line.amount_fen
    remaining = subtotal
    discounts: list[dict[str, Any]] = []
    for c in coupons:
        base = remaining if c.sku_id is None else min(covered.get(c.sku_id, 0), remaining)
        if c.sku_id is not None and c.sku_id not in covered:
            raise Invalid(f"coupon {c.name} is for another product", code="coupon_not_applicable",
                          coupon_id=c.id)
        if base < c.threshold_fen:
            raise Invalid(f"coupon {c.name} needs a spend of {c.threshold_fen} fen",
                          code="coupon_threshold_not_met", coupon_id=c.id)
        off = min(c.discount_fen, base)
        remaining -= off
        if c.sku_id is not None:
            covered[c.sku_id] -= off
        discounts.append({"coupon_id": c.id, "name": c.name, "kind": c.kind, "amount_fen": off})
    ship = 0 if shipping.free_over_fen == 0 or remaining >= shipping.free_over_fen \
        else shipping.fee_fen
    return Breakdown(subtotal, discounts, ship, remaining + ship)


def net_by_sku(lines: Sequence[Line], coupons: Sequence[CouponTerms],
               breakdown: Breakdown) -> dict[str, Fraction]:
    """What each SKU's lines come to after the discounts, exactly: a coupon for one SKU is
    borne by that SKU's lines, a coupon for the whole order by every line in proportion to
    its amount (the share a refund of one line would return); never below zero. Shipping is
    not goods."""
    gross: dict[str, int] = {}
    for line in lines:
        gross[line.sku_id] = gross.get(line.sku_id, 0) + line.amount_fen
    net = {sku: Fraction(amount) for sku, amount in gross.items()}
    by_id = {c.id: c for c in coupons}
    for d in breakdown.discounts:
        sku_id = by_id[d["coupon_id"]].sku_id
        if sku_id is not None:
            net[sku_id] -= d["amount_fen"]
            continue
        for sku, amount in gross.items():
            net[sku] -= Fraction(d["amount_fen"] * amount, breakdown.subtotal_fen)
    return {sku: max(amount, Fraction(0)) for sku, amount in net.items()}


def flash_breakdown(price_fen: int, quantity: int) -> Breakdown:
    """A flash-sale order: one line at the flash price, no coupons, free shipping."""
    return price_order([Line("flash", quantity, price_fen)])
