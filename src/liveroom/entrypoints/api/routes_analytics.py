"""Incidents, A/B experiments and period roll-ups (live-ops analytics)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from liveroom.analytics import views
from liveroom.analytics.commands import CreateExperiment, OpenIncident, ResolveIncident
from liveroom.analytics.model import INCIDENT_KINDS
from liveroom.entrypoints.api.deps import ContainerDep, Operator, Reader

router = APIRouter(tags=["analytics"])
Kind = Literal[INCIDENT_KINDS]  # type: ignore[valid-type]
Metric = Literal["conversion", "click_rate", "uv_value", "aov", "gpm"]


class IncidentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Kind
    note: Annotated[str, Field(max_length=2000)] = ""


class ArmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: Annotated[str, Field(min_length=1, max_length=32)]
    session_id: Annotated[str, Field(min_length=1, max_length=32)]
    from_minute: Annotated[int, Field(ge=0, le=24 * 60)] | None = None
    to_minute: Annotated[int, Field(ge=1, le=24 * 60)] | None = None


class ExperimentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(min_length=1, max_length=128)]
    metric: Metric
    arms: Annotated[list[ArmIn], Field(min_length=2, max_length=2)]


@router.post("/sessions/{sid}/incidents", status_code=201)
def open_incident(sid: str, body: IncidentIn, c: ContainerDep,
                  actor: Operator) -> dict[str, Any]:
    out: dict[str, Any] = c.bus.handle(OpenIncident(sid, body.kind, body.note), actor)
    return out


@router.post("/incidents/{iid}/resolve")
def resolve_incident(iid: str, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    out: dict[str, Any] = c.bus.handle(ResolveIncident(iid), actor)
    return out


@router.get("/sessions/{sid}/incidents")
def list_incidents(sid: str, conn: Reader, c: ContainerDep,
                   actor: Operator) -> dict[str, Any]:
    actor.require("metrics.read")
    return {"incidents": views.incidents_of(conn, sid, c.clock.now())}


@router.post("/experiments", status_code=201)
def create_experiment(body: ExperimentIn, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    arms = [a.model_dump() for a in body.arms]
    out: dict[str, Any] = c.bus.handle(CreateExperiment(body.name, body.metric, arms), actor)
    return out


@router.get("/experiments/{eid}")
def get_experiment(eid: str, conn: Reader, actor: Operator) -> dict[str, Any]:
    actor.require("experiments.write")
    return views.experiment(conn, eid)


@router.get("/reports/rollup")
def rollup(conn: Reader, c: ContainerDep, actor: Operator,
           period: Annotated[Literal["week", "month"], Query()],
           day: Annotated[date, Query(alias="date")]) -> dict[str, Any]:
    actor.require("reports.read")
    return views.rollup(conn, period, day, c.settings.timezone, c.clock.now(),
                        c.metrics_cache.segments)
