"""Live-ops analytics rules: incidents (DOMAIN item 12) and A/B experiment definitions
(DOMAIN item 11). Plain Python."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from liveroom.core.errors import Invalid

INCIDENT_KINDS = ("stream_down", "host_change", "oversell", "public_opinion", "payment",
                  "other")
RECOVERY_GOAL_S = 180  # the handbooks: recover from a fault within 3 minutes
# metric → how arms are compared: a rate (z-test) or money per unit (bootstrap)
EXPERIMENT_METRICS = {"conversion": "rate", "click_rate": "rate", "uv_value": "money",
                      "aov": "money", "gpm": "money"}
MAX_ARMS = 2


def check_incident_kind(kind: str) -> None:
    if kind not in INCIDENT_KINDS:
        raise Invalid(f"kind is one of {', '.join(INCIDENT_KINDS)}", code="unknown_kind",
                      field="kind")


def duration_s(started: datetime, resolved: datetime | None, now: datetime) -> int:
    return max(0, int(((resolved or now) - started).total_seconds()))


def check_experiment(metric: str, arms: list[dict[str, Any]]) -> None:
    if metric not in EXPERIMENT_METRICS:
        raise Invalid(f"metric is one of {', '.join(EXPERIMENT_METRICS)}",
                      code="unknown_metric", field="metric")
    if len(arms) != MAX_ARMS:
        raise Invalid("an experiment compares exactly two arms", code="invalid_arms",
                      field="arms")
    labels = {a["label"] for a in arms}
    if len(labels) != len(arms):
        raise Invalid("arm labels must differ", code="invalid_arms", field="arms")
    for arm in arms:
        lo, hi = arm.get("from_minute"), arm.get("to_minute")
        if lo is not None and hi is not None and hi <= lo:
            raise Invalid("to_minute must be after from_minute", code="invalid_arms",
                          field="arms")
