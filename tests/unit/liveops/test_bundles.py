from liveroom.console.pricing import CouponRule, PriceContext
from liveroom.liveops.bundles import PricedSku, aov_uplift, bundle_price, rules


def test_pair_rules_support_confidence_lift_by_hand():
    # given: 10 baskets; A in 5, B in 4, A&B in 3; C in 6, A&C in 2
    baskets = ([frozenset("AB")] * 3 + [frozenset("AC")] * 2 + [frozenset("B")]
               + [frozenset("C")] * 4)
    # when
    out = {r.skus: r for r in rules(baskets, min_support=0.0, min_confidence=0.0)}
    # then: A&B: support 3/10, conf max(3/5, 3/4) = .75, lift 3×10/(5×4) = 1.5
    ab = out[("A", "B")]
    assert (ab.together, ab.support, ab.confidence, ab.lift) == (3, 0.3, 0.75, 1.5)
    # A&C: lift 2×10/(5×6) = 0.667 < 1: not a rule
    assert ("A", "C") not in out


def test_thresholds_filter_rules():
    baskets = [frozenset("AB")] * 2 + [frozenset("A")] * 8 + [frozenset("B")] * 8 + \
              [frozenset("D")] * 82
    # support 0.02, confidence 2/10 = 0.2, lift 2×100/(10×10) = 2
    assert [r.skus for r in rules(baskets, min_support=0.02, min_confidence=0.2)] == [("A", "B")]
    assert rules(baskets, min_support=0.03) == []


def _sku(sku: str, price: int, cost: int, floor: int | None = None, drop: int = 50,
         coupons: tuple[CouponRule, ...] = ()) -> PricedSku:
    return PricedSku(sku, price, PriceContext(price, cost, price, floor, drop), coupons)


def test_bundle_takes_the_target_discount_when_margin_allows():
    # 100 + 100 yuan, costs 50: 10 % off → 180 yuan, shares 90 each ≥ cost
    out = bundle_price([_sku("A", 10000, 5000), _sku("B", 10000, 5000)], target_pct=10)
    assert (out.list_total_fen, out.price_fen, out.discount_pct) == (20000, 18000, 10.0)


def test_bundle_stops_at_the_floor():
    # A 100 yuan with floor 95: share of A = price/2 ≥ 9500 → price ≥ 19000
    out = bundle_price([_sku("A", 10000, 5000, floor=9500), _sku("B", 10000, 5000)])
    assert out.price_fen == 19000 and out.discount_pct == 5.0


def test_bundle_counts_coupons_that_stack_on_it():
    # a 20-yuan coupon on A applies to the bundle share too: share − 20 ≥ cost 80 → share ≥ 100
    coupon = CouponRule("c1", 2000, 0, "A")
    out = bundle_price([_sku("A", 11000, 8000, coupons=(coupon,)), _sku("B", 11000, 5000)])
    assert out.price_fen == 20000  # share of A = 10000; 10000 − 2000 = 8000 = cost


def test_no_bundle_when_even_one_yuan_off_breaks_margin():
    out = bundle_price([_sku("A", 10000, 10000), _sku("B", 10000, 10000)])
    assert out.price_fen == 0 and out.discount_pct == 0.0


def test_aov_uplift_of_baskets_with_the_pair():
    orders = [(frozenset("AB"), 300), (frozenset("ABC"), 500), (frozenset("A"), 100),
              (frozenset("C"), 200)]
    # with pair: (300+500)/2 = 400; others (100+200)/2 = 150; uplift 400/150 − 1
    assert aov_uplift(orders, ("A", "B")) == (400, 150, round(400 / 150 - 1, 4))
