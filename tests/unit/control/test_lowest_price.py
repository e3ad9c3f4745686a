"""The price guard's one function, table-driven over every kind of price and coupon, and
checked against the order pricing it must never be above."""

from __future__ import annotations

import itertools
import random

import pytest

from liveroom.console.pricing import (
    CouponRule,
    Offer,
    PriceContext,
    bundle_share,
    lowest_price,
)
from liveroom.core.errors import Invalid
from liveroom.orders.pricing import CouponTerms, Line, net_by_sku, price_order

# The pan: list ¥199, cost ¥80, planned ¥199, floor ¥90, a drop of at most 60% (to ¥79.60).
CTX = PriceContext(list_price_fen=19900, cost_fen=8000, planned_price_fen=19900,
                   floor_price_fen=9000, max_drop_pct=60)
LIVE = Offer("live", 19900)
PAN = "pan"

CASES = [
    # (case, offers, coupons, lowest, codes (rule:code), source of the lowest)
    ("live price alone passes", [LIVE], [], 19900, set(), "live"),
    ("live price below the floor", [Offer("live", 8500)], [], 8500,
     {"live:price_below_floor"}, "live"),
    ("live price below cost and the floor", [Offer("live", 7000)], [], 7000,
     {"live:price_below_cost", "live:price_below_floor", "live:price_drop_too_large"}, "live"),
    ("flash at ¥99 passes", [LIVE, Offer("flash", 9900, False)], [], 9900, set(), "flash"),
    ("flash at ¥9.90 for a ¥80 cost", [LIVE, Offer("flash", 990, False)], [], 990,
     {"flash:price_below_cost", "flash:price_below_floor", "flash:price_drop_too_large"},
     "flash"),
    ("flash at ¥0.01", [LIVE, Offer("flash", 1, False)], [], 1,
     {"flash:price_below_cost", "flash:price_below_floor", "flash:price_drop_too_large"},
     "flash"),
    ("flash at ¥19.90: a slipped digit too", [LIVE, Offer("flash", 1990, False)], [], 1990,
     {"flash:price_below_cost", "flash:price_below_floor", "flash:price_drop_too_large",
      "flash:price_digit_slip"}, "flash"),
    ("coupons never apply to a flash price",
     [LIVE, Offer("flash", 9900, False)], [CouponRule("c", 5000)], 9900, set(), "flash"),
    ("ladder steps all pass", [LIVE, Offer("ladder", 18900), Offer("ladder", 17900)], [],
     17900, set(), "ladder"),
    ("a ladder's last step below cost", [LIVE, Offer("ladder", 18900), Offer("ladder", 7900)],
     [], 7900, {"ladder:price_below_cost", "ladder:price_below_floor",
                "ladder:price_drop_too_large"}, "ladder"),
    ("fixed ¥30 on the order", [LIVE], [CouponRule("c", 3000)], 16900, set(), "coupon"),
    ("fixed ¥200 on a ¥199 SKU goes to zero", [LIVE], [CouponRule("c", 20000, sku_id=PAN)],
     0, {"coupon:price_below_cost", "coupon:price_below_floor",
         "coupon:price_drop_too_large"}, "coupon"),
    ("fixed ¥200 on the whole order", [LIVE], [CouponRule("c", 20000)], 0,
     {"coupon:price_below_cost", "coupon:price_below_floor", "coupon:price_drop_too_large"},
     "coupon"),
    ("a coupon for another SKU does not apply", [LIVE],
     [CouponRule("c", 20000, sku_id="other")], 19900, set(), "live"),
    ("满199减30 on the order", [LIVE], [CouponRule("c", 3000, 19900)], 16900, set(),
     "coupon"),
    ("满398减150 on this SKU: two units share it", [LIVE],
     [CouponRule("c", 15000, 39800, PAN)], 12400, set(), "coupon"),
    ("满1000减500 on the order: the pan bears its share", [LIVE],
     [CouponRule("c", 50000, 100000)], 19900 - 9950, set(), "coupon"),
    ("stacked: 满199减30 and 立减¥80", [LIVE],
     [CouponRule("a", 3000, 19900), CouponRule("b", 8000, sku_id=PAN)], 8900,
     {"coupon:price_below_floor"}, "coupon"),
    ("stacked to below cost", [LIVE],
     [CouponRule("a", 3000, 19900), CouponRule("b", 9000, sku_id=PAN)], 7900,
     {"coupon:price_below_cost", "coupon:price_below_floor",
      "coupon:price_drop_too_large"}, "coupon"),
    ("coupons on a ladder step", [LIVE, Offer("ladder", 12900)], [CouponRule("c", 4000)],
     8900, {"coupon:price_below_floor"}, "coupon"),
    ("member price passes", [LIVE, Offer("member", 15900, ref="gold")], [], 15900, set(),
     "member"),
    ("member price with a coupon below cost", [LIVE, Offer("member", 9900, ref="gold")],
     [CouponRule("c", 2000)], 7900,
     {"coupon:price_below_cost", "coupon:price_below_floor",
      "coupon:price_drop_too_large"}, "coupon"),
    ("bundle share below the floor", [LIVE, Offer("bundle", bundle_share(29900, 19900, 39800))],
     [], 14950, set(), "bundle"),
    ("bundle share below cost", [LIVE, Offer("bundle", bundle_share(14900, 19900, 39800))],
     [], 7450, {"bundle:price_below_cost", "bundle:price_below_floor",
                "bundle:price_drop_too_large"}, "bundle"),
    ("a price that breaks a rule is not reported again after coupons",
     [Offer("live", 7000)], [CouponRule("c", 1000)], 6000,
     {"live:price_below_cost", "live:price_below_floor", "live:price_drop_too_large"},
     "coupon"),
]


@pytest.mark.parametrize(("offers", "coupons", "lowest", "codes", "source"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_lowest_price_and_its_violations(offers, coupons, lowest, codes, source):
    verdict = lowest_price(PAN, CTX, offers, coupons)
    assert verdict.lowest_fen == lowest
    assert ("coupon" if verdict.coupon_ids else verdict.lowest_source) == source
    assert {f"{v.source}:{v.code}" for v in verdict.violations} == codes


def test_a_violation_names_the_price_the_limit_and_the_coupons():
    verdict = lowest_price(PAN, CTX, [LIVE], [CouponRule("big", 20000, sku_id=PAN)])
    cost = next(v for v in verdict.violations if v.code == "price_below_cost")
    assert cost.to_dict() == {"code": "price_below_cost", "message": cost.message,
                              "rule": "coupon", "price_fen": 0, "limit_fen": 8000,
                              "ref": None, "coupon_ids": ["big"]}
    assert verdict.coupon_ids == ("big",)


def test_an_override_covers_what_it_accepted_and_nothing_lower():
    verdict = lowest_price(PAN, CTX, [LIVE, Offer("flash", 7000, False)])
    assert verdict.blocking(None, 19900)
    assert verdict.blocking(7000, 19900) == []
    assert {v.code for v in verdict.blocking(7500, 19900)} == {
        "price_below_cost", "price_below_floor", "price_drop_too_large"}


def test_an_override_never_covers_a_digit_slipped_upwards():
    verdict = lowest_price(PAN, PriceContext(199000, 1000, 19900, None, 60),
                           [Offer("live", 199000)])
    assert [v.code for v in verdict.blocking(100, 19900)] == ["price_digit_slip"]


def test_a_price_of_zero_is_not_positive():
    verdict = lowest_price(PAN, CTX, [Offer("flash", 0, False), LIVE])
    assert verdict.violations[0].code == "price_not_positive"


def test_the_guard_needs_an_offer():
    with pytest.raises(ValueError):
        lowest_price(PAN, CTX, [])


def _orders(price: int, coupons: list[CouponTerms]):
    """Every order of the pan (1–6 units, alone or with ¥50 or ¥300 of other goods) with
    every ordered subset of the coupons that order pricing accepts."""
    for qty, other in itertools.product(range(1, 7), (0, 5000, 30000)):
        lines = [Line(PAN, qty, price)] + ([Line("other", 1, other)] if other else [])
        for n in range(len(coupons) + 1):
            for chosen in itertools.permutations(coupons, n):
                try:
                    breakdown = price_order(lines, chosen)
                except Invalid:
                    continue
                yield qty, net_by_sku(lines, chosen, breakdown)[PAN]


def test_no_order_ever_charges_less_per_unit_than_the_guard_says():
    rng = random.Random(8)
    for _ in range(300):
        price = rng.choice([990, 4900, 19900, 29900])
        coupons = []
        for i in range(rng.randint(1, 3)):
            threshold = rng.choice([0, 9900, 19900, 39800, 100000])
            discount = rng.randint(1, max(1, threshold - 1) if threshold else 30000)
            coupons.append(CouponTerms(f"c{i}", f"c{i}", "threshold" if threshold else "fixed",
                                       discount, threshold, rng.choice([None, PAN, "other"])))
        rules = [CouponRule(c.id, c.discount_fen, c.threshold_fen, c.sku_id) for c in coupons]
        guard = lowest_price(PAN, CTX, [Offer("live", price)], rules).lowest_fen
        for qty, net in _orders(price, coupons):
            assert net / qty >= guard, (price, coupons, qty, net)
