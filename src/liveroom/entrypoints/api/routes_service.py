"""The 客服 page (/service): the after-sales queue with SLA clocks and breach alerts; the
approve / reject / receive buttons post through htmx (with the page's CSRF header) to the
same commands as the JSON API and re-render the queue with the outcome."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from liveroom.aftersales import model, views
from liveroom.aftersales.commands import ApproveAfterSale, ReceiveReturn, RejectAfterSale
from liveroom.bootstrap import Container
from liveroom.core.errors import DomainError, Invalid
from liveroom.core.messages import Command
from liveroom.entrypoints.api.deps import ContainerDep
from liveroom.entrypoints.api.routes_aftersales import run
from liveroom.entrypoints.api.web_base import Token, page, templates, web_writer
from liveroom.identity.model import Actor

router = APIRouter(include_in_schema=False)
QUEUE_SIZE = 100

def _clock(item: dict[str, Any]) -> dict[str, Any] | None:
    seconds = item["clock"]["seconds_left"]
    if seconds is None:
        return None
    hours, minutes, overdue = model.clock_text(timedelta(seconds=seconds))
    return {"hours": hours, "minutes": minutes, "overdue": overdue,
            "which": item["clock"]["which"]}


def service_context(c: Container, actor: Actor) -> dict[str, Any]:
    if not actor.may("aftersales.read"):
        return {"allowed": False}
    with c.read() as conn, conn.begin():
        queue = views.queue(conn, c.clock.now(), open_only=True, stage=None,
                            limit=QUEUE_SIZE, offset=0)
    for item in queue["items"]:
        item["clock_view"] = _clock(item)
    return {"allowed": True, "queue": queue, "may_decide": actor.may("aftersales.decide"),
            "may_receive": actor.may("aftersales.receive")}


@router.get("/service", response_class=HTMLResponse)
def service_page(request: Request, c: ContainerDep, token: Token = None) -> Response:
    return page(request, c, token, "service.html", lambda actor: service_context(c, actor),
                "session.list")


@router.post("/service/{aid}/{action}", response_class=HTMLResponse)
async def service_action(aid: str, action: str, request: Request, c: ContainerDep,
                         note: Annotated[str, Form(max_length=500)] = "",
                         token: Token = None) -> Response:
    actor = web_writer(request, c, token)
    moves: dict[str, Command] = {"approve": ApproveAfterSale(aid, note),
                                 "reject": RejectAfterSale(aid, note),
                                 "receive": ReceiveReturn(aid, note)}
    if action not in moves:
        raise Invalid("action must be approve, reject or receive", field="action")
    done, error = None, None
    try:
        await run(c, moves[action], actor)
        done = action
    except DomainError as exc:
        error = exc.code
    return templates.TemplateResponse(request, "service_body.html", {
        **service_context(c, actor), "done": done, "error": error, "actor": actor,
        "tz": c.settings.timezone})
