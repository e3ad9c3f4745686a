"""Tier rules as data, the points ledger's replay (earn, spend, reversal, expiry, double
points) and RFM scoring: pure functions, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from liveroom.core.errors import Invalid
from liveroom.crm.model import (
    BuyerHistory,
    PointsEntry,
    Segment,
    TierRules,
    earned_points,
    multiplier_at,
    quintile,
    replay,
    reversed_points,
    rfm_scores,
    segment_of,
)
from liveroom.crm.rules import tier_rules

T0 = datetime(2026, 1, 1, tzinfo=UTC)
RULES = TierRules.from_data({"window_days": 365, "tiers": [
    {"code": "regular", "label": "普通", "min_orders": 1},
    {"code": "silver", "label": "银卡", "min_orders": 3, "min_spent_fen": 50000},
    {"code": "gold", "label": "金卡", "min_orders": 6, "min_spent_fen": 200000, "match": "all"},
]})


def earn(ref: str, points: int, days: float = 0) -> PointsEntry:
    return PointsEntry("earn", ref, points, T0 + timedelta(days=days))


def test_tiers_follow_the_rules_data_by_orders_or_spend() -> None:
    assert RULES.tier_for(0, 0) is None  # no paid order: not a member
    assert RULES.tier_for(1, 100) == "regular"
    assert RULES.tier_for(3, 100) == "silver"  # frequency alone (match any)
    assert RULES.tier_for(1, 50000) == "silver"  # amount alone
    assert RULES.tier_for(6, 100000) == "silver"  # gold needs both
    assert RULES.tier_for(6, 200000) == "gold"
    assert RULES.rank("gold") > RULES.rank("silver")


def test_malformed_rules_are_refused_with_a_code() -> None:
    for data in ({"tiers": []}, {"tiers": [{"code": "a"}]},
                 {"tiers": [{"code": "a", "label": "A", "match": "some"}]},
                 {"tiers": [{"code": "a", "label": "A"}, {"code": "a", "label": "B"}]}):
        with pytest.raises(Invalid) as exc:
            TierRules.from_data(data)
        assert exc.value.code == "tier_rules_invalid"
    with pytest.raises(Invalid):
        RULES.rank("platinum")


def test_rules_come_from_the_environment_or_the_packaged_defaults(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("LIVEROOM_MEMBER_TIERS", raising=False)
    assert tier_rules().codes == ["regular", "silver", "gold", "diamond"]
    monkeypatch.setenv("LIVEROOM_MEMBER_TIERS",
                       '{"tiers": [{"code": "vip", "label": "VIP", "min_orders": 1}]}')
    assert tier_rules().codes == ["vip"]


def test_one_point_per_whole_yuan_times_the_window() -> None:
    assert earned_points(12_099) == 120
    assert earned_points(99) == 0
    assert earned_points(12_000, multiplier=2) == 240
    hour = timedelta(hours=1)
    windows = [(T0, T0 + 2 * hour, 2), (T0 + hour, T0 + 3 * hour, 3)]
    assert multiplier_at(T0 + timedelta(minutes=30), windows) == 2
    assert multiplier_at(T0 + timedelta(minutes=90), windows) == 3
    assert multiplier_at(T0 + timedelta(hours=3), windows) == 1  # the end is open


def test_a_refund_takes_back_the_refunded_share_of_the_points() -> None:
    assert reversed_points(120, 12_000, 12_000) == 120
    assert reversed_points(240, 6_000, 24_000) == 60
    assert reversed_points(100, 999_999, 10_000) == 100  # never more than earned
    assert reversed_points(100, 0, 10_000) == 0


def test_spending_uses_the_oldest_points_and_what_is_left_lapses_after_a_year() -> None:
    entries = [earn("o1", 100), earn("o2", 50, days=200),
               PointsEntry("spend", "s1", 120, T0 + timedelta(days=250))]
    # spending 120 used o1's 100 and 20 of o2
    assert replay(entries, T0 + timedelta(days=300)).points == 30
    later = replay(entries, T0 + timedelta(days=200 + 365))
    assert later.points == 0
    assert [(e.ref, e.points) for e in later.expired] == [("o2", 30)]


def test_unspent_points_expire_twelve_months_after_they_were_earned() -> None:
    entries = [earn("o1", 100), earn("o2", 40, days=100)]
    before = replay(entries, T0 + timedelta(days=364))
    assert before.points == 140
    assert before.next_expiry is not None and before.next_expiry.ref == "o1"
    after = replay(entries, T0 + timedelta(days=365))
    assert after.points == 40
    assert [(e.ref, e.points) for e in after.expired] == [("o1", 100)]


def test_a_reversal_of_points_already_spent_leaves_a_debt_the_next_order_pays() -> None:
    entries = [earn("o1", 100), PointsEntry("spend", "s1", 100, T0 + timedelta(days=1)),
               PointsEntry("reverse", "o1", 100, T0 + timedelta(days=2))]
    assert replay(entries, T0 + timedelta(days=3)).points == -100
    entries.append(earn("o2", 150, days=4))
    assert replay(entries, T0 + timedelta(days=5)).points == 50


def test_a_reversal_takes_from_its_own_order_first() -> None:
    entries = [earn("o1", 100), earn("o2", 100, days=300),
               PointsEntry("reverse", "o2", 100, T0 + timedelta(days=301))]
    # o1's points still lapse on their own date: the reversal did not eat them
    assert replay(entries, T0 + timedelta(days=364)).points == 100
    assert replay(entries, T0 + timedelta(days=366)).points == 0


def test_quintiles_and_segments() -> None:
    assert quintile(5, [5]) == 3  # a lone member sits in the middle
    pop = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert quintile(1, pop) == 1 and quintile(10, pop) == 5
    assert segment_of(5, 5, 5) == Segment.IMPORTANT_VALUE
    assert segment_of(1, 5, 5) == Segment.IMPORTANT_RETAIN
    assert segment_of(5, 1, 5) == Segment.IMPORTANT_DEVELOP
    assert segment_of(1, 1, 5) == Segment.IMPORTANT_RECOVER
    assert segment_of(1, 1, 1) == Segment.GENERAL_RECOVER
    assert segment_of(5, 5, 1) == Segment.GENERAL_VALUE


def test_rfm_scores_recent_frequent_big_spenders_highest() -> None:
    now = T0 + timedelta(days=400)
    hist = [BuyerHistory("loyal", now - timedelta(days=2), 12, 900_000),
            BuyerHistory("lapsed_whale", now - timedelta(days=300), 8, 800_000),
            BuyerHistory("newbie", now - timedelta(days=1), 1, 5_000),
            BuyerHistory("gone", now - timedelta(days=390), 1, 3_000)]
    scores = rfm_scores(hist, now)
    assert scores["loyal"].segment == Segment.IMPORTANT_VALUE
    assert scores["lapsed_whale"].segment == Segment.IMPORTANT_RETAIN
    assert scores["newbie"].segment == Segment.GENERAL_DEVELOP
    assert scores["gone"].segment == Segment.GENERAL_RECOVER
    assert scores["newbie"].r == 5 and scores["gone"].r == 1
    assert rfm_scores([], now) == {}
