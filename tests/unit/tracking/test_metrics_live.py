"""Live metrics, alerts and channel attribution as pure functions over in-memory events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from liveroom.metrics.alerts import AlertRules, evaluate
from liveroom.metrics.attribution import channel_table
from liveroom.metrics.live import LiveAggregator, OrderFact
from liveroom.tracking.model import EventType, TrackingEvent

T0 = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)
_n = iter(range(1, 10**6))


def e(kind, buyer, minute=0.0, sku=None, channel="", **props):
    return TrackingEvent(f"evt-{next(_n):08d}", EventType(kind), "s1", buyer,
                         T0 + timedelta(minutes=minute), channel=channel, sku_id=sku,
                         props=props)


def paid(oid, buyer, fen, minute, sku="k1", channel=None):
    at = T0 + timedelta(minutes=minute)
    return OrderFact(oid, buyer, "paid", fen, at, at, ((sku, 1, fen),), channel)


def test_online_dwell_funnel_and_money_from_events_and_orders():
    agg = LiveAggregator()
    agg.apply([e("room_impression", "a"), e("room_impression", "b"), e("room_impression", "c"),
               e("enter", "a"), e("enter", "b", 1), e("product_impression", "a", 1, "k1"),
               e("product_click", "a", 1.5, "k1"), e("add_to_cart", "a", 2, "k1"),
               e("like", "a", 2, count=30), e("comment", "a", 2),
               e("payment_failure", "a", 2.5), e("leave", "b", 3, dwell_seconds=120)])
    orders = [paid("o1", "a", 19900, 3),
              OrderFact("o2", "b", "expired", 5000, T0, None, (("k1", 1, 5000),))]
    snap = agg.snapshot(orders, T0 + timedelta(minutes=4), {"k1": "不粘锅"})
    assert (snap["online"], snap["unique_viewers"], snap["peak_online"]) == (1, 2, 2)
    assert snap["gmv_fen"] == 19900 and (snap["orders"], snap["paid_orders"]) == (2, 1)
    assert snap["conversion_rate"] == 0.5 and snap["uv_value_fen"] == 9950
    assert snap["gpm_fen"] == 19900 * 1000 // 2
    assert snap["avg_dwell_seconds"] == (120 + 240) / 2  # b left; a has stayed 4 minutes
    # b ordered (and let the order expire) without a cart event: an order means the
    # product was carted, so the funnel never narrows and then widens again
    assert snap["funnel"] == {"impressions": 3, "enters": 2, "product_impressions": 2,
                              "clicks": 2, "carts": 2, "orders": 2, "paid": 1}
    assert snap["likes"] == 30 and snap["payment_success_rate"] == 0.5
    top = snap["per_product"][0]
    assert top["name"] == "不粘锅" and top["gmv_fen"] == 19900
    assert (top["clicks"], top["carts"], top["orders"], top["paid"]) == (2, 2, 2, 1)
    assert [m["online"] for m in snap["timeline"]] == [1, 2, 2, 1]


def test_folding_in_pieces_gives_the_same_answer_as_all_at_once():
    events = [e("enter", f"v{i}", i / 10) for i in range(50)] + \
             [e("leave", f"v{i}", 5 + i / 10) for i in range(0, 50, 2)]
    whole, parts = LiveAggregator(), LiveAggregator()
    whole.apply(events)
    for k in range(0, len(events), 7):
        parts.apply(events[k:k + 7])
    assert whole.snapshot([], T0) == parts.snapshot([], T0)


def timeline(online, enters=None, paid=None, fails=None):
    n = len(online)
    return [{"minute": (T0 + timedelta(minutes=i)).isoformat(), "online": online[i],
             "enters": (enters or [0] * n)[i], "paid_orders": (paid or [0] * n)[i],
             "payment_failures": (fails or [0] * n)[i]} for i in range(n)]


def test_a_28_percent_viewer_drop_suggests_a_lucky_bag():
    alerts = evaluate(timeline([1000] * 15 + [720]))
    assert [a["code"] for a in alerts] == ["viewer_drop"]
    assert alerts[0]["change_pct"] == -28.0 and "福袋" in alerts[0]["suggestion"]
    assert evaluate(timeline([1000] * 15 + [900])) == []


def test_payment_failures_alert_against_the_session_baseline():
    n = 20
    fails = [0] * 15 + [2] * 5  # 10 failures of 60 attempts lately
    paid_ = [10] * 15 + [10] * 5
    alerts = evaluate(timeline([500] * n, paid=paid_, fails=fails))
    assert alerts[0]["code"] == "payment_failure_rate" and alerts[0]["severity"] == "critical"


def test_conversion_drop_compares_recent_minutes_with_the_ones_before():
    enters = [20] * 20
    paid_ = [4] * 15 + [0] * 5
    codes = [a["code"] for a in evaluate(timeline([500] * 20, enters, paid_), AlertRules())]
    assert codes == ["conversion_drop"]


def test_channels_attribute_viewers_by_first_touch_and_compute_roi():
    first = {"a": "feed_ads", "b": "feed_ads", "c": "community", "d": "recommendation"}
    orders = [paid("o1", "a", 40000, 1), paid("o2", "c", 10000, 2, channel="community"),
              paid("o3", "d", 5000, 3, channel="wecom")]  # stamped at checkout: wins
    table = channel_table(first, first.keys(), orders, {"feed_ads": 10000})
    rows = {r["channel"]: r for r in table["channels"]}
    assert rows["feed_ads"]["viewers"] == 2 and rows["feed_ads"]["roi"] == 4.0
    assert rows["community"]["gmv_fen"] == 10000 and rows["wecom"]["gmv_fen"] == 5000
    assert table["groups"]["natural"]["viewers"] == 1
    assert table["total"]["gmv_fen"] == 55000


def test_carts_that_lapse_unpaid_raise_a_cart_failure_alert_against_the_baseline():
    n = 20
    rows = timeline([500] * n)
    for i, row in enumerate(rows):
        row["orders"] = 10
        row["lapsed_orders"] = 1 if i < 15 else 5  # 10% before, 50% in the last 5 minutes
    alerts = evaluate(rows)
    assert [a["code"] for a in alerts] == ["cart_failure_rate"]
    assert alerts[0]["severity"] == "critical" and alerts[0]["baseline"] == 0.1
    for row in rows[15:]:
        row["lapsed_orders"] = 1  # back to the show's own rate: nothing fires
    assert evaluate(rows) == []
