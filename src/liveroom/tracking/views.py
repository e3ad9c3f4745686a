"""Read side of the viewer pages (/reserve, /live) and of the warm-up page for 运营."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.repositories import SessionRepo
from liveroom.adapters.sql.tracking_repo import TrackingRepo
from liveroom.core.clock import as_aware
from liveroom.tracking import campaign as rules
from liveroom.tracking.channels import CHANNELS
from liveroom.tracking.warmup import Tick, timeline


def landing(conn: Any, sid: str, link_code: str | None) -> dict[str, Any]:
    """The show (title, theme, slot, status), how many have reserved, and what the tracked
    link brings along: its channel and an exclusive coupon code, if it carries one."""
    session = SessionRepo(conn).get(sid)
    repo = TrackingRepo(conn)
    link = repo.links_by_code([link_code]) if link_code else []
    mine = link[0] if link and link[0].session_id == sid else None
    return {"session_id": session.id, "title": session.title, "theme": session.theme,
            "scheduled_start": session.scheduled_start,
            "duration_minutes": session.duration_minutes,
            "status": session.status.value, "reservations": repo.reservation_count(sid),
            "link_code": mine.code if mine else None,
            "channel": mine.channel if mine else None,
            "channel_zh": CHANNELS[mine.channel].zh if mine else None,
            "coupon_code": mine.coupon_code if mine else None,
            "exclusive": _exclusive(conn, sid, mine.coupon_code if mine else None)}


def _exclusive(conn: Any, sid: str, code: str | None) -> dict[str, Any] | None:
    """The issued coupon the link's code unlocks (claimed with that code only)."""
    if not code:
        return None
    c = t.coupons.c
    row = conn.execute(select(t.coupons).where(c.session_id == sid, c.code == code.upper(),
                                               c.status == "issued")).first()
    if row is None:
        return None
    return {"id": row.id, "name": row.name, "discount_fen": row.discount_fen,
            "threshold_fen": row.threshold_fen, "left": max(0, row.total - row.claimed)}


def warmup_board(conn: Any, sid: str, now: datetime, base_url: str) -> dict[str, Any]:
    """Everything the warm-up page shows: the task timeline with who ticked what, the
    tracked links with their QR codes, reservations (per channel, over time), the
    invitation PK and the channels' exclusive coupon codes."""
    session = SessionRepo(conn).get(sid)
    repo = TrackingRepo(conn)
    ticks = {k: Tick(r.done_by, as_aware(r.done_at), r.note)
             for k, r in repo.warmup_ticks(sid).items()}
    rows = repo.reservations(sid)
    facts = [rules.ReservationFact(r.buyer_id, r.channel, as_aware(r.created_at), r.invited_by,
                                   r.team) for r in rows]
    per_link = Counter(r.link_code for r in rows if r.link_code)
    by_channel = Counter(f.channel for f in facts)
    links = [{"code": r.code, "kind": r.kind, "channel": r.channel, "koc": r.koc,
              "team": r.team, "coupon_code": r.coupon_code, "url": r.url,
              "short_url": f"{base_url}api/v1/l/{r.code}",
              "qr_url": f"/api/v1/links/{r.code}/qr.svg", "reservations": per_link[r.code],
              "created_by": r.created_by, "created_at": as_aware(r.created_at)}
             for r in repo.links(sid)]
    c = t.coupons.c
    exclusive = [{"channel": r.channel, "code": r.code, "name": r.name,
                  "discount_fen": r.discount_fen, "threshold_fen": r.threshold_fen,
                  "claimed": r.claimed, "total": r.total, "status": r.status}
                 for r in conn.execute(select(t.coupons).where(
                     c.session_id == sid, c.code.is_not(None)).order_by(c.created_at))]
    config = repo.campaign(sid)
    return {"session": session, "tasks": timeline(session.scheduled_start, ticks, now),
            "links": links, "reservations": len(facts),
            "by_channel": sorted(by_channel.items(), key=lambda kv: (-kv[1], kv[0])),
            "curve": rules.reservation_curve(facts),
            "leaderboard": rules.leaderboard(config, facts), "exclusive": exclusive}
