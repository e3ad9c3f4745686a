"""The one pricing function: lines, coupons (满减 / 立减, order-wide or per SKU), shipping."""

from __future__ import annotations

import pytest

from liveroom.core.errors import Invalid
from liveroom.orders.pricing import CouponTerms, Line, ShippingRule, flash_breakdown, price_order


def test_lines_add_up_without_coupons() -> None:
    b = price_order([Line("a", 2, 1990), Line("b", 1, 5000)])
    assert (b.subtotal_fen, b.discounts, b.shipping_fen, b.total_fen) == (8980, [], 0, 8980)


def test_threshold_coupon_applies_once_the_spend_is_reached() -> None:
    full_reduction = CouponTerms("c1", "满100减20", "threshold", 2000, threshold_fen=10000)
    b = price_order([Line("a", 1, 12000)], [full_reduction])
    assert b.total_fen == 10000
    assert b.discounts == [{"coupon_id": "c1", "name": "满100减20", "kind": "threshold",
                            "amount_fen": 2000}]


def test_threshold_not_met_is_refused_not_ignored() -> None:
    c = CouponTerms("c1", "满100减20", "threshold", 2000, threshold_fen=10000)
    with pytest.raises(Invalid) as err:
        price_order([Line("a", 1, 9999)], [c])
    assert err.value.code == "coupon_threshold_not_met"


def test_coupons_stack_in_order_on_what_is_left() -> None:
    threshold = CouponTerms("t", "满50减10", "threshold", 1000, threshold_fen=5000)
    fixed = CouponTerms("f", "立减5", "fixed", 500)
    b = price_order([Line("a", 1, 5500)], [fixed, threshold])
    assert b.total_fen == 4000  # 5500 - 500 = 5000 still reaches the 满50 threshold
    with pytest.raises(Invalid):
        price_order([Line("a", 1, 5200)], [fixed, threshold])  # 4700 < 5000


def test_a_sku_coupon_covers_only_its_lines_and_never_goes_negative() -> None:
    c = CouponTerms("s", "单品立减", "fixed", 99999, sku_id="b")
    b = price_order([Line("a", 1, 3000), Line("b", 2, 1000)], [c])
    assert b.discounts[0]["amount_fen"] == 2000 and b.total_fen == 3000
    with pytest.raises(Invalid) as err:
        price_order([Line("a", 1, 3000)], [c])
    assert err.value.code == "coupon_not_applicable"


def test_shipping_is_free_over_the_threshold_of_discounted_goods() -> None:
    rule = ShippingRule(fee_fen=800, free_over_fen=9900)
    assert price_order([Line("a", 1, 9900)], shipping=rule).total_fen == 9900
    b = price_order([Line("a", 1, 9900)], [CouponTerms("f", "立减1", "fixed", 100)], rule)
    assert (b.shipping_fen, b.total_fen) == (800, 9800 + 800)


def test_bad_input_is_refused() -> None:
    with pytest.raises(Invalid):
        price_order([])
    with pytest.raises(Invalid):
        price_order([Line("a", 0, 100)])
    c = CouponTerms("f", "x", "fixed", 100)
    with pytest.raises(Invalid):
        price_order([Line("a", 1, 1000)], [c, c])


def test_a_flash_order_is_one_line_at_the_flash_price() -> None:
    assert flash_breakdown(1990, 2).as_dict() == {
        "subtotal_fen": 3980, "discounts": [], "shipping_fen": 0, "total_fen": 3980}
