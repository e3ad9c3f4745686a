from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from liveroom.entrypoints.api.deps import ContainerDep, Operator, PageDep, Reader
from liveroom.entrypoints.api.schemas import LineupIn, SegmentsIn, SessionIn, TickIn
from liveroom.entrypoints.api.schemas_edit import ContingencyIn
from liveroom.planning import views
from liveroom.planning.commands import (
    CreateSession,
    LineupEntry,
    SegmentEntry,
    SetContingency,
    SetLineup,
    SetSegments,
    TickChecklist,
    TransitionSession,
)

router = APIRouter(tags=["sessions"])
LISTED_FIELDS = ("id", "title", "theme", "status", "scheduled_start", "duration_minutes",
                 "started_at", "ended_at")


@router.post("/sessions", status_code=201)
def create_session(body: SessionIn, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    data = body.model_dump()
    data["targets"] = {k: v for k, v in data["targets"].items() if v is not None}
    return c.bus.handle(CreateSession(**data), actor)  # type: ignore[no-any-return]


@router.get("/sessions")
def list_sessions(conn: Reader, actor: Operator, page: PageDep,
                  status: str | None = None) -> dict[str, Any]:
    actor.require("session.list")
    out = views.list_sessions(conn, page.limit, page.offset, status)
    if not actor.may("session.read"):  # a merchant: when and what, not targets or budgets
        out["items"] = [{k: s[k] for k in LISTED_FIELDS} for s in out["items"]]
    return out


@router.get("/sessions/{sid}")
def get_session(sid: str, conn: Reader, actor: Operator) -> dict[str, Any]:
    actor.require("session.read")
    return views.session_detail(conn, sid)


@router.put("/sessions/{sid}/lineup")
def put_lineup(sid: str, body: LineupIn, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    c.bus.handle(SetLineup(sid, [LineupEntry(**i.model_dump()) for i in body.items],
                           body.override, body.override_reason), actor)
    with c.read() as conn:
        return {"items": views.lineup_view(conn, sid), "warnings": views.plan_warnings(conn, sid)}


@router.get("/sessions/{sid}/lineup")
def get_lineup(sid: str, conn: Reader, actor: Operator) -> dict[str, Any]:
    actor.require("session.read")
    return {"items": views.lineup_view(conn, sid)}


@router.put("/sessions/{sid}/segments")
def put_segments(sid: str, body: SegmentsIn, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    c.bus.handle(SetSegments(sid, [SegmentEntry(**s.model_dump()) for s in body.segments]),
                 actor)
    with c.read() as conn:
        detail = views.session_detail(conn, sid)
    return {"segments": detail["segments"], "warnings": detail["warnings"]}


@router.put("/sessions/{sid}/contingency")
def put_contingency(sid: str, body: ContingencyIn, c: ContainerDep,
                    actor: Operator) -> dict[str, Any]:
    scripts = c.bus.handle(SetContingency(sid, {str(k): v for k, v in body.scripts.items()}),
                           actor)
    return {"contingency": scripts}


@router.get("/sessions/{sid}/plan-check")
def plan_check(sid: str, conn: Reader, actor: Operator) -> dict[str, Any]:
    actor.require("session.read")
    warnings = views.plan_warnings(conn, sid)
    return {"ok": not warnings, "warnings": warnings}


@router.post("/sessions/{sid}/checklist/{item}")
def tick(sid: str, item: str, body: TickIn, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    c.bus.handle(TickChecklist(sid, item, body.ok, body.note), actor)
    with c.read() as conn:
        return {"checklist": views.session_detail(conn, sid)["checklist"]}


def _transition(to: str) -> Any:
    def endpoint(sid: str, c: ContainerDep, actor: Operator) -> dict[str, Any]:
        return c.bus.handle(TransitionSession(sid, to), actor)  # type: ignore[no-any-return]

    return endpoint


for _path, _to in (("rehearse", "rehearse"), ("start", "start"), ("end", "end")):
    router.add_api_route(f"/sessions/{{sid}}/{_path}", _transition(_to), methods=["POST"],
                         name=f"session_{_to}")
