"""Loads a session's facts from the database into a ReviewInput and builds the review."""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime
from typing import Any

from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.log_segments import LogSegments
from liveroom.adapters.sql.repositories import SessionRepo
from liveroom.adapters.sql.schema_comments import comments as comments_table
from liveroom.adapters.sql.schema_orders import orders as orders_table
from liveroom.analytics.views import incidents_of
from liveroom.core.clock import as_aware
from liveroom.crm.views import new_vs_returning
from liveroom.liveops import views as liveops_views
from liveroom.metrics.views import closed_figures
from liveroom.planning.model import Status
from liveroom.planning.views import session_dict
from liveroom.review.model import KEY_METRICS, ReviewInput, SegmentInfo, build_review

HISTORY = 8  # earlier sessions the team's average is taken over
COMMENT_CAP = 50_000


def _refunds(conn: Any, sid: str) -> tuple[int, dict[str, int]]:
    o = orders_table.c
    rows = conn.execute(select(o["items"]).where(o.session_id == sid, o.test.is_(False),
                                                 o.status == "refunded")).all()
    by_sku: dict[str, int] = {}
    for r in rows:
        for item in r.items or []:
            by_sku[item["sku_id"]] = by_sku.get(item["sku_id"], 0) + int(item["quantity"])
    return len(rows), by_sku


def _comment_facts(conn: Any, sid: str) -> list[dict[str, Any]]:
    """Comments with the product they most likely talk about: the one on screen (讲解)
    when they were written, from the console's audit trail."""
    c = comments_table.c
    rows = conn.execute(select(c.text, c.intent, c.buyer_id, c.ts)
                        .where(c.session_id == sid, c.spam.is_(False))
                        .order_by(c.seq).limit(COMMENT_CAP)).all()
    a = t.audit_log.c
    explains = [(as_aware(r.at), (r.after or {}).get("sku_id")) for r in conn.execute(
        select(a.at, a.after).where(a.session_id == sid, a.action == "console.explain")
        .order_by(a.id))]
    times = [at for at, _ in explains]
    facts = []
    for r in rows:
        i = bisect_right(times, as_aware(r.ts)) - 1
        facts.append({"text": r.text, "intent": r.intent, "buyer_id": r.buyer_id,
                      "sku_id": explains[i][1] if i >= 0 else None})
    return facts


def _summary(conn: Any, sid: str, now: datetime,
             segments: LogSegments | None) -> dict[str, Any]:
    m, _ = closed_figures(conn, sid, now, segments)
    return {k: m.get(k, 0) for k in KEY_METRICS}


def _earlier(conn: Any, session: dict[str, Any], now: datetime,
             segments: LogSegments | None) -> list[dict[str, Any]]:
    s = t.live_sessions.c
    rows = conn.execute(select(s.id, s.title, s.scheduled_start)
                        .where(s.status == Status.ENDED.value, s.id != session["id"],
                               s.scheduled_start < datetime.fromisoformat(
                                   session["scheduled_start"]))
                        .order_by(s.scheduled_start.desc()).limit(HISTORY)).all()
    return [{"id": r.id, "title": r.title, **_summary(conn, r.id, now, segments)}
            for r in rows]


def review(conn: Any, sid: str, now: datetime,
           segments: LogSegments | None = None) -> dict[str, Any]:
    """The review; `segments` (the compacted log) makes re-reading a long log cheap."""
    repo = SessionRepo(conn)
    session = session_dict(repo.get(sid))
    # one read of the event log serves metrics and channels
    metrics, chan = closed_figures(conn, sid, now, segments)
    refunds, by_sku = _refunds(conn, sid)
    history = _earlier(conn, session, now, segments)
    inp = ReviewInput(
        session=session, metrics=metrics,
        segments=[SegmentInfo(g.kind.value, g.title, g.start_minute, g.duration_minutes,
                              g.sku_id) for g in repo.segments(sid)],
        channels=chan["channels"], spend_fen=int(chan["total"]["spend_fen"]),
        refunds=refunds, refunded_by_sku=by_sku, comment_facts=_comment_facts(conn, sid),
        previous=history[0] if history else None, history=history)
    out = build_review(inp)
    out["incidents"] = incidents_of(conn, sid, now)
    out["buyers"] = new_vs_returning(conn, sid, datetime.fromisoformat(
        session["scheduled_start"]))
    out["liveops"] = liveops_views.review_summary(conn, sid)
    out["gmv_net_fen"] = metrics["gmv_net_fen"]
    out["refunded_fen"] = metrics["refunded_fen"]
    out["generated_at"] = now.isoformat()
    return out
