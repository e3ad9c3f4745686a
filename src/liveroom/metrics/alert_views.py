"""Stored alerts as the API and the pages read them: what is open (not yet acknowledged)
and the show's alert history. Nothing here evaluates a rule: alerts are raised by the
evaluator (entrypoints/workers/alerts.py) and read back as stored."""

from __future__ import annotations

from typing import Any

from liveroom.adapters.sql.alerts_repo import AlertsRepo
from liveroom.metrics.alerts import SUGGESTED_ACTION

OPEN_SHOWN = 8
HISTORY_SHOWN = 30


def _json(a: dict[str, Any]) -> dict[str, Any]:
    ack = a["ack"]
    return {"id": a["id"], "source": a["source"], "code": a["kind"], "severity": a["severity"],
            "value": a["value"], "baseline": a["baseline"], "change_pct": a["change_pct"],
            "at": a["minute"], "raised_at": a["raised_at"].isoformat(),
            "cleared_at": a["cleared_at"].isoformat() if a["cleared_at"] else None,
            "active": a["source"] == "metric" and a["cleared_at"] is None,
            "acknowledged_by": ack["by"] if ack else None,
            "acknowledged_at": ack["at"].isoformat() if ack else None,
            "suggested_action": SUGGESTED_ACTION.get(a["kind"]),
            "sample": a.get("sample"), "count": a.get("count", 0)}


def stored_alerts(conn: Any, sid: str) -> dict[str, Any]:
    """`open`: not acknowledged yet, newest first (a metric alert that cleared on its own
    still waits for someone to acknowledge it); `history`: all of them, newest first."""
    found = [_json(a) for a in AlertsRepo(conn).alerts(sid, HISTORY_SHOWN * 2)]
    return {"open": [a for a in found if a["acknowledged_at"] is None][:OPEN_SHOWN],
            "history": found[:HISTORY_SHOWN]}


def active_metric_alerts(conn: Any, sid: str) -> list[dict[str, Any]]:
    """Metric alerts whose rule still fires (the API's /alerts and /metrics/live)."""
    return [_json(a) for a in AlertsRepo(conn).alerts(sid, HISTORY_SHOWN)
            if a["source"] == "metric" and a["cleared_at"] is None]
