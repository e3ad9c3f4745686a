"""Interest groups and repurchase due dates: pure rules over purchases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from liveroom.crm.community import Purchase, interest_groups, repeat_intervals, repurchase_due

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def bought(buyer: str, product: str, day: float, category: str = "厨具") -> Purchase:
    return Purchase(buyer, product, category, T0 + timedelta(days=day))


def test_groups_gather_the_buyers_of_each_category() -> None:
    purchases = [bought("amy", "pan", 0), bought("amy", "pan", 30), bought("bob", "pan", 1),
                 bought("bob", "soap", 2, "个护")]
    assert interest_groups(purchases) == {"厨具": {"amy": 2, "bob": 1}, "个护": {"bob": 1}}
    assert interest_groups(purchases, min_orders=2) == {"厨具": {"amy": 2}}


def test_the_interval_is_the_median_gap_between_repeat_purchases() -> None:
    purchases = [bought("amy", "soap", 0), bought("amy", "soap", 30), bought("amy", "soap", 60),
                 bought("bob", "soap", 0), bought("bob", "soap", 40),
                 bought("bob", "soap", 40.1),  # the same day: one purchase
                 bought("cat", "pan", 0)]  # bought once: no interval
    assert repeat_intervals(purchases) == {"soap": timedelta(days=30)}


def test_reminders_fall_due_at_the_last_purchase_plus_the_interval() -> None:
    purchases = [bought("amy", "soap", 0), bought("amy", "soap", 30), bought("bob", "soap", 10),
                 bought("cat", "pan", 5)]
    due = repurchase_due(purchases, stated={"pan": timedelta(days=90)})
    assert [(d.buyer_id, d.product_id, (d.due_at - T0).days) for d in due] == \
        [("bob", "soap", 40), ("amy", "soap", 60), ("cat", "pan", 95)]
