"""The audience model: deterministic by seed, shaped like a real show (an opening peak,
a rush when a flash sale opens, a dip in a long segment), with every comment intent."""

from __future__ import annotations

from liveroom.simulator.audience import (
    FlashInfo,
    Product,
    SegmentInfo,
    ShowPlan,
    arrival_weights,
    per_minute,
    plan_audience,
)
from liveroom.simulator.comments import INTENTS
from liveroom.simulator.params import SimParams


def show():
    products = {f"k{i}": Product(f"k{i}", f"商品{i}", tier, 19900, 9900 + i * 1000)
                for i, tier in enumerate(["traffic", "profit", "profit", "flagship"])}
    segs = [SegmentInfo(0, 5, "opening", "k0", True), SegmentInfo(5, 8, "product", "k1"),
            SegmentInfo(13, 16, "product", "k2"), SegmentInfo(29, 7, "product", "k3"),
            SegmentInfo(36, 24, "closing")]
    return ShowPlan(60, products, segs, [FlashInfo("f1", "k0", 2, 3, 990),
                                         FlashInfo("f2", "k1", 40, 3, 990)])


PARAMS = SimParams.load(viewers=1500)


def test_the_same_seed_gives_the_same_audience_and_another_seed_does_not():
    a, b = plan_audience(show(), PARAMS, 11), plan_audience(show(), PARAMS, 11)
    c = plan_audience(show(), PARAMS, 12)
    key = [(x.t, x.kind, x.buyer) for x in a]
    assert key == [(x.t, x.kind, x.buyer) for x in b]
    assert key != [(x.t, x.kind, x.buyer) for x in c]
    assert a == sorted(a)


def test_the_first_five_minutes_are_the_traffic_peak():
    enters = per_minute(plan_audience(show(), PARAMS, 3), "enter", 60)
    later = sum(enters[10:]) / 50
    assert sum(enters[:5]) / 5 > 3 * later
    assert max(range(60), key=lambda m: enters[m]) < 5


def test_a_flash_sale_opening_brings_a_rush_of_buyers_within_seconds():
    actions = [a for a in plan_audience(show(), PARAMS, 3) if a.kind == "flash"]
    first = [a for a in actions if a.data["flash_id"] == "f1"]
    assert len(first) > 100
    within_10s = [a for a in first if a.t < 2 * 60 + 10]
    assert len(within_10s) > 0.9 * len(first)


def test_arrivals_dip_after_eight_minutes_of_one_product():
    w = arrival_weights(show(), PARAMS)
    assert w[13 + 9] < w[13 + 2]


def test_viewers_walk_the_funnel_and_the_handbook_conversion_holds():
    actions = plan_audience(show(), PARAMS, 5)
    kinds = {}
    for a in actions:
        kinds.setdefault(a.kind, set()).add(a.buyer)
    viewers = len(kinds["enter"])
    assert viewers == 1500
    assert len(kinds["impression"]) > viewers * 2  # enter rate 40%
    assert len(kinds["product_click"]) < len(kinds["product_impression"])
    assert len(kinds["add_to_cart"]) < len(kinds["product_click"])
    buyers = kinds["buy"] | kinds["flash"]
    assert 0.05 < len(kinds["buy"]) / viewers < 0.2
    assert len(buyers) > 0
    assert len(kinds["reserve"]) > 0.3 * viewers  # reserved viewers plus no-shows


def test_comments_cover_every_intent_in_chinese():
    comments = [a for a in plan_audience(show(), SimParams.load(viewers=3000), 9)
                if a.kind == "comment"]
    assert {c.data["intent"] for c in comments} == set(INTENTS)
    assert all(any("\u4e00" <= ch <= "\u9fff" or ch.isdigit() for ch in c.data["text"])
               for c in comments)


def test_a_parameter_file_overrides_the_defaults(tmp_path):
    f = tmp_path / "p.json"
    f.write_text('{"viewers": 10, "_viewers": "doc"}')
    assert SimParams.load(f).viewers == 10
