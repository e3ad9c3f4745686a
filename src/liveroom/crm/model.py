"""Members (私域) as plain rules: tiers from data, the points ledger replayed into a balance
(earn, spend, reversal, 12-month expiry), and RFM scores and segments. Pure: no I/O."""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from liveroom.core.errors import Invalid

POINTS_LIFETIME = timedelta(days=365)
FEN_PER_POINT = 100  # 1 point per yuan paid


# ---------------------------------------------------------------- tiers


@dataclass(frozen=True)
class TierRule:
    """A tier is reached by `min_orders` paid orders and/or `min_spent_fen` spent within the
    rules' window; `match` says whether one ("any") or both ("all") must hold."""

    code: str
    label: str
    min_orders: int = 0
    min_spent_fen: int = 0
    match: str = "any"  # any | all

    def reached(self, orders: int, spent_fen: int) -> bool:
        hits = (orders >= self.min_orders, spent_fen >= self.min_spent_fen)
        return all(hits) if self.match == "all" else any(hits)


@dataclass(frozen=True)
class TierRules:
    """Tiers from lowest to highest; the first is what every member (one paid order) gets."""

    tiers: tuple[TierRule, ...]
    window_days: int = 365

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> TierRules:
        try:
            tiers = tuple(TierRule(str(t["code"]), str(t["label"]), int(t.get("min_orders", 0)),
                                   int(t.get("min_spent_fen", 0)), str(t.get("match", "any")))
                          for t in data["tiers"])
            window = int(data.get("window_days", 365))
        except (KeyError, TypeError, ValueError) as exc:
            raise Invalid(f"member tier rules are malformed: {exc}",
                          code="tier_rules_invalid") from exc
        if not tiers or len({t.code for t in tiers}) != len(tiers) or window <= 0 \
                or any(t.match not in ("any", "all") for t in tiers):
            raise Invalid("member tier rules need distinct codes, match any|all and a window",
                          code="tier_rules_invalid")
        return cls(tiers, window)

    @classmethod
    def from_json(cls, text: str) -> TierRules:
        try:
            return cls.from_data(json.loads(text))
        except json.JSONDecodeError as exc:
            raise Invalid(f"member tier rules are not JSON: {exc}",
                          code="tier_rules_invalid") from exc

    @property
    def codes(self) -> list[str]:
        return [t.code for t in self.tiers]

    def rank(self, code: str) -> int:
        for i, t in enumerate(self.tiers):
            if t.code == code:
                return i
        raise Invalid(f"tier must be one of {self.codes}", code="unknown_tier", field="tier")

    def label(self, code: str) -> str:
        return self.tiers[self.rank(code)].label

    def tier_for(self, orders: int, spent_fen: int) -> str | None:
        """The highest tier reached; None for a buyer without a paid order in the window
        (not a member, or a lapsed one)."""
        if orders <= 0:
            return None
        reached = [t.code for t in self.tiers if t.reached(orders, spent_fen)]
        return reached[-1] if reached else self.tiers[0].code


# ---------------------------------------------------------------- points


class PointsKind(StrEnum):
    EARN = "earn"
    REVERSE = "reverse"  # a refund takes back the order's points (in proportion)
    SPEND = "spend"
    BONUS = "bonus"  # a reward (晒单, invitation): a lot like an earn, ref "ugc:…"/"invite:…"


@dataclass(frozen=True)
class PointsEntry:
    kind: str
    ref: str  # the order, or the spend's own reference
    points: int  # always positive; the kind says which way
    at: datetime


@dataclass(frozen=True)
class Expiry:
    ref: str
    points: int
    at: datetime


@dataclass
class PointsBalance:
    points: int
    expired: list[Expiry] = field(default_factory=list)
    next_expiry: Expiry | None = None


def earned_points(paid_fen: int, multiplier: int = 1) -> int:
    """1 point per whole yuan paid, times the double-points window's multiplier."""
    return max(0, paid_fen) // FEN_PER_POINT * max(1, multiplier)


def reversed_points(earned: int, refunded_fen: int, total_fen: int) -> int:
    """The share of an order's points that its refunds take back (everything on a full
    refund; rounded down, so a buyer keeps a part point on a partial one)."""
    if total_fen <= 0 or refunded_fen <= 0:
        return 0
    return min(earned, earned * min(refunded_fen, total_fen) // total_fen)


def multiplier_at(moment: datetime, windows: Iterable[tuple[datetime, datetime, int]]) -> int:
    """The largest multiplier among the double-points windows [start, end) open at moment."""
    return max((m for start, end, m in windows if start <= moment < end), default=1)


def replay(entries: Sequence[PointsEntry], now: datetime,
           lifetime: timedelta = POINTS_LIFETIME) -> PointsBalance:
    """The balance at `now`. Each earn is a lot that lapses `lifetime` after it was earned;
    spending uses the oldest lots first; a reversal takes from its own order's lot, then
    from the oldest others, and what the buyer already spent becomes a debt that the next
    points pay off first."""
    lots: dict[str, list[Any]] = {}  # ref -> [remaining, expires_at]
    debt = 0
    expired: list[Expiry] = []

    def lapse(until: datetime) -> None:
        for ref, lot in lots.items():
            if lot[0] > 0 and lot[1] <= until:
                expired.append(Expiry(ref, lot[0], lot[1]))
                lot[0] = 0

    def take(points: int, first: str | None = None) -> int:
        order = sorted(lots, key=lambda r: (r != first, lots[r][1]))
        for ref in order:
            used = min(points, lots[ref][0])
            lots[ref][0] -= used
            points -= used
        return points

    for e in sorted(entries, key=lambda x: (x.at, x.kind not in (PointsKind.EARN,
                                                                   PointsKind.BONUS))):
        lapse(e.at)
        if e.kind in (PointsKind.EARN, PointsKind.BONUS):
            paid_off = min(debt, e.points)
            debt -= paid_off
            lots[e.ref] = [e.points - paid_off, e.at + lifetime]
        elif e.kind == PointsKind.REVERSE:
            debt += take(e.points, first=e.ref)
        else:
            debt += take(e.points)
    lapse(now)
    live = sorted((lot[1], ref, lot[0]) for ref, lot in lots.items() if lot[0] > 0)
    nxt = Expiry(live[0][1], live[0][2], live[0][0]) if live else None
    return PointsBalance(sum(lot[0] for lot in lots.values()) - debt, expired, nxt)


# ---------------------------------------------------------------- RFM


class Segment(StrEnum):
    IMPORTANT_VALUE = "important_value"  # R↑ F↑ M↑
    IMPORTANT_RETAIN = "important_retain"  # R↓ F↑ M↑
    IMPORTANT_DEVELOP = "important_develop"  # R↑ F↓ M↑
    IMPORTANT_RECOVER = "important_recover"  # R↓ F↓ M↑
    GENERAL_VALUE = "general_value"  # R↑ F↑ M↓
    GENERAL_RETAIN = "general_retain"  # R↓ F↑ M↓
    GENERAL_DEVELOP = "general_develop"  # R↑ F↓ M↓
    GENERAL_RECOVER = "general_recover"  # R↓ F↓ M↓


SEGMENT_LABELS = {
    Segment.IMPORTANT_VALUE: "重要价值", Segment.IMPORTANT_RETAIN: "重要保持",
    Segment.IMPORTANT_DEVELOP: "重要发展", Segment.IMPORTANT_RECOVER: "重要挽留",
    Segment.GENERAL_VALUE: "一般价值", Segment.GENERAL_RETAIN: "一般保持",
    Segment.GENERAL_DEVELOP: "一般发展", Segment.GENERAL_RECOVER: "一般挽留",
}
HIGH_SCORE = 3  # a score of 3–5 (the middle quintile and up) counts as high


@dataclass(frozen=True)
class BuyerHistory:
    buyer_id: str
    last_paid_at: datetime
    orders: int
    spent_fen: int


@dataclass(frozen=True)
class Rfm:
    r: int
    f: int
    m: int
    segment: Segment

    def to_dict(self) -> dict[str, Any]:
        return {"r": self.r, "f": self.f, "m": self.m, "segment": self.segment.value}


def quintile(value: float, population: Sequence[float]) -> int:
    """1–5 by mid-rank among the population (ties share a score; a lone value scores 3)."""
    return Quintiles(population).score(value)


class Quintiles:
    """The population sorted once, so that scoring n values costs n log n, not n²."""

    def __init__(self, population: Sequence[float]) -> None:
        self.sorted = sorted(population)

    def score(self, value: float) -> int:
        less = bisect_left(self.sorted, value)
        equal = bisect_right(self.sorted, value) - less
        share = (less + equal / 2) / len(self.sorted)
        return min(5, 1 + int(share * 5))


def segment_of(r: int, f: int, m: int) -> Segment:
    key = (r >= HIGH_SCORE, f >= HIGH_SCORE, m >= HIGH_SCORE)
    return {
        (True, True, True): Segment.IMPORTANT_VALUE, (False, True, True): Segment.IMPORTANT_RETAIN,
        (True, False, True): Segment.IMPORTANT_DEVELOP,
        (False, False, True): Segment.IMPORTANT_RECOVER,
        (True, True, False): Segment.GENERAL_VALUE, (False, True, False): Segment.GENERAL_RETAIN,
        (True, False, False): Segment.GENERAL_DEVELOP,
        (False, False, False): Segment.GENERAL_RECOVER,
    }[key]


def rfm_scores(histories: Sequence[BuyerHistory], now: datetime) -> dict[str, Rfm]:
    """Quintile scores against every member: recency (fewer days since the last paid order
    scores higher), frequency (paid orders) and monetary (fen spent)."""
    if not histories:
        return {}
    recency = [-(now - h.last_paid_at).total_seconds() for h in histories]
    freq = [float(h.orders) for h in histories]
    money = [float(h.spent_fen) for h in histories]
    rq, fq, mq = Quintiles(recency), Quintiles(freq), Quintiles(money)
    out = {}
    for h, rv in zip(histories, recency, strict=True):
        r, f, m = rq.score(rv), fq.score(h.orders), mq.score(h.spent_fen)
        out[h.buyer_id] = Rfm(r, f, m, segment_of(r, f, m))
    return out
