"""Live metrics, channel attribution and dynamic-threshold alerts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from liveroom.entrypoints.api.deps import ContainerDep, Operator, Reader
from liveroom.metrics import alert_views, views
from liveroom.metrics.commands import AcknowledgeAlert

router = APIRouter(tags=["metrics"])


@router.get("/sessions/{sid}/metrics/live")
def live(sid: str, conn: Reader, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    actor.require("metrics.read")
    snap = views.live_metrics(conn, c.metrics_cache, sid, c.clock.now())
    snap["alerts"] = alert_views.active_metric_alerts(conn, sid)  # stored, not recomputed
    return snap


@router.get("/sessions/{sid}/channels")
def channels(sid: str, conn: Reader, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    actor.require("metrics.read")
    return views.channels(conn, c.metrics_cache, sid, c.clock.now())


@router.get("/sessions/{sid}/alerts")
def live_alerts(sid: str, conn: Reader, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    actor.require("metrics.read")
    """Stored alerts: `alerts` are the metric alerts whose rule still fires (raised by the
    evaluator, not recomputed here); `open` those of both sources nobody acknowledged yet;
    `history` the show's alerts, newest first, with who acknowledged them and when."""
    stored = alert_views.stored_alerts(conn, sid)
    return {"alerts": alert_views.active_metric_alerts(conn, sid), "open": stored["open"],
            "history": stored["history"], "at": c.clock.now().isoformat()}


@router.post("/sessions/{sid}/alerts/{alert_id}/ack")
def acknowledge(sid: str, alert_id: str, c: ContainerDep, actor: Operator) -> Any:
    """Someone running the show owns the alert; audited. Acknowledging twice is a no-op."""
    return c.bus.handle(AcknowledgeAlert(sid, alert_id), actor)
