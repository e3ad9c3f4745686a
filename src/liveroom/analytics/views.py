"""Read side of live-ops analytics: experiment results, incidents, period roll-ups."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.log_segments import LogSegments
from liveroom.adapters.sql.repositories import SessionRepo
from liveroom.adapters.sql.schema_analytics import experiments, incidents
from liveroom.adapters.sql.tracking_log import read_log
from liveroom.analytics.model import EXPERIMENT_METRICS, RECOVERY_GOAL_S, duration_s
from liveroom.core.clock import as_aware
from liveroom.core.errors import Invalid, NotFound
from liveroom.metrics.stats import Comparison, bootstrap_ratio, two_proportions
from liveroom.metrics.views import MetricsCache, live_metrics, order_facts
from liveroom.planning.model import Status
from liveroom.tracking.model import EventType

E = EventType
_REACHED_PRODUCT = [E.PRODUCT_IMPRESSION.value, E.PRODUCT_CLICK.value, E.ADD_TO_CART.value]


def incidents_of(conn: Any, sid: str, now: datetime) -> list[dict[str, Any]]:
    c = incidents.c
    rows = conn.execute(select(incidents).where(c.session_id == sid)
                        .order_by(c.started_at)).all()
    out = []
    for r in rows:
        started = as_aware(r.started_at)
        resolved = as_aware(r.resolved_at) if r.resolved_at else None
        seconds = duration_s(started, resolved, now)
        out.append({"id": r.id, "kind": r.kind, "note": r.note, "opened_by": r.opened_by,
                    "started_at": started.isoformat(),
                    "resolved_at": resolved.isoformat() if resolved else None,
                    "duration_s": seconds, "resolved": resolved is not None,
                    "within_goal": resolved is not None and seconds <= RECOVERY_GOAL_S})
    return out


def _window(conn: Any, arm: dict[str, Any]) -> tuple[datetime, datetime]:
    session = SessionRepo(conn).get(arm["session_id"])
    start = session.started_at or session.scheduled_start
    lo = start + timedelta(minutes=arm.get("from_minute") or 0)
    hi = (start + timedelta(minutes=arm["to_minute"]) if arm.get("to_minute") is not None
          else datetime.max.replace(tzinfo=UTC))
    return lo.astimezone(UTC), hi.astimezone(UTC)  # one zone name for Polars comparisons


def arm_units(conn: Any, metric: str, arm: dict[str, Any]) -> dict[str, Any]:
    """One arm's sample: (successes, trials) for a rate, (y, w) units for money."""
    lo, hi = _window(conn, arm)
    sid = arm["session_id"]
    log = read_log(conn, sid).filter((pl.col("ts") >= lo) & (pl.col("ts") < hi))
    orders = [o for o in order_facts(conn, sid) if lo <= o.created_at < hi]
    paid = [o for o in orders if o.paid and o.paid_at is not None and o.paid_at < hi]
    if metric == "click_rate":
        seen = set(log.filter(pl.col("type").is_in(_REACHED_PRODUCT))["buyer_id"].to_list())
        clicked = set(log.filter(pl.col("type").is_in(_REACHED_PRODUCT[1:]))["buyer_id"]
                      .to_list())
        ordered = {o.buyer_id for o in orders}
        return {"x": len(clicked | ordered), "n": len(seen | ordered)}
    enters = Counter(log.filter(pl.col("type") == E.ENTER.value)["buyer_id"].to_list())
    viewers = set(enters) | {o.buyer_id for o in orders}
    spend: Counter[str] = Counter()
    for o in paid:
        spend[o.buyer_id] += o.total_fen
    if metric == "conversion":
        return {"x": len(set(spend) & viewers), "n": len(viewers)}
    if metric == "aov":
        return {"units": [(float(o.total_fen), 1.0) for o in paid]}
    if metric == "gpm":
        return {"units": [(spend[v] * 1000.0, float(enters[v])) for v in viewers]}
    return {"units": [(float(spend[v]), 1.0) for v in viewers]}  # uv_value


def _compare(metric: str, a: dict[str, Any], b: dict[str, Any]) -> Comparison:
    if EXPERIMENT_METRICS[metric] == "rate":
        return two_proportions(a["x"], a["n"], b["x"], b["n"])
    return bootstrap_ratio(a["units"], b["units"])


def experiment(conn: Any, eid: str) -> dict[str, Any]:
    row = conn.execute(select(experiments).where(experiments.c.id == eid)).first()
    if row is None:
        raise NotFound(f"no experiment {eid}", code="experiment_not_found")
    samples = [arm_units(conn, row.metric, arm) for arm in row.arms]
    result = _compare(row.metric, *samples)
    values, sizes = (result.value_a, result.value_b), (result.n_a, result.n_b)
    return {"id": row.id, "name": row.name, "metric": row.metric,
            "arms": [{"label": arm["label"], "session_id": arm["session_id"],
                      "from_minute": arm.get("from_minute"), "to_minute": arm.get("to_minute"),
                      "value": round(v, 6), "n": n}
                     for arm, v, n in zip(row.arms, values, sizes, strict=True)],
            **result.to_json()}


def experiment_list(conn: Any) -> list[dict[str, Any]]:
    """Experiments, newest first."""
    c = experiments.c
    return [{"id": r.id, "name": r.name, "metric": r.metric}
            for r in conn.execute(select(c.id, c.name, c.metric)
                                  .order_by(c.created_at.desc()))]


def ended_sessions(conn: Any, limit: int = 50) -> list[dict[str, Any]]:
    """Shows an arm can be drawn from: ended or live, newest first."""
    s = t.live_sessions.c
    rows = conn.execute(select(s.id, s.title, s.scheduled_start)
                        .where(s.status.in_((Status.ENDED.value, Status.LIVE.value)))
                        .order_by(s.scheduled_start.desc()).limit(limit)).all()
    return [{"id": r.id, "title": r.title, "scheduled_start": as_aware(r.scheduled_start)}
            for r in rows]


ROLLUP_SUMS = ("gmv_fen", "gmv_net_fen", "refunded_fen", "orders", "paid_orders",
               "paying_buyers", "unique_viewers", "views", "comments", "payment_failures")


def period_bounds(period: str, day: date) -> tuple[date, date, date]:
    """(start, end, previous start) of the week (Monday first) or month holding `day`."""
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=7), start - timedelta(days=7)
    if period == "month":
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
        return start, end, (start - timedelta(days=1)).replace(day=1)
    raise Invalid("period is week or month", code="invalid_period", field="period")


def _totals(conn: Any, lo: date, hi: date, tz: ZoneInfo, now: datetime,
            segments: LogSegments | None) -> dict[str, Any]:
    s = t.live_sessions.c
    start = datetime.combine(lo, datetime.min.time(), tz)
    end = datetime.combine(hi, datetime.min.time(), tz)
    rows = conn.execute(select(s.id, s.title).where(
        s.status == Status.ENDED.value, s.scheduled_start >= start, s.scheduled_start < end)
        .order_by(s.scheduled_start)).all()
    sums: Counter[str] = Counter()
    shows = []
    for r in rows:
        m = live_metrics(conn, MetricsCache(segments=segments), r.id, now)
        sums.update({k: int(m[k]) for k in ROLLUP_SUMS})
        shows.append({"id": r.id, "title": r.title, "gmv_fen": m["gmv_fen"],
                      "unique_viewers": m["unique_viewers"]})
    out: dict[str, Any] = {"from": lo.isoformat(), "to": (hi - timedelta(days=1)).isoformat(),
                           "sessions": len(rows), **{k: sums[k] for k in ROLLUP_SUMS}}
    viewers, paid = sums["unique_viewers"], sums["paid_orders"]
    out["conversion_rate"] = round(sums["paying_buyers"] / viewers, 4) if viewers else 0.0
    out["uv_value_fen"] = sums["gmv_fen"] // viewers if viewers else 0
    out["aov_fen"] = sums["gmv_fen"] // paid if paid else 0
    out["shows"] = shows
    return out


def rollup(conn: Any, period: str, day: date, tz_name: str, now: datetime,
           segments: LogSegments | None = None) -> dict[str, Any]:
    """The ended sessions of the period summed (each figure as docs/metrics.md defines it
    per session), and the change against the period before."""
    tz = ZoneInfo(tz_name)
    lo, hi, prev = period_bounds(period, day)
    current = _totals(conn, lo, hi, tz, now, segments)
    before = _totals(conn, prev, lo, tz, now, segments)
    change = {k: (round((current[k] - before[k]) / before[k], 4) if before[k] else None)
              for k in (*ROLLUP_SUMS, "conversion_rate", "uv_value_fen", "aov_fen",
                        "sessions")}
    return {"period": period, "current": current, "previous": before, "change": change}


__all__ = ["ended_sessions", "experiment", "experiment_list", "incidents_of", "rollup"]
