"""Bundle suggestions (组合推荐): association rules over orders, and a bundle price that
keeps margin. Pure.

Baskets are the sets of SKUs in paid orders (this show and earlier ones). For a pair
{A, B}: support = baskets with both / baskets; confidence(A→B) = baskets with both /
baskets with A; lift = confidence(A→B) / (baskets with B / baskets). A pair is suggested
when its support, its better confidence and its lift pass the thresholds. The bundle's price
is the deepest discount up to `target_pct` off the pair's live prices at which every SKU's
share (console.pricing.bundle_share) passes the price guard (console.pricing.lowest_price
with the share as a bundle offer, coupons included): a bundle that would sell below cost,
floor or the allowed drop is cheaper only as far as the guard allows, or not offered."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from liveroom.console.pricing import (
    CouponRule,
    Offer,
    PriceContext,
    bundle_share,
    lowest_price,
)

MIN_SUPPORT = 0.01
MIN_CONFIDENCE = 0.2
MIN_LIFT = 1.0
TARGET_PCT = 10  # the discount a bundle aims for


@dataclass(frozen=True)
class Rule:
    skus: tuple[str, str]  # sorted
    together: int  # baskets with both
    support: float
    confidence: float  # the better of A→B and B→A
    lift: float


@dataclass(frozen=True)
class PricedSku:
    sku_id: str
    live_price_fen: int
    ctx: PriceContext
    coupons: tuple[CouponRule, ...] = ()


@dataclass(frozen=True)
class BundlePrice:
    list_total_fen: int
    price_fen: int  # 0 when no discount keeps margin
    discount_pct: float


def rules(baskets: Iterable[frozenset[str]], min_support: float = MIN_SUPPORT,
          min_confidence: float = MIN_CONFIDENCE, min_lift: float = MIN_LIFT) -> list[Rule]:
    """Pair rules over baskets, strongest lift first (ties: more baskets together)."""
    singles: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    n = 0
    for basket in baskets:
        n += 1
        singles.update(basket)
        pairs.update(combinations(sorted(basket), 2))
    out = []
    for (a, b), both in pairs.items():
        support = both / n
        confidence = max(both / singles[a], both / singles[b])
        lift = both * n / (singles[a] * singles[b])
        if support >= min_support and confidence >= min_confidence and lift > min_lift:
            out.append(Rule((a, b), both, round(support, 4), round(confidence, 4),
                            round(lift, 4)))
    return sorted(out, key=lambda r: (-r.lift, -r.together, r.skus))


_REF = "suggested-bundle"


def _passes(items: Sequence[PricedSku], price_fen: int, list_total: int) -> bool:
    """No guard rule broken by the bundle offer (with or without coupons); what the live
    price alone breaks is the console's business, not the bundle's."""
    for item in items:
        share = bundle_share(price_fen, item.live_price_fen, list_total)
        offers = [Offer("live", item.live_price_fen), Offer("bundle", share, ref=_REF)]
        verdict = lowest_price(item.sku_id, item.ctx, offers, item.coupons)
        if any(v.ref == _REF for v in verdict.violations):
            return False
    return True


def bundle_price(items: Sequence[PricedSku], target_pct: int = TARGET_PCT) -> BundlePrice:
    """The lowest bundle price (whole yuan) between target_pct off and the list total at
    which no SKU's share breaks a guard rule; price 0 when even 1 yuan off breaks one."""
    total = sum(i.live_price_fen for i in items)
    lowest = -(-total * (100 - target_pct) // 100)
    lo_yuan, hi_yuan = -(-lowest // 100), (total - 1) // 100  # candidate prices, whole yuan
    if hi_yuan < lo_yuan or not _passes(items, hi_yuan * 100, total):
        return BundlePrice(total, 0, 0.0)
    while lo_yuan < hi_yuan:  # passing is monotone in the price: a higher price passes too
        mid = (lo_yuan + hi_yuan) // 2
        if _passes(items, mid * 100, total):
            hi_yuan = mid
        else:
            lo_yuan = mid + 1
    price = hi_yuan * 100
    return BundlePrice(total, price, round((total - price) * 100 / total, 1))


def aov_uplift(orders: Iterable[tuple[frozenset[str], int]],
               pair: tuple[str, str]) -> tuple[int, int, float | None]:
    """(AOV of paid orders holding both SKUs, AOV of the others, relative uplift): what a
    basket with the pair was worth against the rest, in fen."""
    with_pair = [total for skus, total in orders if set(pair) <= skus]
    return _aov_split(with_pair, [total for skus, total in orders if not set(pair) <= skus])


def _aov_split(inside: list[int], outside: list[int]) -> tuple[int, int, float | None]:
    a = sum(inside) // len(inside) if inside else 0
    b = sum(outside) // len(outside) if outside else 0
    return a, b, (round(a / b - 1, 4) if inside and b else None)
