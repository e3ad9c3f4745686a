"""Handlers: open and resolve incidents, define experiments. Load, act, commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update

from liveroom.adapters.sql.schema_analytics import experiments, incidents
from liveroom.analytics import model
from liveroom.analytics.commands import (
    CreateExperiment,
    IncidentOpened,
    IncidentResolved,
    OpenIncident,
    ResolveIncident,
)
from liveroom.core.bus import Context
from liveroom.core.errors import Conflict, NotFound
from liveroom.core.ids import new_id
from liveroom.planning.model import Status


def _who(ctx: Context) -> str:
    return f"{ctx.actor.role.value}:{ctx.actor.id}"


def open_incident(cmd: OpenIncident, uow: Any, ctx: Context) -> dict[str, Any]:
    session = uow.sessions.get(cmd.session_id)
    session.require(Status.REHEARSAL, Status.LIVE, Status.ENDED)
    model.check_incident_kind(cmd.kind)
    now = ctx.clock.now()
    iid = new_id()
    uow.execute(insert(incidents).values(id=iid, session_id=session.id, kind=cmd.kind,
                                         note=cmd.note, opened_by=_who(ctx), started_at=now))
    uow.audit.record(ctx.actor, "incident.open", session_id=session.id, target=iid,
                     after={"kind": cmd.kind, "note": cmd.note})
    uow.emit(IncidentOpened(session.id, iid, cmd.kind))
    uow.commit()
    return {"id": iid, "kind": cmd.kind, "started_at": now.isoformat()}


def resolve_incident(cmd: ResolveIncident, uow: Any, ctx: Context) -> dict[str, Any]:
    row = uow.execute(select(incidents).where(incidents.c.id == cmd.incident_id)).first()
    if row is None:
        raise NotFound(f"no incident {cmd.incident_id}", code="incident_not_found")
    now = ctx.clock.now()
    moved = uow.execute(update(incidents).where(incidents.c.id == row.id,
                                                incidents.c.resolved_at.is_(None))
                        .values(resolved_at=now, resolved_by=_who(ctx)))
    if moved.rowcount != 1:
        raise Conflict("the incident is resolved already", code="incident_resolved")
    started = row.started_at if row.started_at.tzinfo else row.started_at.replace(
        tzinfo=now.tzinfo)
    seconds = model.duration_s(started, now, now)
    uow.audit.record(ctx.actor, "incident.resolve", session_id=row.session_id, target=row.id,
                     after={"duration_s": seconds})
    uow.emit(IncidentResolved(row.session_id, row.id, seconds))
    uow.commit()
    return {"id": row.id, "duration_s": seconds,
            "within_goal": seconds <= model.RECOVERY_GOAL_S}


def create_experiment(cmd: CreateExperiment, uow: Any, ctx: Context) -> dict[str, Any]:
    model.check_experiment(cmd.metric, cmd.arms)
    for arm in cmd.arms:
        uow.sessions.get(arm["session_id"])
    eid = new_id()
    uow.execute(insert(experiments).values(id=eid, name=cmd.name, metric=cmd.metric,
                                           arms=cmd.arms, created_by=_who(ctx),
                                           created_at=ctx.clock.now()))
    uow.commit()
    return {"id": eid}


HANDLERS = {OpenIncident: open_incident, ResolveIncident: resolve_incident,
            CreateExperiment: create_experiment}
