from datetime import UTC, datetime, timedelta

from liveroom.liveops.abandonment import (
    Cart,
    Intervention,
    OrderFact,
    abandoned,
    recovered,
)

T0 = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def m(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_a_buyer_who_carted_and_did_not_order_within_n_minutes_is_found():
    # given: u1 carted at 0 and 2 (two skus), no order; u2 carted at 1 and ordered at 3;
    # u3 carted at 8 (only 2 minutes before now); u4 ordered at 1, carted again at 4
    carts = [Cart("u1", "A", m(0)), Cart("u1", "B", m(2)), Cart("u1", "A", m(3)),
             Cart("u2", "A", m(1)), Cart("u3", "C", m(8)), Cart("u4", "A", m(0.5)),
             Cart("u4", "B", m(4))]
    orders = [OrderFact("o2", "u2", m(3), 100, True), OrderFact("o4", "u4", m(1), 100, True)]
    # when: now = 10, N = 5 minutes
    out = abandoned(carts, orders, m(10), timedelta(minutes=5))
    # then: u1 (oldest open cart at 0, 10 min) and u4 (open cart at 4, 6 min)
    assert [(a.buyer_id, a.sku_ids, a.carted_at) for a in out] == [
        ("u1", ("A", "B"), m(0)), ("u4", ("B",), m(4))]
    assert out[0].waiting == timedelta(minutes=10)


def test_exactly_n_minutes_counts_and_future_facts_are_ignored():
    carts = [Cart("u1", "A", m(0)), Cart("u2", "A", m(11))]
    orders = [OrderFact("o", "u1", m(12), 100, True)]  # after now: not yet placed
    out = abandoned(carts, orders, m(5), timedelta(minutes=5))
    assert [a.buyer_id for a in out] == ["u1"]


def test_recovered_gmv_counts_paid_orders_of_targeted_buyers_after_the_intervention():
    # given: intervention at 10 targeting u1, u2; another at 20 targeting u3
    ivs = [Intervention(m(10), frozenset({"u1", "u2"})), Intervention(m(20), frozenset({"u3"}))]
    orders = [OrderFact("a", "u1", m(12), 5000, True),   # counts
              OrderFact("b", "u2", m(9), 7000, True),    # before: no
              OrderFact("c", "u2", m(15), 3000, False),  # unpaid: no
              OrderFact("d", "u3", m(19), 1000, True),   # before its intervention: no
              OrderFact("e", "u3", m(25), 2000, True),   # counts
              OrderFact("f", "u9", m(30), 9000, True)]   # not targeted: no
    # when / then
    assert recovered(ivs, orders) == (7000, 2)


def test_a_buyer_already_nudged_for_this_cart_is_not_targeted_again():
    from liveroom.liveops.abandonment import Abandoned, not_yet_targeted
    found = [Abandoned("u1", ("A",), m(0), timedelta(minutes=10)),
             Abandoned("u2", ("A",), m(6), timedelta(minutes=5))]
    # u1 nudged at 5 (after carting at 0); u2 nudged at 5 for an older cart (before 6)
    ivs = [Intervention(m(5), frozenset({"u1", "u2"}))]
    assert [a.buyer_id for a in not_yet_targeted(found, ivs)] == ["u2"]
