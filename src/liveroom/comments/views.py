"""Read side of live comments for the API and the console."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from liveroom.adapters.sql import schema_comments as tc
from liveroom.adapters.sql.schema_live import comment_replies
from liveroom.adapters.sql.tickets_repo import TicketsRepo, ticket_of
from liveroom.comments import tickets
from liveroom.comments.model import INTENTS
from liveroom.core.clock import as_aware
from liveroom.core.errors import Invalid


def comment_json(r: Any) -> dict[str, Any]:
    return {"id": r.id, "session_id": r.session_id, "seq": r.seq, "client_id": r.client_id,
            "buyer_id": r.buyer_id, "nickname": r.nickname, "text": r.text,
            "ts": as_aware(r.ts).isoformat(), "intent": r.intent, "sensitive": r.sensitive,
            "risk_terms": r.risk_terms, "sentiment": r.sentiment,
            "sentiment_score": r.sentiment_score, "purchase_intent": r.purchase_intent,
            "item_ref": r.item_ref, "language": r.language, "spam": r.spam,
            "faq_id": r.faq_id, "queued": r.queued, "flagged": r.flagged, "hidden": r.hidden,
            "hidden_reason": r.hidden_reason}


def list_comments(conn: Any, sid: str, *, intent: str | None, sensitive: bool | None,
                  hidden: bool | None, buyer_id: str | None, limit: int,
                  offset: int) -> dict[str, Any]:
    c = tc.comments.c
    where = [c.session_id == sid]
    if intent is not None:
        if intent not in INTENTS:
            raise Invalid(f"intent is one of {list(INTENTS)}", field="intent")
        where.append(c.intent == intent)
    if sensitive is not None:
        where.append(c.sensitive.is_(sensitive))
    if hidden is not None:
        where.append(c.hidden.is_(hidden))
    if buyer_id is not None:
        where.append(c.buyer_id == buyer_id)
    total = conn.execute(select(func.count()).select_from(tc.comments).where(*where)).scalar_one()
    rows = conn.execute(select(tc.comments).where(*where).order_by(c.seq.desc())
                        .limit(limit).offset(offset)).all()
    return {"items": [comment_json(r) for r in rows], "total": int(total), "limit": limit,
            "offset": offset}


def list_alerts(conn: Any, sid: str, kind: str | None, limit: int,
                offset: int) -> dict[str, Any]:
    a = tc.comment_alerts.c
    where = [a.session_id == sid] + ([a.kind == kind] if kind else [])
    rows = conn.execute(select(tc.comment_alerts).where(*where)
                        .order_by(a.created_at.desc(), a.id.desc())
                        .limit(limit).offset(offset)).all()
    ids = {cid for r in rows for cid in r.comment_ids[:50]}
    texts = {r.id: r for r in conn.execute(select(tc.comments.c.id, tc.comments.c.buyer_id,
                                                  tc.comments.c.text, tc.comments.c.hidden)
                                           .where(tc.comments.c.id.in_(ids)))} if ids else {}
    items = []
    for r in rows:
        behind = [{"id": cid, "buyer_id": texts[cid].buyer_id, "text": texts[cid].text,
                   "hidden": texts[cid].hidden} for cid in r.comment_ids[:50] if cid in texts]
        items.append({"id": r.id, "kind": r.kind, "severity": r.severity, "message": r.message,
                      "comment_ids": r.comment_ids, "terms": r.terms,
                      "ts": as_aware(r.ts).isoformat(), "comments": behind})
    return {"items": items, "limit": limit, "offset": offset}


def _iso(value: datetime | None) -> str | None:
    return as_aware(value).isoformat() if value is not None else None


def ticket_json(row: Any, ticket: tickets.Ticket) -> dict[str, Any]:
    return {"id": ticket.id, "session_id": row.session_id, "comment_id": row.comment_id,
            "order_id": row.order_id, "buyer_id": row.buyer_id, "subject": row.subject,
            "status": ticket.status,
            "assignee": ticket.assignee, "opened_by": row.opened_by,
            "created_at": ticket.created_at.isoformat(),
            "first_response_at": _iso(ticket.first_response_at),
            "completed_at": _iso(ticket.completed_at), "resolution": ticket.resolution}


def ticket_list(conn: Any, sid: str, now: datetime) -> dict[str, Any]:
    """Tickets of a session with what was said on them, and the SLA figures."""
    repo = TicketsRepo(conn)
    rows = repo.for_session(sid)
    messages = repo.messages([r.id for r in rows])
    items, worked = [], []
    for row in rows:
        ticket = ticket_of(row)
        worked.append(ticket)
        items.append({**ticket_json(row, ticket), "messages": [
            {"kind": m.kind, "body": m.body, "actor": m.actor, "at": _iso(m.created_at)}
            for m in messages[row.id]]})
    return {"items": items, "sla": tickets.sla(worked, now).as_json()}


def recent_replies(conn: Any, sid: str, limit: int = 20) -> list[dict[str, Any]]:
    """Newest first, each with the comment it answers (for the room and the console)."""
    r, c = comment_replies.c, tc.comments.c
    rows = conn.execute(select(r.id, r.comment_id, r.text, r.actor, r.created_at,
                               c.nickname, c.text.label("comment_text"))
                        .join(tc.comments, c.id == r.comment_id)
                        .where(r.session_id == sid)
                        .order_by(r.created_at.desc(), r.id.desc()).limit(limit)).all()
    return [{"id": x.id, "comment_id": x.comment_id, "text": x.text, "by": x.actor,
             "nickname": x.nickname, "comment_text": x.comment_text,
             "created_at": as_aware(x.created_at).isoformat()} for x in rows]


def sentiment_trend(conn: Any, sid: str, since: datetime) -> list[dict[str, Any]]:
    """Comments per minute (UTC, by the comment's time) and sentiment since `since`, as
    shares of that minute's comments: docs/metrics.md "Sentiment trend"."""
    c = tc.comments.c
    if conn.dialect.name == "postgresql":
        minute = func.to_char(func.date_trunc("minute", func.timezone("UTC", c.ts)),
                              'YYYY-MM-DD"T"HH24:MI')
    else:
        minute = func.strftime("%Y-%m-%dT%H:%M", c.ts)
    rows = conn.execute(select(minute.label("m"), c.sentiment, func.count())
                        .where(c.session_id == sid, c.ts >= since)
                        .group_by(minute, c.sentiment).order_by(minute)).all()
    per: dict[str, dict[str, int]] = {}
    for m, sentiment, n in rows:
        per.setdefault(m, {"pos": 0, "neu": 0, "neg": 0})[sentiment] = int(n)
    out = []
    for m, counts in sorted(per.items()):
        total = sum(counts.values())
        out.append({"minute": f"{m}:00+00:00", "comments": total,
                    **{k: round(v / total, 4) for k, v in counts.items()}})
    return out
