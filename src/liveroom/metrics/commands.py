"""Commands and events of stored live alerts: the evaluator records what fires, an
operator acknowledges it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from liveroom.core.messages import Command, Event


@dataclass(frozen=True)
class RecordMetricAlerts(Command):
    """What the alert rules fire on a show now (metrics.alerts.evaluate): new kinds are
    raised, kinds that stopped firing are cleared."""

    action: ClassVar[str] = "metrics.read"
    session_id: str
    fired: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class AcknowledgeAlert(Command):
    """Someone running the show has seen an alert (metric or comment) and owns it."""

    action: ClassVar[str] = "incidents.write"
    session_id: str
    alert_id: str


@dataclass(frozen=True)
class MetricAlertRaised(Event):
    session_id: str
    alert_id: str
    kind: str
    severity: str


@dataclass(frozen=True)
class MetricAlertCleared(Event):
    session_id: str
    alert_id: str
    kind: str


@dataclass(frozen=True)
class AlertAcknowledged(Event):
    session_id: str
    alert_id: str
    source: str
