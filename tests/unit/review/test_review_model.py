from datetime import UTC, datetime, timedelta

from liveroom.review.advice import improvements
from liveroom.review.feedback import supply_feedback, top_phrases
from liveroom.review.model import (
    ReviewInput,
    SegmentInfo,
    build_review,
    compare,
    kpi_attainment,
    segment_performance,
)

START = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)


def timeline(minutes: int, gmv_at: dict[int, int], online: int = 1000,
             dip: tuple[int, int] | None = None) -> list[dict]:
    rows = []
    for m in range(minutes):
        low = dip and dip[0] <= m < dip[1]
        rows.append({"minute": (START + timedelta(minutes=m)).isoformat(),
                     "online": online // 2 if low else online, "enters": 10,
                     "orders": 1, "paid_orders": 1 if gmv_at.get(m) else 0,
                     "gmv_fen": gmv_at.get(m, 0), "payment_failures": 0})
    return rows


def metrics(**over):
    base = {"gmv_fen": 56_200_000, "unique_viewers": 21_300, "peak_online": 6420,
            "conversion_rate": 0.091, "uv_value_fen": 2640, "aov_fen": 28_000,
            "avg_dwell_seconds": 95.0, "paid_orders": 2000, "paying_buyers": 1938,
            "follows": 800, "comments": 12_000, "shares": 300, "likes": 50_000,
            "payment_success_rate": 0.97,
            "funnel": {"impressions": 90_000, "enters": 21_300, "product_impressions": 20_000,
                       "clicks": 6000, "carts": 3000, "orders": 2100, "paid": 1938},
            "per_product": [{"sku_id": "apron", "name": "围裙", "impressions": 900,
                             "clicks": 300, "carts": 100, "orders": 80, "paid_units": 80,
                             "gmv_fen": 400_000, "click_rate": 0.33}],
            "timeline": timeline(120, {m: 100_000 for m in range(0, 40)}, dip=(40, 60))}
    return {**base, **over}


def test_kpi_attainment_matches_the_journey():
    got = kpi_attainment({"gmv_fen": 50_000_000, "viewers": 20_000, "conversion_rate": 0.08},
                         metrics())
    assert got[0] == {"kpi": "gmv_fen", "target": 50_000_000, "actual": 56_200_000,
                      "attainment": 1.124}
    assert [k["kpi"] for k in got] == ["gmv_fen", "viewers", "conversion_rate"]


def test_compare_with_last_friday():
    last = {"gmv_fen": 47_627_119, "unique_viewers": 20_000, "peak_online": 0}
    got = compare(metrics(), last)
    assert got["gmv_fen"] == 0.18
    assert got["peak_online"] is None  # nothing to compare against


def test_segments_are_scored_and_the_weak_moment_is_named_after_its_segment():
    segs = [SegmentInfo("opening", "开场秒杀", 0, 10), SegmentInfo("product", "不粘锅", 10, 30),
            SegmentInfo("product", "破壁机", 40, 20), SegmentInfo("closing", "收尾", 60, 60)]
    perf = segment_performance(segs, metrics()["timeline"], START)
    assert perf[0]["gmv_fen"] == 1_000_000 and perf[2]["gmv_fen"] == 0
    assert perf[2]["avg_online"] == 500
    review = build_review(ReviewInput(
        session={"id": "s", "title": "厨房", "scheduled_start": START.isoformat(),
                 "targets": {"gmv_fen": 80_000_000}},
        metrics=metrics(), segments=segs))
    assert review["moments"]["weak"][0]["segment"] == "破壁机"
    assert review["moments"]["highlights"][0]["from_minute"] < 40
    areas = [i["area"] for i in review["improvements"]]
    assert "kpi" in areas and "script" in areas


def test_supply_feedback_counts_distinct_viewers_per_product():
    facts = [{"text": "围裙尺码偏小啊", "intent": "aftersales", "buyer_id": f"b{i % 64}",
              "sku_id": "apron"} for i in range(100)]
    facts.append({"text": "包装破损了", "intent": "complaint", "buyer_id": "x", "sku_id": None})
    got = supply_feedback(facts, {"apron": "围裙"})
    assert got[0] == {"aspect": "尺码偏小", "sku_id": "apron", "product": "围裙",
                      "viewers": 64, "samples": ["围裙尺码偏小啊"] * 3}
    assert got[1]["aspect"] == "包装破损"


def test_top_phrases_come_from_questions_and_complaints_only():
    facts = [{"text": "这个锅能用电磁炉吗", "intent": "product_question", "buyer_id": f"b{i}"}
             for i in range(5)]
    facts += [{"text": "主播好漂亮电磁炉", "intent": "chitchat", "buyer_id": f"c{i}"}
              for i in range(50)]
    phrases = top_phrases(facts)
    assert phrases and all(p["viewers"] == 5 for p in phrases)


def test_improvements_flag_returns_payment_and_losing_channels():
    review = {"kpis": [], "moments": {"weak": []}, "segments": [], "supply_feedback": [],
              "dimensions": {"conversion": {"payment_success_rate": 0.91},
                             "cost": {"return_rate": 0.11}},
              "channels": [{"channel": "feed_ads", "spend_fen": 800_000, "roi": 0.6}],
              "products": [{"name": "围裙", "return_rate": 0.11, "paid_units": 300}]}
    assert {i["area"] for i in improvements(review)} == {"payment", "returns", "traffic",
                                                         "selection"}
