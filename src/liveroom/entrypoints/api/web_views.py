"""What the console and the big screen show, read part by part.

Both pages read the same functions, so a figure on one equals the figure on the other:
metrics come from metrics.views.live_metrics (the API's /metrics/live), questions from
the comment rooms (the API's /questions), alerts from both alert sources."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.schema_comments import comment_lotteries
from liveroom.analytics.model import INCIDENT_KINDS, RECOVERY_GOAL_S
from liveroom.analytics.views import incidents_of
from liveroom.bootstrap import Container
from liveroom.comments import views as comment_views
from liveroom.console import views as console_views
from liveroom.console.ports import PARTS
from liveroom.core.clock import as_aware, local
from liveroom.entrypoints.api.routes_comments import questions
from liveroom.identity.model import Actor
from liveroom.metrics import alert_views
from liveroom.metrics import views as metric_views
from liveroom.planning import views as planning_views

QUESTIONS_SHOWN = 12
SENTIMENT_WINDOW = timedelta(minutes=30)  # the big screen's sentiment chart: the last 30
CHANNELS_SHOWN = 6


def _start(detail: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(detail.get("started_at") or detail["scheduled_start"])


def _segments(detail: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The run-of-show now: current and next segment, minutes in, seconds to the next."""
    start = detail.get("started_at") or detail["scheduled_start"]
    started = datetime.fromisoformat(start)
    segs = sorted(detail["segments"], key=lambda g: g["start_minute"])
    live = detail["status"] == "live"
    elapsed = (now - started).total_seconds() if detail["status"] in ("live", "ended") else 0
    if detail["status"] == "ended" and detail.get("ended_at"):
        elapsed = (datetime.fromisoformat(detail["ended_at"]) - started).total_seconds()
    minute = elapsed / 60
    current = next((g for g in segs if g["start_minute"] <= minute
                    < g["start_minute"] + g["duration_minutes"]), None) if live else None
    upcoming = next((g for g in segs if g["start_minute"] > minute), None) if live else None
    to_next = int(upcoming["start_minute"] * 60 - elapsed) if upcoming else None
    return {"elapsed_seconds": max(0, int(elapsed)), "current": current, "next": upcoming,
            "next_in_seconds": to_next, "ends_at": started + timedelta(
                minutes=detail["duration_minutes"])}


def _marks(detail: dict[str, Any], tz: str) -> Any:
    """Run-of-show segments as [from, to, title] in the chart's minute labels."""
    start = datetime.fromisoformat(detail.get("started_at") or detail["scheduled_start"])

    def at(minute: int) -> str:
        return local(start + timedelta(minutes=minute), tz).strftime("%H:%M")

    def marks(timeline: list[dict[str, Any]]) -> list[list[str]]:
        shown = {local(datetime.fromisoformat(r["minute"]), tz).strftime("%H:%M")
                 for r in timeline}
        return [[at(g["start_minute"]), at(g["start_minute"] + g["duration_minutes"] - 1),
                 g["title"]] for g in detail["segments"]
                if at(g["start_minute"]) in shown]
    return marks


def _progress(targets: dict[str, Any], metrics: dict[str, Any]) -> list[dict[str, Any]]:
    keys = {"gmv_fen": "gmv_fen", "gmv": "gmv_fen", "viewers": "unique_viewers",
            "unique_viewers": "unique_viewers", "conversion_rate": "conversion_rate",
            "paid_orders": "paid_orders", "peak_online": "peak_online"}
    out = []
    for key, target in (targets or {}).items():
        metric = keys.get(key)
        if metric is None or not target:
            continue
        actual = metrics.get(metric, 0) or 0
        out.append({"metric": metric, "target": target, "actual": actual,
                    "ratio": actual / target})
    return out


def show_context(c: Container, sid: str, actor: Actor, parts: frozenset[str] = PARTS,
                 view: str = "console") -> dict[str, Any]:
    """Everything the pages draw, limited to `parts` (a redraw reads only what moved).
    The comment stream is not here: it travels as data (entrypoints/api/live_comments.py)."""
    now = c.clock.now()
    with c.read() as conn:
        detail = planning_views.session_detail(conn, sid)
        ctx: dict[str, Any] = {"s": detail, "sid": sid, "actor": actor, "parts": parts,
                               "now": now, "run": _segments(detail, now),
                               "segment_marks": _marks(detail, c.settings.timezone)}
        ctx["names"] = {i["sku_id"]: i["name"] for i in detail["lineup"]}
        need_metrics = parts & {"metrics", "lineup", "status"}
        if need_metrics and actor.may("metrics.read"):
            m = metric_views.live_metrics(conn, c.metrics_cache, sid, now)
            ctx["m"] = m
            ctx["sold"] = {p["sku_id"]: p["paid_units"] for p in m["per_product"]}
            ctx["progress"] = _progress(detail["targets"], m)
            if view == "dashboard" and "metrics" in parts:
                ctx["sentiment"] = comment_views.sentiment_trend(
                    conn, sid, max(_start(detail), now - SENTIMENT_WINDOW))
                ctx["channels"] = sorted(
                    metric_views.channels(conn, c.metrics_cache, sid, now)
                    ["channels"], key=lambda r: (-r["viewers"], -r["gmv_fen"]))[:CHANNELS_SHOWN]
        if "alerts" in parts and actor.may("metrics.read"):
            ctx["alerts"] = alert_views.stored_alerts(conn, sid)
        if parts & {"flash", "lineup"}:
            flash = console_views.rows_for_session(conn, t.flash_sales, sid)
            ctx["flash_sales"] = list(reversed(flash))
            ctx["flash_by_sku"] = {f["sku_id"]: f for f in flash if f["status"] == "live"}
        if "coupons" in parts:
            ctx["coupons"] = list(reversed(console_views.rows_for_session(conn, t.coupons, sid)))
            ctx["ladders"] = console_views.rows_for_session(conn, t.price_ladders, sid)
        if "announcements" in parts:
            ctx["announcements"] = list(reversed(
                console_views.rows_for_session(conn, t.announcements, sid)))[:5]
        if "audit" in parts and actor.may("audit.read"):
            ctx["audit"] = list(reversed(console_views.audit(conn, sid, 500, 0)["items"]))[:15]
        if "lotteries" in parts:
            ctx["lotteries"] = list(reversed(
                console_views.rows_for_session(conn, comment_lotteries, sid)))[:5]
        if "incidents" in parts and actor.may("metrics.read"):
            # Open ones first (they need someone), then the latest resolved.
            found = incidents_of(conn, sid, now)
            ctx["incident_kinds"], ctx["goal"] = INCIDENT_KINDS, RECOVERY_GOAL_S
            ctx["incidents"] = ([i for i in reversed(found) if not i["resolved"]]
                                + [i for i in reversed(found) if i["resolved"]][:5])
    if "questions" in parts and actor.may("comments.read"):
        cards = questions(sid, c, actor, limit=200)["items"]
        # First asked, first in line: the queue never reorders under the host's eyes;
        # urgent cards are marked, not moved.
        cards.sort(key=lambda q: (q["first_seen"], q["id"]))
        ctx["cards"] = cards[:QUESTIONS_SHOWN]
        ctx["cards_total"] = len(cards)
    return ctx


def ago(at: str | datetime, now: datetime) -> int:
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    return int((now - as_aware(moment)).total_seconds())
