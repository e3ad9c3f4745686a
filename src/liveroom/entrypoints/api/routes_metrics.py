"""Live metrics, channel attribution and dynamic-threshold alerts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from liveroom.entrypoints.api.deps import ContainerDep, Operator, Reader
from liveroom.metrics import alerts, views

router = APIRouter(tags=["metrics"])


@router.get("/sessions/{sid}/metrics/live")
def live(sid: str, conn: Reader, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    actor.require("metrics.read")
    snap = views.live_metrics(conn, c.metrics_cache, sid, c.clock.now())
    snap["alerts"] = current_alerts(snap)  # the dashboard's one poll shows them too
    return snap


@router.get("/sessions/{sid}/channels")
def channels(sid: str, conn: Reader, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    actor.require("metrics.read")
    return views.channels(conn, c.metrics_cache, sid, c.clock.now())


@router.get("/sessions/{sid}/alerts")
def live_alerts(sid: str, conn: Reader, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    actor.require("metrics.read")
    snap = views.live_metrics(conn, c.metrics_cache, sid, c.clock.now())
    return {"alerts": current_alerts(snap), "online": snap["online"], "at": snap["at"]}


def current_alerts(snap: dict[str, Any]) -> list[dict[str, Any]]:
    # After the show the audience leaves: a falling curve then is not an incident.
    return alerts.evaluate(snap["timeline"]) if snap["status"] == "live" else []
