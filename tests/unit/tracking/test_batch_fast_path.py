"""validate_batch's plain-event path gives exactly validate_event's verdict, event by event,
on valid events and on events broken one field at a time."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from liveroom.tracking.model import validate_batch, validate_event

NOW = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)
SKUS = frozenset({"sku-1", "sku-2"})
BREAKS = [("event_id", "short"), ("event_id", 12345678), ("buyer_id", ""), ("buyer_id", 7),
          ("type", "teleport"), ("type", None), ("ts", "2026-11-27T19:00:00"),
          ("ts", "2020-01-01T00:00:00+00:00"), ("ts", "2030-01-01T00:00:00+00:00"),
          ("ts", 1700000000), ("version", 2), ("version", True), ("version", 1.0),
          ("session_id", "other"), ("channel", "nowhere"), ("channel", 0), ("channel", None),
          ("sku_id", "sku-9"), ("sku_id", 3), ("sku_id", None), ("sku_id", ""),
          ("props", {"count": -1}), ("props", {"source": "server"}), ("props", []),
          ("props", None), ("props", {"dwell_seconds": 12}), ("utm_source", "douyin"),
          ("colour", "red")]
TYPES = ["enter", "leave", "like", "product_click", "add_to_cart", "comment", "order"]


def raw(rng: random.Random, k: int) -> dict:
    etype = rng.choice(TYPES)
    event = {"event_id": f"evt-{k:08d}", "type": etype, "buyer_id": f"b{k % 7}",
             "ts": rng.choice(["2026-11-27T19:00:00+08:00", "2026-11-27T10:59:00Z"])}
    if etype in ("product_click", "add_to_cart") or rng.random() < 0.3:
        event["sku_id"] = rng.choice(sorted(SKUS))
    if rng.random() < 0.5:
        event["channel"] = rng.choice(["followers", "douyin_feed", ""])
    if etype == "like" and rng.random() < 0.5:
        event["props"] = {"count": rng.randrange(1, 9)}
    if rng.random() < 0.2:
        event["session_id"] = "s1"
    return event


def test_the_fast_path_and_validate_event_agree_on_every_event():
    rng = random.Random(7)
    raws = []
    for k in range(600):
        event = raw(rng, k)
        if k % 2:
            name, value = rng.choice(BREAKS)
            event[name] = value
        raws.append(event)
    accepted, rejected = validate_batch(raws, "s1", NOW, SKUS)
    by_id = {e.event_id: e for e in accepted}
    reasons = {r.index: r.reasons for r in rejected}
    for index, event in enumerate(raws):
        expected = validate_event(event, "s1", NOW, SKUS)
        if isinstance(expected, list):
            assert reasons[index] == expected, event
        else:
            assert by_id[expected.event_id] == expected, event
    assert accepted and rejected
