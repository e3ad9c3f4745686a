"""Read side of members' reach: the 晒单 queue for ops, invitations per inviter, and the
reminder queue with its outcomes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select

from liveroom.adapters.sql.schema_crm_reach import invitations, member_reminders, ugc_posts
from liveroom.adapters.sql.schema_orders import orders
from liveroom.aftersales.model import short_number
from liveroom.aftersales.views import mask_buyer
from liveroom.core.clock import as_aware


def ugc(conn: Any, status: str | None, limit: int = 100) -> list[dict[str, Any]]:
    p = ugc_posts.c
    q = (select(ugc_posts, orders.c.contact, orders.c.total_fen)
         .join(orders, orders.c.id == p.order_id).order_by(p.created_at.desc()).limit(limit))
    if status:
        q = q.where(p.status == status)
    return [{"id": r.id, "order_id": r.order_id, "order_number": short_number(r.order_id),
             "buyer": mask_buyer(r.buyer_id, r.contact), "buyer_id": r.buyer_id,
             "total_fen": int(r.total_fen), "text": r.text, "photo_url": r.photo_url,
             "status": r.status, "reward_points": r.reward_points,
             "reward_coupon_id": r.reward_coupon_id,
             "created_at": as_aware(r.created_at).isoformat()} for r in conn.execute(q)]


def invitation_board(conn: Any, limit: int = 50) -> list[dict[str, Any]]:
    """Per inviter: invitations, rewarded, refused (the fission leaderboard)."""
    i = invitations.c
    q = (select(i.inviter_id, func.count(),
                func.sum(case((i.status == "rewarded", 1), else_=0)),
                func.sum(case((i.status.in_(("refused", "reversed")), 1), else_=0)))
         .group_by(i.inviter_id).order_by(func.count().desc()).limit(limit))
    return [{"inviter_id": r[0], "display_name": mask_buyer(r[0], None), "invited": int(r[1]),
             "rewarded": int(r[2] or 0), "refused": int(r[3] or 0)} for r in conn.execute(q)]


def reminders(conn: Any, limit: int = 200) -> dict[str, Any]:
    m = member_reminders.c
    counts = {f"{k}:{s}": int(n) for k, s, n in conn.execute(
        select(m.kind, m.status, func.count()).group_by(m.kind, m.status))}
    rows = conn.execute(select(member_reminders).order_by(m.due_at.desc()).limit(limit))
    return {"counts": counts, "items": [
        {"id": r.id, "buyer": mask_buyer(r.buyer_id, None), "kind": r.kind, "channel": r.channel,
         "status": r.status, "reason": r.reason, "due_at": as_aware(r.due_at).isoformat(),
         "sent_at": as_aware(r.sent_at).isoformat() if r.sent_at else None}
        for r in rows]}
