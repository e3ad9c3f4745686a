"""The price guard: the lowest price a viewer can end up paying for a SKU in a show, and
every rule that price (or a price typed on the way to it) breaks. Pure: no I/O, integer fen.

What a viewer can be charged for one unit, before coupons, is an *offer*: the live price,
a flash-sale price, a step of a price ladder, a member price, a SKU's share of a bundle.
Coupons then come off the offers they apply to (all but flash sales, which orders price
without coupons: orders.pricing.flash_breakdown). The guard takes off each applicable coupon
at the most it can take off one unit in any order that orders.pricing.price_order accepts:
- a coupon for this SKU needs the SKU's own lines to reach its threshold, so a buyer takes
  ceil(threshold / price) units at least, and the discount spreads over them;
- a coupon for the whole order may have its threshold reached with other goods, and its
  discount is shared among the lines in proportion to their amounts
  (orders.pricing.net_by_sku), so one unit bears at most discount × price / max(threshold,
  price).
The sum is a lower bound of what any order can charge per unit: it may refuse a stack that
price_order would never let through in full (a second 满减 whose threshold the first one
breaks), never the other way round. An audited override covers the rest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from liveroom.core.errors import Invalid
from liveroom.core.money import fmt_fen

# A typed price within this band of planned ×10 or ÷10 is taken for a slipped digit.
DIGIT_SLIP_BAND = (0.8, 1.25)
OFFER_SOURCES = ("live", "flash", "ladder", "member", "bundle")


class PriceRejected(Invalid):
    """422 with the first violation's code; every violation, with its SKU, in details."""


@dataclass(frozen=True)
class PriceContext:
    list_price_fen: int
    cost_fen: int
    planned_price_fen: int
    floor_price_fen: int | None
    max_drop_pct: int


@dataclass(frozen=True)
class PriceViolation:
    code: str
    message: str
    price_fen: int = 0
    limit_fen: int = 0
    source: str = "live"  # the rule's subject: an OFFER_SOURCES entry or "coupon"
    ref: str | None = None  # the flash sale, ladder, member tier or bundle
    coupon_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "rule": self.source,
                "price_fen": self.price_fen, "limit_fen": self.limit_fen, "ref": self.ref,
                "coupon_ids": list(self.coupon_ids)}


def _floor_rules(price: int, ctx: PriceContext) -> list[PriceViolation]:
    """The rules on how low a price may go: cost, floor, the largest drop from list price."""
    out = []
    if price < ctx.cost_fen:
        out.append(PriceViolation(
            "price_below_cost", f"{fmt_fen(price)} 低于成本 {fmt_fen(ctx.cost_fen)} below cost",
            price, ctx.cost_fen))
    if ctx.floor_price_fen is not None and price < ctx.floor_price_fen:
        out.append(PriceViolation(
            "price_below_floor",
            f"{fmt_fen(price)} 低于底价 {fmt_fen(ctx.floor_price_fen)} below the floor",
            price, ctx.floor_price_fen))
    drop = (ctx.list_price_fen - price) / ctx.list_price_fen
    if drop * 100 > ctx.max_drop_pct:
        lowest_allowed = -(-ctx.list_price_fen * (100 - ctx.max_drop_pct) // 100)
        out.append(PriceViolation(
            "price_drop_too_large",
            f"比原价 {fmt_fen(ctx.list_price_fen)} 降了 {drop:.0%}，超过 {ctx.max_drop_pct}% "
            "drop too large against list price", price, lowest_allowed))
    return out


def check_price(new_fen: int, ctx: PriceContext) -> list[PriceViolation]:
    """Every reason a typed price is wrong, most serious first. Empty = it may go live."""
    if new_fen <= 0:
        return [PriceViolation("price_not_positive", "价格必须大于 0 price must be positive",
                               new_fen, 1)]
    out = _floor_rules(new_fen, ctx)
    for factor, word in ((10, "十分之一 one tenth"), (0.1, "十倍 ten times")):
        ratio = new_fen * factor / ctx.planned_price_fen
        if DIGIT_SLIP_BAND[0] <= ratio <= DIGIT_SLIP_BAND[1]:
            out.append(PriceViolation(
                "price_digit_slip",
                f"约为计划价 {fmt_fen(ctx.planned_price_fen)} 的{word} of the planned price: "
                "a slipped digit?", new_fen, ctx.planned_price_fen))
    return out


@dataclass(frozen=True)
class Offer:
    """A unit price a viewer may be charged for the SKU before coupons."""

    source: str  # one of OFFER_SOURCES
    price_fen: int
    coupons_apply: bool = True
    ref: str | None = None


@dataclass(frozen=True)
class CouponRule:
    """What the guard needs of a coupon (the same terms orders.pricing.CouponTerms carries)."""

    id: str
    discount_fen: int
    threshold_fen: int = 0
    sku_id: str | None = None  # None = the whole order

    def per_unit_off(self, price_fen: int) -> int:
        """The most this coupon can take off one unit sold at price_fen (rounded up)."""
        if self.sku_id is not None:
            units = max(1, -(-self.threshold_fen // price_fen))
            return -(-self.discount_fen // units)
        return -(-self.discount_fen * price_fen // max(self.threshold_fen, price_fen))


@dataclass(frozen=True)
class PriceVerdict:
    sku_id: str
    lowest_fen: int
    lowest_source: str
    coupon_ids: tuple[str, ...]
    violations: list[PriceViolation] = field(default_factory=list)

    def blocking(self, accepted_floor_fen: int | None, planned_fen: int) -> list[PriceViolation]:
        """The violations no earlier audited override covers: an override accepted that a
        viewer may pay as little as accepted_floor_fen; a digit slipped upwards is never
        covered (an override says how low, not how high)."""
        if accepted_floor_fen is None:
            return list(self.violations)
        return [v for v in self.violations if v.price_fen < accepted_floor_fen
                or (v.code == "price_digit_slip" and v.price_fen > planned_fen)]


def lowest_price(sku_id: str, ctx: PriceContext, offers: Sequence[Offer],
                 coupons: Sequence[CouponRule] = ()) -> PriceVerdict:
    """The lowest unit price a viewer can pay for sku_id across offers and the coupons that
    apply to it, and every rule broken on the way: each offer is checked as a typed price
    (cost, floor, drop, digit slip); each offer with coupons once more after them (cost,
    floor, drop: a coupon slips no digit). Nothing to check → the live price only."""
    if not offers:
        raise ValueError("the guard needs at least one offer")
    mine = [c for c in coupons if c.sku_id in (None, sku_id)]
    violations: list[PriceViolation] = []
    lowest, lowest_source = offers[0].price_fen, offers[0].source
    lowest_coupons: tuple[str, ...] = ()
    for offer in offers:
        typed = check_price(offer.price_fen, ctx)
        violations += [_tag(v, offer, ()) for v in typed]
        net = offer.price_fen
        used: tuple[str, ...] = ()
        if offer.coupons_apply and mine and offer.price_fen > 0:
            net = max(0, offer.price_fen - sum(c.per_unit_off(offer.price_fen) for c in mine))
            used = tuple(c.id for c in mine)
            seen = {v.code for v in typed}
            violations += [_tag(v, offer, used) for v in _floor_rules(net, ctx)
                           if v.code not in seen]
        if net < lowest:
            lowest, lowest_source, lowest_coupons = net, offer.source, used
    return PriceVerdict(sku_id, lowest, lowest_source, lowest_coupons, violations)


def _tag(v: PriceViolation, offer: Offer, coupon_ids: tuple[str, ...]) -> PriceViolation:
    return PriceViolation(v.code, v.message, v.price_fen, v.limit_fen,
                          "coupon" if coupon_ids else offer.source, offer.ref, coupon_ids)


def bundle_share(bundle_price_fen: int, list_price_fen: int, bundle_list_total_fen: int) -> int:
    """A SKU's share of a bundle price, in proportion to list prices (rounded down, so the
    guard sees the lower of two candidate roundings)."""
    return bundle_price_fen * list_price_fen // bundle_list_total_fen
