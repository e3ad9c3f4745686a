"""Stored alerts of a show: metric alerts (live_alerts), comment alerts (comment_alerts)
and their acknowledgements (alert_acks), read together as one list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from liveroom.adapters.sql.db import insert_ignoring_duplicates
from liveroom.adapters.sql.schema_comments import comment_alerts, comments
from liveroom.adapters.sql.schema_live import alert_acks, live_alerts
from liveroom.core.clock import as_aware


class AlertsRepo:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def raise_open(self, aid: str, sid: str, kind: str, alert: dict[str, Any],
                   now: datetime) -> bool:
        """Insert unless this kind is open already (the partial unique index)."""
        done = self.conn.execute(insert_ignoring_duplicates(self.conn, live_alerts).values(
            id=aid, session_id=sid, kind=kind, severity=alert["severity"],
            value=alert.get("value"), baseline=alert.get("baseline"),
            change_pct=alert.get("change_pct"), minute=alert.get("at", now.isoformat()),
            raised_at=now).returning(live_alerts.c.id))
        return done.first() is not None  # (rowcount is not reliable for ON CONFLICT)

    def acknowledge(self, aid: str, sid: str, source: str, actor: str,
                    now: datetime) -> bool:
        done = self.conn.execute(insert_ignoring_duplicates(self.conn, alert_acks).values(
            alert_id=aid, session_id=sid, source=source, actor=actor, acknowledged_at=now
        ).returning(alert_acks.c.alert_id))
        return done.first() is not None

    def ack_of(self, aid: str) -> dict[str, Any]:
        row = self.conn.execute(select(alert_acks).where(alert_acks.c.alert_id == aid)).one()
        return {"actor": row.actor, "at": as_aware(row.acknowledged_at)}

    def alerts(self, sid: str, limit: int = 50) -> list[dict[str, Any]]:
        """Both sources, newest first, each with its acknowledgement (or None)."""
        la, ca, ack = live_alerts.c, comment_alerts.c, alert_acks.c
        acks = {r.alert_id: {"by": r.actor, "at": as_aware(r.acknowledged_at)}
                for r in self.conn.execute(select(alert_acks).where(ack.session_id == sid))}
        out: list[dict[str, Any]] = []
        for r in self.conn.execute(select(live_alerts).where(la.session_id == sid)
                                   .order_by(la.raised_at.desc()).limit(limit)):
            out.append({"id": r.id, "source": "metric", "kind": r.kind,
                        "severity": r.severity, "value": r.value, "baseline": r.baseline,
                        "change_pct": r.change_pct, "minute": r.minute,
                        "raised_at": as_aware(r.raised_at),
                        "cleared_at": as_aware(r.cleared_at) if r.cleared_at else None,
                        "ack": acks.get(r.id), "comments": []})
        for r in self.conn.execute(select(comment_alerts).where(ca.session_id == sid)
                                   .order_by(ca.created_at.desc()).limit(limit)):
            out.append({"id": r.id, "source": "comment", "kind": r.kind,
                        "severity": r.severity, "value": None, "baseline": None,
                        "change_pct": None, "minute": None,
                        "raised_at": as_aware(r.created_at), "cleared_at": None,
                        "ack": acks.get(r.id), "comment_ids": list(r.comment_ids or [])})
        out.sort(key=lambda a: a["raised_at"], reverse=True)
        out = out[:limit]
        first = {a["comment_ids"][0] for a in out if a.get("comment_ids")}
        cm = comments.c
        texts = dict(self.conn.execute(select(cm.id, cm.text).where(cm.id.in_(first))).all()
                     ) if first else {}
        for a in out:
            ids = a.get("comment_ids") or []
            a["sample"] = texts.get(ids[0]) if ids else None
            a["count"] = len(ids)
        return out
