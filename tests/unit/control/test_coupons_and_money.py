from datetime import UTC, datetime, timedelta

import pytest

from liveroom.catalog.model import Product, Sku, Tier, selection_score
from liveroom.console.model import Coupon, CouponKind, LadderStep, validate_ladder
from liveroom.core.errors import Invalid
from liveroom.core.money import Money

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def coupon(**kw) -> Coupon:
    base = dict(id="c", session_id="s", name="满199减30", kind=CouponKind.THRESHOLD,
                discount_fen=3000, threshold_fen=19900, total=100, valid_from=NOW,
                valid_until=NOW + timedelta(hours=3), created_at=NOW, status="issued")
    return Coupon(**{**base, **kw})


def test_threshold_coupon_applies_only_at_or_above_threshold():
    c = coupon()
    assert c.discount_on(19899) == 0
    assert c.discount_on(19900) == 3000


def test_fixed_coupon_never_takes_more_than_the_subtotal():
    c = coupon(kind=CouponKind.FIXED, threshold_fen=0, discount_fen=5000)
    assert c.discount_on(3000) == 3000


def test_threshold_must_exceed_discount():
    with pytest.raises(Invalid):
        coupon(threshold_fen=2000).validate()


def test_coupon_usable_only_when_issued_and_in_window():
    c = coupon()
    assert c.usable(NOW)
    assert not c.usable(NOW + timedelta(hours=3))
    assert not coupon(status="draft").usable(NOW)


def test_ladder_steps_must_sell_more_and_cost_less():
    validate_ladder([LadderStep(0, 9900), LadderStep(100, 8900)])
    with pytest.raises(Invalid):
        validate_ladder([LadderStep(0, 9900), LadderStep(100, 9900)])


def test_money_parses_yuan_exactly_and_formats():
    assert Money.yuan("19.9") == Money(1990)
    assert str(Money(5620000000)) == "¥56,200,000.00"
    assert Money(1999).share(1, 3) == Money(666)
    with pytest.raises(ValueError):
        Money.yuan("1.999")
    with pytest.raises(TypeError):
        Money(1.5)  # type: ignore[arg-type]


def test_selection_score_rewards_conversion_and_punishes_returns():
    sku = Sku("s", "p", "C", "", 9900, 4000, 300)
    good = Product("p", "围裙", "家居", Tier.PROFIT, NOW, skus=[sku],
                   history={"views": 10000, "orders": 1500, "returns": 30, "buyers": 1200,
                            "repeat_buyers": 300})
    bad = Product("p", "围裙", "家居", Tier.PROFIT, NOW, skus=[sku],
                  history={"views": 10000, "orders": 1500, "returns": 165, "buyers": 1200,
                           "repeat_buyers": 300})
    g, b = selection_score(good), selection_score(bad)
    assert g.value > b.value
    assert any("退货率" in r and "too high" in r for r in b.reasons)
