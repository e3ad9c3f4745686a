"""Commands of live-ops analytics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from liveroom.core.messages import Command, Event


@dataclass(frozen=True)
class OpenIncident(Command):
    action: ClassVar[str] = "incidents.write"
    session_id: str
    kind: str
    note: str = ""


@dataclass(frozen=True)
class ResolveIncident(Command):
    action: ClassVar[str] = "incidents.write"
    incident_id: str


@dataclass(frozen=True)
class IncidentOpened(Event):
    session_id: str
    incident_id: str
    kind: str


@dataclass(frozen=True)
class IncidentResolved(Event):
    session_id: str
    incident_id: str
    duration_s: int


@dataclass(frozen=True)
class CreateExperiment(Command):
    action: ClassVar[str] = "experiments.write"
    name: str
    metric: str
    arms: list[dict[str, Any]]
