from datetime import UTC, datetime

from liveroom.catalog.history import OrderLine, combined, observed
from liveroom.catalog.model import Product, Sku, Tier, selection_score


def lines(n: int, refunded: int, sku: str = "apron-m") -> list[OrderLine]:
    return [OrderLine(f"o{i}", f"b{i % (n // 2)}", "refunded" if i < refunded else "paid", sku)
            for i in range(n)]


def test_orders_returns_buyers_and_repeat_buyers_per_product():
    owner = {"apron-m": "apron", "apron-l": "apron", "pan": "pan"}
    got = observed(lines(100, 11) + [OrderLine("x", "b1", "expired", "pan")],
                   {"apron-m": 700, "apron-l": 300, "ghost": 5}, owner)
    assert got["apron"] == {"views": 1000, "orders": 100, "returns": 11, "buyers": 50,
                            "repeat_buyers": 50}
    assert got["pan"] == {"views": 0, "orders": 0, "returns": 0, "buyers": 0,
                          "repeat_buyers": 0}


def test_rising_returns_lower_the_selection_score():
    sku = Sku("apron-m", "apron", "AP-M", "M", 5900, 2000, 500)
    baseline = {"views": 5000, "orders": 600, "returns": 12, "buyers": 500,
                "repeat_buyers": 90}
    before = Product("apron", "围裙", "家居", Tier.PROFIT, datetime.now(UTC), skus=[sku],
                     history=baseline)
    owner = {"apron-m": "apron"}
    after = Product("apron", "围裙", "家居", Tier.PROFIT, datetime.now(UTC), skus=[sku],
                    history=combined(baseline, observed(lines(200, 60), {}, owner)["apron"]))
    assert selection_score(after).value < selection_score(before).value
    assert any("退货率" in r and "too high" in r for r in selection_score(after).reasons)
