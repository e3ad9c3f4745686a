"""One definition of every metric: the review's counts-only engine (metrics.counts) gives
exactly the figures of the live fold and of the full batch engine: the snapshot (funnel,
per-product stages, timeline, dwell, online) and the channel table, on generated logs with
refunds, repeated events, buyers across channels and buyers who ordered without events."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest

from liveroom.metrics import counts
from liveroom.metrics.attribution import channel_table, channel_table_of
from liveroom.metrics.batch import fold_frame, frame_from_events
from liveroom.metrics.counts import counts_frame
from liveroom.metrics.live import LiveAggregator, OrderFact, viewers
from liveroom.tracking.model import EventType, TrackingEvent

from .test_batch_equals_fold import START, generated_log, generated_orders

NAMES = {"s1": "围巾", "s2": "手套"}
SPEND = {"douyin_feed": 50_000, "kol": 20_000}


def orders_with_channels(seed: int) -> list[OrderFact]:
    """Orders of buyers with and without events, some stamped with a channel at checkout,
    some refunded."""
    rng = random.Random(seed + 2)
    out = []
    for o in generated_orders(seed):
        channel = rng.choice([None, None, "kol", "followers", "not_a_channel"])
        out.append(OrderFact(o.order_id, o.buyer_id, o.status, o.total_fen, o.created_at,
                             o.paid_at, o.items, channel))
    return out


def figures(agg: LiveAggregator, orders: list[OrderFact]) -> tuple[dict, dict]:
    now = START + timedelta(minutes=40)
    snap = agg.snapshot(orders, now, NAMES, since=START, server_comments=3)
    return snap, channel_table(agg.first_channel, viewers(agg) | {o.buyer_id for o in orders},
                               orders, SPEND, {"kol": 2})


@pytest.mark.parametrize("seed", range(40))
def test_the_counts_engine_gives_the_review_figures_of_the_fold(seed):
    log = generated_log(seed, random.Random(seed).randint(0, 600))
    orders = orders_with_channels(seed)
    folded = LiveAggregator()
    folded.apply(e for _, e in log)
    frame = frame_from_events(log)
    counts = counts_frame(frame, {o.buyer_id for o in orders})
    now = START + timedelta(minutes=40)
    expected_snap, expected_channels = figures(folded, orders)
    assert counts.snapshot(orders, now, NAMES, since=START, server_comments=3) == expected_snap
    assert channel_table_of(counts.channel_viewers(orders), counts.first_channel, orders,
                            SPEND, {"kol": 2}) == expected_channels
    assert figures(fold_frame(frame), orders) == (expected_snap, expected_channels)


@pytest.mark.parametrize("seed", [1, 5, 9])
def test_products_scattered_a_few_at_a_time_give_the_same_figures(seed, monkeypatch):
    """With more (product, buyer) cells than one scatter may hold, products are counted in
    batches: here one product per batch."""
    log = frame_from_events(generated_log(seed, 500))
    orders = orders_with_channels(seed)
    keep = {o.buyer_id for o in orders}
    now = START + timedelta(minutes=40)
    whole = counts_frame(log, keep).snapshot(orders, now, since=START)
    monkeypatch.setattr(counts, "_CELLS", 1)
    assert counts_frame(log, keep).snapshot(orders, now, since=START) == whole


def test_seq_order_not_row_order_decides():
    log = generated_log(3, 400)
    orders = orders_with_channels(3)
    folded = LiveAggregator()
    folded.apply(e for _, e in log)
    shuffled = frame_from_events(log).sample(fraction=1.0, shuffle=True, seed=1)
    counts = counts_frame(shuffled.lazy(), {o.buyer_id for o in orders})
    now = START + timedelta(minutes=40)
    assert counts.snapshot(orders, now, since=START) == folded.snapshot(orders, now,
                                                                        since=START)


def test_edge_cases_by_hand():
    """A buyer entering twice, leaving twice, present at the end; a buyer who reached the
    cart through one channel and ordered through another; a refund."""
    def ev(seq, etype, buyer, minute, channel="", sku=None, **props):
        return (seq, TrackingEvent(event_id=f"e{seq}", type=etype, session_id="s",
                                   ts=START + timedelta(minutes=minute), buyer_id=buyer,
                                   channel=channel, sku_id=sku, props=props))
    E = EventType
    log = [ev(1, E.ENTER, "a", 0, "kol"), ev(2, E.ENTER, "a", 1, "followers"),
           ev(3, E.LEAVE, "a", 3), ev(4, E.LEAVE, "a", 4), ev(5, E.ENTER, "a", 5),
           ev(6, E.ROOM_IMPRESSION, "b", 0), ev(7, E.ADD_TO_CART, "b", 2, "douyin_feed",
                                                 sku="s1"),
           ev(8, E.LIKE, "b", 2, count=4), ev(9, E.PAYMENT_FAILURE, "b", 2),
           ev(10, E.PAYMENT_FAILURE, "b", 2, order_id="o1")]
    paid = START + timedelta(minutes=3)
    orders = [OrderFact("o1", "b", "refunded", 9900, START, paid, (("s1", 1, 9900),), "kol"),
              OrderFact("o2", "c", "paid", 500, START, paid, (("s2", 1, 500),))]
    folded = LiveAggregator()
    folded.apply(e for _, e in log)
    counts = counts_frame(frame_from_events(log), {"b", "c"})
    assert counts.snapshot(orders, paid, since=START) == folded.snapshot(orders, paid,
                                                                        since=START)
    assert counts.channel_viewers(orders) == Counter({"kol": 1, "douyin_feed": 1, "other": 1})
    assert counts.snapshot(orders, paid)["funnel"]["carts"] == 2
    with pytest.raises(TypeError):
        counts.apply([])
