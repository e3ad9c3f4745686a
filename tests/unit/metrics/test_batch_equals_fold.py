"""One definition of every metric: the live fold (event by event) and the batch engine
(Polars over the whole log) give the same answers on the same generated events."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from liveroom.metrics.batch import fold_frame, frame_from_events
from liveroom.metrics.live import LiveAggregator, OrderFact
from liveroom.tracking.model import EventType, TrackingEvent

START = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)
TYPES = list(EventType)
CHANNELS = ["", "", "douyin_feed", "wechat_group", "followers"]


def generated_log(seed: int, n: int) -> list[tuple[int, TrackingEvent]]:
    """Random events, deliberately nasty: repeated enters, leaves of absent viewers, late
    timestamps (seq order differs from ts order), failures with and without an order."""
    rng = random.Random(seed)
    buyers = [f"b{i}" for i in range(rng.randint(1, 40))]
    skus = ["s1", "s2", "s3"]
    out = []
    for seq in range(1, n + 1):
        etype = rng.choice(TYPES)
        props: dict[str, object] = {}
        if etype == EventType.LEAVE and rng.random() < 0.4:
            props["dwell_seconds"] = rng.randint(0, 900)
        if etype == EventType.LIKE and rng.random() < 0.7:
            props["count"] = rng.randint(1, 30)
        if etype == EventType.PAYMENT_FAILURE and rng.random() < 0.5:
            props["order_id"] = f"o{rng.randint(1, 9)}"
            if rng.random() < 0.5:
                props["source"] = "server"
        sku = rng.choice(skus) if etype in (EventType.PRODUCT_IMPRESSION,
                                            EventType.PRODUCT_CLICK,
                                            EventType.ADD_TO_CART) else None
        ts = START + timedelta(seconds=rng.randint(0, 1800))
        out.append((seq, TrackingEvent(
            event_id=f"evt-{seed}-{seq:06d}", type=etype, session_id="s", ts=ts,
            buyer_id=rng.choice(buyers), channel=rng.choice(CHANNELS), sku_id=sku,
            props=props)))
    return out


def generated_orders(seed: int) -> list[OrderFact]:
    rng = random.Random(seed + 1)
    orders = []
    for i in range(rng.randint(0, 15)):
        status = rng.choice(["reserved", "paid", "paid", "expired", "refunded"])
        created = START + timedelta(seconds=rng.randint(0, 1800))
        paid_at = created + timedelta(seconds=30) if status in ("paid", "refunded") else None
        qty = rng.randint(1, 3)
        orders.append(OrderFact(f"o{i}", f"b{rng.randint(0, 50)}", status, qty * 9900,
                                created, paid_at, ((rng.choice(["s1", "s2", "s4"]), qty,
                                                    9900),)))
    return orders


@pytest.mark.parametrize("seed", range(40))
def test_the_batch_engine_and_the_live_fold_agree(seed):
    log = generated_log(seed, random.Random(seed).randint(0, 600))
    orders = generated_orders(seed)
    now = START + timedelta(minutes=40)
    folded = LiveAggregator()
    folded.apply(e for _, e in log)
    batch = fold_frame(frame_from_events(log))
    assert batch.snapshot(orders, now, since=START) == folded.snapshot(orders, now,
                                                                       since=START)
    assert batch.first_channel == folded.first_channel
    assert batch.present == folded.present
    assert batch.present_us == folded.present_us


def test_the_batch_engine_continues_where_the_live_fold_takes_over():
    log = generated_log(7, 500)
    folded = LiveAggregator()
    folded.apply(e for _, e in log)
    resumed = fold_frame(frame_from_events(log[:300]))
    resumed.apply(e for _, e in log[300:])
    now = START + timedelta(hours=1)
    assert resumed.snapshot([], now) == folded.snapshot([], now)


class _NoWalk(dict):
    """Viewers present, refusing to be walked one by one."""

    def values(self):
        raise AssertionError("a tick walked every viewer present")

    items = __iter__ = values


def test_a_tick_does_not_walk_the_viewers_present():
    """Dwell so far comes from the sum of entry times: a tick costs the same with 10 or
    500,000 viewers in the room. Enters at 0 and 10 minutes, the first viewer leaves after
    5 minutes (dwell 300 s) and comes back at 20; read at 30: (300 + 1200 + 600) / 3."""
    def ev(seq, etype, buyer, minute):
        return TrackingEvent(event_id=f"e{seq}", type=etype, session_id="s",
                             ts=START + timedelta(minutes=minute), buyer_id=buyer)
    folded = LiveAggregator()
    folded.apply([ev(1, EventType.ENTER, "a", 0), ev(2, EventType.ENTER, "b", 10),
                  ev(3, EventType.LEAVE, "a", 5), ev(4, EventType.ENTER, "a", 20)])
    folded.present = _NoWalk(folded.present)
    snap = folded.snapshot([], START + timedelta(minutes=30))
    assert (snap["online"], snap["avg_dwell_seconds"]) == (2, 700.0)
