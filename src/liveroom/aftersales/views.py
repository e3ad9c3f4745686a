"""Read side of after-sales: the service queue with SLA clocks, evidence, the order and the
buyer's own comments; the breach alerts; the SLA shares; and the buyer's view of answers."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from liveroom.adapters.sql import schema_comments as tc
from liveroom.adapters.sql.schema_aftersales import after_sales, replacement_shipments, sla_breaches
from liveroom.adapters.sql.schema_orders import orders
from liveroom.adapters.sql.tickets_repo import TicketsRepo, ticket_of
from liveroom.aftersales import model
from liveroom.comments import tickets
from liveroom.core.clock import as_aware
from liveroom.orders.model import mask_name

CHAT_LINES = 5


def _iso(value: datetime | None) -> str | None:
    return as_aware(value).isoformat() if value is not None else None


def mask_buyer(buyer_id: str, contact: dict[str, Any] | None) -> str:
    """The buyer as the service sees them: a masked name (or a masked account id)."""
    name = (contact or {}).get("name")
    if name:
        return mask_name(name) or ""
    if len(buyer_id) <= 2:
        return buyer_id[:1] + "*"
    return buyer_id[0] + "*" * min(4, len(buyer_id) - 2) + buyer_id[-1]


def clock_json(ticket: tickets.Ticket, now: datetime) -> dict[str, Any]:
    clock = model.sla_clock(ticket.created_at, ticket.first_response_at, ticket.completed_at,
                            tickets.FIRST_RESPONSE_SLA, tickets.COMPLETION_SLA)
    left = clock.left(now)
    return {"deadline": _iso(clock.deadline), "which": clock.which,
            "seconds_left": None if left is None else int(left.total_seconds()),
            "overdue": left is not None and left.total_seconds() < 0}


def queue(conn: Any, now: datetime, *, open_only: bool, stage: str | None, limit: int,
          offset: int) -> dict[str, Any]:
    a = after_sales.c
    q = select(after_sales, orders.c.total_fen, orders.c.refunded_fen.label("order_refunded"),
               orders.c.status.label("order_status"), orders.c["items"],
               orders.c.shipping, orders.c.contact).join(orders, orders.c.id == a.order_id)
    if open_only:
        q = q.where(a.stage.in_([s.value for s in model.OPEN_STAGES]))
    if stage:
        q = q.where(a.stage == stage)
    total = conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    rows = conn.execute(q.order_by(a.created_at, a.id).limit(limit).offset(offset)).all()
    ticket_ids = [r.ticket_id for r in rows]
    worked = {t.id: ticket_of(t) for t in conn.execute(select(tc.aftersales_tickets).where(
        tc.aftersales_tickets.c.id.in_(ticket_ids))).all()}
    messages = TicketsRepo(conn).messages(ticket_ids)
    chat = _chat(conn, rows)
    items = []
    for r in rows:
        ticket = worked[r.ticket_id]
        items.append({
            **case_json(r), "buyer": mask_buyer(r.buyer_id, r.contact),
            "order": {"id": r.order_id, "number": model.short_number(r.order_id),
                      "status": r.order_status, "total_fen": int(r.total_fen),
                      "refunded_fen": int(r.order_refunded),
                      "items": r.items, "shipping_status": (r.shipping or {}).get("status")},
            "clock": clock_json(ticket, now),
            "first_response_at": _iso(ticket.first_response_at),
            "completed_at": _iso(ticket.completed_at),
            "chat": chat.get((r.session_id, r.buyer_id), []),
            "messages": [_message(m) for m in messages[r.ticket_id]]})
    return {"items": items, "total": total, "limit": limit, "offset": offset,
            "sla": sla(conn, now), "alerts": alerts(conn, 20)}


def case_json(r: Any) -> dict[str, Any]:
    return {"id": r.id, "order_id": r.order_id, "kind": r.kind, "reason": r.reason,
            "amount_fen": int(r.amount_fen), "refunded_fen": int(r.refunded_fen),
            "status": r.status, "stage": r.stage, "auto": bool(r.auto),
            "hold_reason": r.hold_reason, "evidence": r.evidence or [],
            "exchange_sku_id": r.exchange_sku_id, "decision_note": r.decision_note,
            "created_at": _iso(r.created_at), "decided_at": _iso(r.decided_at),
            "received_at": _iso(r.received_at), "closed_at": _iso(r.closed_at)}


def _message(m: Any) -> dict[str, Any]:
    return {"kind": m.kind, "body": m.body, "at": _iso(m.created_at)}


def _chat(conn: Any, rows: list[Any]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """What each buyer said in the show they bought in: their last few comments."""
    if not rows:
        return {}
    c = tc.comments.c
    found = conn.execute(select(c.session_id, c.buyer_id, c.text, c.ts).where(
        c.session_id.in_({r.session_id for r in rows}),
        c.buyer_id.in_({r.buyer_id for r in rows})).order_by(c.ts.desc()).limit(
        CHAT_LINES * len(rows) * 4)).all()
    out: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for f in found:
        said = out[(f.session_id, f.buyer_id)]
        if len(said) < CHAT_LINES:
            said.append({"text": f.text, "at": _iso(f.ts)})
    return out


def sla(conn: Any, now: datetime) -> dict[str, Any]:
    """On-time shares over every after-sales case's ticket (target: completion ≥ 95 %)."""
    rows = conn.execute(select(tc.aftersales_tickets).join(
        after_sales, after_sales.c.ticket_id == tc.aftersales_tickets.c.id)).all()
    return tickets.sla([ticket_of(r) for r in rows], now).as_json()


def alerts(conn: Any, limit: int) -> list[dict[str, Any]]:
    b = sla_breaches.c
    rows = conn.execute(select(sla_breaches, after_sales.c.order_id, after_sales.c.stage)
                        .join(after_sales, after_sales.c.id == b.case_id)
                        .order_by(b.detected_at.desc(), b.id).limit(limit)).all()
    return [{"case_id": r.case_id, "order_id": r.order_id,
             "order_number": model.short_number(r.order_id), "kind": r.kind,
             "due_at": _iso(r.due_at), "detected_at": _iso(r.detected_at),
             "still_open": model.is_open(r.stage)} for r in rows]


def for_order(conn: Any, order_id: str) -> list[dict[str, Any]]:
    """The buyer's view: their cases on the order, the service's answers, the replacement."""
    rows = conn.execute(select(after_sales).where(after_sales.c.order_id == order_id)
                        .order_by(after_sales.c.created_at, after_sales.c.id)).all()
    messages = TicketsRepo(conn).messages([r.ticket_id for r in rows])
    shipments = {s.case_id: s for s in conn.execute(select(replacement_shipments).where(
        replacement_shipments.c.order_id == order_id)).all()}
    out = []
    for r in rows:
        ship = shipments.get(r.id)
        out.append({**case_json(r), "answers": [_message(m) for m in messages[r.ticket_id]],
                    "replacement": None if ship is None else {
                        "items": ship.items, "status": ship.status}})
    return out
