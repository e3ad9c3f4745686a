"""Stored alerts: raise and clear metric alerts as the rules fire, acknowledge either kind.
Load, act, commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from liveroom.adapters.sql.alerts_repo import AlertsRepo
from liveroom.adapters.sql.schema_comments import comment_alerts
from liveroom.adapters.sql.schema_live import live_alerts
from liveroom.core.bus import Context
from liveroom.core.errors import NotFound
from liveroom.core.ids import new_id
from liveroom.metrics.commands import (
    AcknowledgeAlert,
    AlertAcknowledged,
    MetricAlertCleared,
    MetricAlertRaised,
    RecordMetricAlerts,
)


def record_metric_alerts(cmd: RecordMetricAlerts, uow: Any, ctx: Context) -> dict[str, Any]:
    """Idempotent: evaluating the same show twice (or in two processes) raises each kind
    once per episode; the partial unique index decides, not a read before the write."""
    now = ctx.clock.now()
    repo = AlertsRepo(uow.conn)
    fired = {a["code"]: a for a in cmd.fired}
    raised, cleared = [], []
    for kind, alert in fired.items():
        aid = new_id()
        if repo.raise_open(aid, cmd.session_id, kind, alert, now):
            raised.append(aid)
            uow.emit(MetricAlertRaised(cmd.session_id, aid, kind, alert["severity"]))
    la = live_alerts.c
    stopped = uow.conn.execute(select(la.id, la.kind).where(
        la.session_id == cmd.session_id, la.cleared_at.is_(None),
        la.kind.not_in(list(fired)))).all()
    for row in stopped:
        moved = uow.conn.execute(update(live_alerts).where(
            la.id == row.id, la.cleared_at.is_(None)).values(cleared_at=now))
        if moved.rowcount == 1:
            cleared.append(row.id)
            uow.emit(MetricAlertCleared(cmd.session_id, row.id, row.kind))
    uow.commit()
    return {"raised": raised, "cleared": cleared}


def acknowledge(cmd: AcknowledgeAlert, uow: Any, ctx: Context) -> dict[str, Any]:
    source = _source_of(uow.conn, cmd.session_id, cmd.alert_id)
    now = ctx.clock.now()
    repo = AlertsRepo(uow.conn)
    if repo.acknowledge(cmd.alert_id, cmd.session_id, source, ctx.actor.name, now):
        uow.audit.record(ctx.actor, "alert.acknowledge", session_id=cmd.session_id,
                         target=cmd.alert_id, before={"acknowledged": False},
                         after={"acknowledged": True, "source": source})
        uow.emit(AlertAcknowledged(cmd.session_id, cmd.alert_id, source))
        uow.commit()
    ack = repo.ack_of(cmd.alert_id)
    return {"id": cmd.alert_id, "source": source, "acknowledged_by": ack["actor"],
            "acknowledged_at": ack["at"].isoformat()}


def _source_of(conn: Any, sid: str, alert_id: str) -> str:
    for source, table in (("metric", live_alerts), ("comment", comment_alerts)):
        found = conn.execute(select(table.c.id).where(
            table.c.id == alert_id, table.c.session_id == sid)).first()
        if found is not None:
            return source
    raise NotFound(f"no alert {alert_id} in session {sid}", code="alert_not_found")


HANDLERS = {RecordMetricAlerts: record_metric_alerts, AcknowledgeAlert: acknowledge}
