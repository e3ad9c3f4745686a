"""The warm-up page for 运营 (/sessions/{sid}/warmup): the task timeline ticked by people,
tracked links with QR codes per channel and KOC, the reservation curve, the invitation PK
and the channels' exclusive coupon codes. Forms post through htmx with the CSRF header."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from liveroom.bootstrap import Container
from liveroom.core.errors import DomainError
from liveroom.entrypoints.api.deps import ContainerDep
from liveroom.entrypoints.api.web_base import Token, locale_of, page, render, web_writer
from liveroom.entrypoints.api.web_i18n import local_clock
from liveroom.identity.model import Actor
from liveroom.tracking import views
from liveroom.tracking.channels import CHANNELS
from liveroom.tracking.commands import CreateLink, TickWarmupTask

router = APIRouter(include_in_schema=False)
NEED = "metrics.read"


def board(c: Container, request: Request, sid: str) -> dict[str, Any]:
    base = c.settings.base_url(str(request.base_url))
    with c.read() as conn, conn.begin():
        out = views.warmup_board(conn, sid, c.clock.now(), base)
    tz = c.settings.timezone
    curve = out["curve"]
    out["curve_json"] = json.dumps({
        "at": [local_clock(p["at"], tz, "%m-%d %H:%M") for p in curve],
        "count": [p["count"] for p in curve], "total": [p["cumulative"] for p in curve]})
    out["channels"] = list(CHANNELS)
    return out


@router.get("/sessions/{sid}/warmup", response_class=HTMLResponse)
def warmup_page(sid: str, request: Request, c: ContainerDep, token: Token = None) -> Response:
    def context(_: Actor) -> dict[str, Any]:
        return {"b": board(c, request, sid), "sid": sid}
    return page(request, c, token, "warmup.html", context, NEED)


def _fragment(request: Request, c: Container, sid: str, actor: Actor, part: str,
              error: DomainError | None = None) -> Response:
    return render(request, f"warmup_{part}.html", {
        "b": board(c, request, sid), "sid": sid, "actor": actor, "error": error,
        "locale": locale_of(request)})


@router.post("/sessions/{sid}/warmup/tasks/{task}", response_class=HTMLResponse)
def tick_task(sid: str, task: str, request: Request, c: ContainerDep,
              done: Annotated[bool, Form()] = True, note: Annotated[str, Form()] = "",
              token: Token = None) -> Response:
    actor = web_writer(request, c, token)
    try:
        c.bus.handle(TickWarmupTask(sid, task, done, note.strip()[:200]), actor)
    except DomainError as exc:
        return _fragment(request, c, sid, actor, "tasks", exc)
    return _fragment(request, c, sid, actor, "tasks")


@router.post("/sessions/{sid}/warmup/links", response_class=HTMLResponse)
def make_link(sid: str, request: Request, c: ContainerDep,
              channel: Annotated[str, Form()], kind: Annotated[str, Form()] = "reservation",
              koc: Annotated[str, Form()] = "", coupon_code: Annotated[str, Form()] = "",
              token: Token = None) -> Response:
    actor = web_writer(request, c, token)
    base = c.settings.base_url(str(request.base_url))
    try:
        c.bus.handle(CreateLink(sid, channel, base, kind=kind, koc=koc.strip()[:64] or None,
                                coupon_code=coupon_code.strip().upper()[:32] or None), actor)
    except DomainError as exc:
        return _fragment(request, c, sid, actor, "links", exc)
    return _fragment(request, c, sid, actor, "links")
