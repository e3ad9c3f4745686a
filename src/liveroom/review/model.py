"""The post-broadcast review (复盘) as pure functions over a session's numbers.

Input is the live-metrics snapshot (the same numbers the dashboard showed), the run-of-show,
the targets, channel figures, comment facts and earlier sessions' summaries; output is plain
data that the renderers (HTML, XLSX, PDF, Markdown) lay out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from liveroom.review.advice import improvements
from liveroom.review.feedback import supply_feedback, top_phrases

WINDOW_MIN = 10  # highlights and weak moments are judged over 10-minute windows
KEY_METRICS = ("gmv_fen", "unique_viewers", "peak_online", "conversion_rate", "uv_value_fen",
               "aov_fen", "avg_dwell_seconds", "paid_orders")


@dataclass(frozen=True)
class SegmentInfo:
    kind: str
    title: str
    start_minute: int
    duration_minutes: int
    sku_id: str | None = None


@dataclass
class ReviewInput:
    session: dict[str, Any]  # id, title, theme, scheduled_start, started_at, targets, …
    metrics: dict[str, Any]  # metrics.live snapshot
    segments: list[SegmentInfo] = field(default_factory=list)
    channels: list[dict[str, Any]] = field(default_factory=list)
    spend_fen: int = 0
    refunds: int = 0  # paid orders refunded so far (returns)
    refunded_by_sku: dict[str, int] = field(default_factory=dict)
    comment_facts: list[dict[str, Any]] = field(default_factory=list)  # text, intent, sku
    previous: dict[str, Any] | None = None  # the previous session's summary
    history: list[dict[str, Any]] = field(default_factory=list)  # the team's earlier ones


def ratio(a: float, b: float) -> float:
    return round(a / b, 4) if b else 0.0


def dimensions(m: dict[str, Any], spend_fen: int, refunds: int) -> dict[str, dict[str, Any]]:
    """The four dimensions of the handbook: traffic, conversion, interaction, cost."""
    viewers = m.get("unique_viewers", 0)
    funnel = m.get("funnel", {})
    paid = m.get("paid_orders", 0)
    buyers = m.get("paying_buyers", funnel.get("paid", 0))
    return {
        "traffic": {
            "unique_viewers": viewers, "views": m.get("views", 0),
            "peak_online": m.get("peak_online", 0),
            "avg_dwell_seconds": m.get("avg_dwell_seconds", 0.0),
            "follow_rate": ratio(m.get("follows", 0), viewers),
            "fan_group_rate": ratio(m.get("fan_group_joins", 0), viewers),
        },
        "conversion": {
            "product_ctr": ratio(funnel.get("clicks", 0), funnel.get("product_impressions", 0)),
            "cart_rate": ratio(funnel.get("carts", 0), funnel.get("clicks", 0)),
            "order_conversion": m.get("conversion_rate", ratio(buyers, viewers)),
            "aov_fen": m.get("aov_fen", 0), "paid_orders": paid,
            "payment_success_rate": m.get("payment_success_rate", 1.0),
        },
        "interaction": {
            "comments": m.get("comments", 0), "likes": m.get("likes", 0),
            "shares": m.get("shares", 0),
            "comment_rate": ratio(m.get("comments", 0), viewers),
            "share_rate": ratio(m.get("shares", 0), viewers),
        },
        "cost": {
            "spend_fen": spend_fen,
            "acquisition_cost_fen": spend_fen // buyers if buyers else 0,
            "return_rate": ratio(refunds, paid),
            "roi": round(m.get("gmv_fen", 0) / spend_fen, 2) if spend_fen else None,
        },
    }


TARGET_KEYS = {"gmv_fen": "gmv_fen", "viewers": "unique_viewers",
               "conversion_rate": "conversion_rate", "new_members": "follows"}


def kpi_attainment(targets: dict[str, Any], m: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for key, metric in TARGET_KEYS.items():
        target = targets.get(key)
        if not target:
            continue
        actual = m.get(metric, 0)
        out.append({"kpi": key, "target": target, "actual": actual,
                    "attainment": round(actual / target, 4)})
    return out


def compare(m: dict[str, Any], other: dict[str, Any] | None) -> dict[str, float | None]:
    """Relative change against another session's metrics (None where it had none)."""
    if not other:
        return {}
    return {k: (round((m.get(k, 0) - other[k]) / other[k], 4) if other.get(k) else None)
            for k in KEY_METRICS}


def team_average(history: list[dict[str, Any]]) -> dict[str, float]:
    if not history:
        return {}
    return {k: sum(h.get(k, 0) for h in history) / len(history) for k in KEY_METRICS}


def _show_minutes(timeline: list[dict[str, Any]], start: datetime) -> list[dict[str, Any]]:
    rows = []
    for row in timeline:
        minute = int((datetime.fromisoformat(row["minute"]) - start) / timedelta(minutes=1))
        if minute >= 0:
            rows.append({**row, "show_minute": minute})
    return rows


def segment_performance(segments: list[SegmentInfo], timeline: list[dict[str, Any]],
                        start: datetime,
                        names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """GMV, GMV per minute and online change of each run-of-show segment, with the name of
    the product it explains (from `names`, by SKU) for segments without a title."""
    minutes = _show_minutes(timeline, start)
    out = []
    for seg in sorted(segments, key=lambda s: s.start_minute):
        inside = [r for r in minutes
                  if seg.start_minute <= r["show_minute"] < seg.start_minute
                  + seg.duration_minutes]
        gmv = sum(r["gmv_fen"] for r in inside)
        online = [r["online"] for r in inside]
        out.append({
            "kind": seg.kind, "title": seg.title, "sku_id": seg.sku_id,
            "product": (names or {}).get(seg.sku_id or "", ""),
            "start_minute": seg.start_minute, "duration_minutes": seg.duration_minutes,
            "gmv_fen": gmv, "gmv_per_minute_fen": gmv // max(1, seg.duration_minutes),
            "avg_online": round(sum(online) / len(online)) if online else 0,
            "online_change": ratio(online[-1] - online[0], online[0]) if online else 0.0,
            "paid_orders": sum(r["paid_orders"] for r in inside),
        })
    return out


def windows(timeline: list[dict[str, Any]], start: datetime,
            size: int = WINDOW_MIN) -> list[dict[str, Any]]:
    minutes = _show_minutes(timeline, start)
    if not minutes:
        return []
    last = max(r["show_minute"] for r in minutes)
    out = []
    for w0 in range(0, last + 1, size):
        inside = [r for r in minutes if w0 <= r["show_minute"] < w0 + size]
        if not inside:
            continue
        online = [r["online"] for r in inside]
        out.append({"from_minute": w0, "to_minute": w0 + size,
                    "gmv_fen": sum(r["gmv_fen"] for r in inside),
                    "paid_orders": sum(r["paid_orders"] for r in inside),
                    "avg_online": round(sum(online) / len(online)),
                    "online_change": ratio(online[-1] - online[0], online[0])})
    return out


def moments(wins: list[dict[str, Any]], segments: list[SegmentInfo],
            names: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """The best and the weakest windows, each named by the segment it mostly covers."""
    def label(w: dict[str, Any]) -> dict[str, Any]:
        best, overlap = None, 0
        for s in segments:
            o = min(w["to_minute"], s.start_minute + s.duration_minutes) - max(
                w["from_minute"], s.start_minute)
            if o > overlap:
                best, overlap = s, o
        name = ""
        if best is not None:
            name = best.title or names.get(best.sku_id or "", "") or best.kind
        return {**w, "segment": name, "segment_kind": best.kind if best else None}

    # Ignore a partial last window: its GMV is low because it is short.
    full = [w for w in wins if w is not wins[-1]] or wins
    ranked = sorted(full, key=lambda w: (w["gmv_fen"], w["avg_online"]))
    return {"highlights": [label(w) for w in reversed(ranked[-3:])],
            "weak": [label(w) for w in ranked[:2]]}


def product_rows(m: dict[str, Any], refunded_by_sku: dict[str, int]) -> list[dict[str, Any]]:
    rows = []
    for p in m.get("per_product", []):
        refunded = refunded_by_sku.get(p["sku_id"], 0)
        rows.append({**p, "refunded_units": refunded,
                     "return_rate": ratio(refunded, p.get("paid_units", 0))})
    return rows


def build_review(inp: ReviewInput) -> dict[str, Any]:
    """Everything the 复盘 shows, as plain data."""
    m = inp.metrics
    start = datetime.fromisoformat(inp.session.get("started_at")
                                   or inp.session["scheduled_start"])
    names = {p["sku_id"]: p["name"] for p in m.get("per_product", [])}
    wins = windows(m.get("timeline", []), start)
    review: dict[str, Any] = {
        "session": inp.session,
        "headline": {k: m.get(k) for k in KEY_METRICS},
        "dimensions": dimensions(m, inp.spend_fen, inp.refunds),
        "kpis": kpi_attainment(inp.session.get("targets", {}), m),
        "vs_previous": compare(m, inp.previous),
        "previous": inp.previous,
        "vs_team": compare(m, team_average(inp.history)),
        "team_sessions": len(inp.history),
        "segments": segment_performance(inp.segments, m.get("timeline", []), start, names),
        "windows": wins,
        "moments": moments(wins, inp.segments, names),
        "channels": inp.channels,
        "products": product_rows(m, inp.refunded_by_sku),
        "funnel": m.get("funnel", {}),
        "timeline": m.get("timeline", []),
        "supply_feedback": supply_feedback(inp.comment_facts, names),
        "comment_phrases": top_phrases(inp.comment_facts),
    }
    review["improvements"] = improvements(review)
    return review
