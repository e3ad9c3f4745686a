"""Read side of planning: a session with its lineup, run-of-show, checklist and warnings."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.repositories import CatalogRepo, SessionRepo
from liveroom.core.clock import local
from liveroom.core.errors import NotFound
from liveroom.planning.checker import check_plan
from liveroom.planning.model import (
    CHECKLIST_DUE_MIN,
    CHECKLIST_ITEMS,
    LiveSession,
    Status,
    loop_steps,
)

DEFAULT_TZ = "Asia/Shanghai"


def session_dict(s: LiveSession) -> dict[str, Any]:
    return {
        "id": s.id, "title": s.title, "theme": s.theme, "status": s.status.value,
        "scheduled_start": s.scheduled_start.isoformat(), "duration_minutes": s.duration_minutes,
        "targets": s.targets, "sku_targets": s.sku_targets, "roles": s.roles,
        "channel_budget": s.channel_budget, "contingency": s.contingency,
        "max_price_drop_pct": s.max_price_drop_pct, "explaining_sku_id": s.explaining_sku_id,
        "started_at": s.started_at.isoformat() if s.started_at else None,
        "ended_at": s.ended_at.isoformat() if s.ended_at else None,
    }


def list_sessions(conn: Any, limit: int, offset: int, status: str | None) -> dict[str, Any]:
    q = select(t.live_sessions.c.id)
    if status:
        q = q.where(t.live_sessions.c.status == status)
    total = conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    repo = SessionRepo(conn)
    rows = conn.execute(q.order_by(t.live_sessions.c.scheduled_start.desc())
                        .limit(limit).offset(offset)).all()
    return {"items": [session_dict(repo.get(r.id)) for r in rows], "total": total,
            "limit": limit, "offset": offset}


def latest_session(conn: Any) -> str:
    """The session that started last (or was planned last, if none has started)."""
    s = t.live_sessions.c
    row = conn.execute(select(s.id).order_by(s.started_at.is_(None), s.started_at.desc(),
                                             s.scheduled_start.desc()).limit(1)).first()
    if row is None:
        raise NotFound("there are no sessions yet", code="session_not_found")
    return str(row.id)


def lineup_view(conn: Any, sid: str) -> list[dict[str, Any]]:
    repo = SessionRepo(conn)
    items = repo.lineup(sid)
    products, skus = CatalogRepo(conn).products_for_skus([i.sku_id for i in items])
    out = []
    for i in items:
        sku, product = skus[i.sku_id], products[i.sku_id]
        out.append({
            "sku_id": i.sku_id, "code": sku.code, "name": product.name, "spec": sku.spec,
            "tier": product.tier.value, "tier_zh": product.tier.zh, "position": i.position,
            "list_price_fen": sku.price_fen, "cost_fen": sku.cost_fen,
            "planned_price_fen": i.planned_price_fen, "live_price_fen": i.live_price_fen,
            "floor_price_fen": i.floor_price_fen, "flash_quantity": i.flash_quantity,
            "stock": sku.stock, "listed": i.listed, "talking_points": i.talking_points,
        })
    return out


def plan_warnings(conn: Any, sid: str, tz: str = DEFAULT_TZ) -> list[dict[str, Any]]:
    repo = SessionRepo(conn)
    session = repo.get(sid)
    lineup = repo.lineup(sid)
    products, skus = CatalogRepo(conn).products_for_skus([i.sku_id for i in lineup])
    fs = t.flash_sales.c
    flash = {r.sku_id: int(r.quantity) for r in conn.execute(
        select(fs.sku_id, func.sum(fs.quantity).label("quantity"))
        .where(fs.session_id == sid, fs.status != "closed").group_by(fs.sku_id))}
    for sku_id, allocated in flash.items():  # created sales already hold their units
        if sku_id in skus:
            skus[sku_id] = replace(skus[sku_id], stock=skus[sku_id].stock + allocated)
    warnings = check_plan(session.duration_minutes, repo.segments(sid), lineup, products, skus,
                          {k: max(v, next((i.flash_quantity for i in lineup if i.sku_id == k), 0))
                           for k, v in flash.items()},
                          local_start=local(session.scheduled_start, tz),
                          contingency=session.contingency)
    return [w.to_dict() for w in warnings]


def checklist_view(s: LiveSession, ticks: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item with when it is due (minutes before the slot) and who ticked it, when."""
    out = []
    for k, label in CHECKLIST_ITEMS.items():
        due = s.scheduled_start - timedelta(minutes=CHECKLIST_DUE_MIN[k])
        tick = {**ticks[k], "checked_at": ticks[k]["checked_at"].isoformat()} \
            if k in ticks else {"ok": None}
        out.append({"item": k, "label": label, "due_at": due.isoformat(), **tick})
    return out


def unticked(conn: Any, sid: str) -> list[str]:
    """Checklist items not ticked ok: going live with them is allowed, with a warning."""
    ticks = SessionRepo(conn).checklist(sid)
    return [k for k in CHECKLIST_ITEMS if not (ticks.get(k) or {}).get("ok")]


def session_detail(conn: Any, sid: str, tz: str = DEFAULT_TZ) -> dict[str, Any]:
    repo = SessionRepo(conn)
    s = repo.get(sid)
    segs = [{"id": g.id, "kind": g.kind.value, "title": g.title, "start_minute": g.start_minute,
             "duration_minutes": g.duration_minutes, "sku_id": g.sku_id, "giveaway": g.giveaway,
             "script": g.script, "loop": loop_steps(g.script), "contingency": g.contingency}
            for g in repo.segments(sid)]
    return {**session_dict(s), "lineup": lineup_view(conn, sid), "segments": segs,
            "checklist": checklist_view(s, repo.checklist(sid)),
            "editable": s.status == Status.PLANNED,
            "warnings": plan_warnings(conn, sid, tz)}
