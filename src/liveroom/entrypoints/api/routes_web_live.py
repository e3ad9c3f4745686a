"""The live feed of the console and the big screen (数据大屏): Server-Sent Events.

A page opens /feed/{sid}/{view}; the stream first sends everything (so a page that
reconnects is whole again), then, for each change notice from the broadcaster, only the
parts that moved, as htmx out-of-band fragments, and the console's new comments as data
(event `comments`). With no change for a second it sends the clock-driven parts (time in
show, countdowns, per-minute numbers). Each change is rendered once per kind of page and
shared (entrypoints/api/live_fanout.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from liveroom.bootstrap import Container
from liveroom.console.ports import PARTS
from liveroom.entrypoints.api import live_comments
from liveroom.entrypoints.api.deps import ContainerDep
from liveroom.entrypoints.api.live_fanout import LiveFanout, sse
from liveroom.entrypoints.api.web_base import (
    Token,
    locale_of,
    page,
    templates,
    web_actor,
)
from liveroom.entrypoints.api.web_views import show_context
from liveroom.identity.model import Actor

router = APIRouter(include_in_schema=False)
View = Literal["console", "dashboard"]
FEED_NEEDS: dict[str, str] = {"console": "session.read", "dashboard": "metrics.read"}
DASHBOARD_PARTS = frozenset({"status", "lineup", "flash", "metrics", "questions", "alerts"})


@router.get("/dashboard/{sid}", response_class=HTMLResponse)
def dashboard(sid: str, request: Request, c: ContainerDep, token: Token = None) -> Response:
    return page(request, c, token, "dashboard.html",
                lambda actor: show_context(c, sid, actor, DASHBOARD_PARTS), "metrics.read")


def render_update(c: Container, sid: str, actor: Actor, view: str, parts: frozenset[str],
                  locale: str) -> str:
    """The fragments for `parts` of one page, each carrying hx-swap-oob."""
    if view == "dashboard":
        parts = parts & DASHBOARD_PARTS
    ctx = show_context(c, sid, actor, parts, view)
    return templates.get_template(f"{view}_update.html").render(
        **ctx, locale=locale, tz=c.settings.timezone, oob=True)


def fanout_of(request: Request) -> LiveFanout:
    """One per process, made with the app (entrypoints/api/app.py)."""
    fanout: LiveFanout = request.app.state.live_fanout
    return fanout


def first_message(c: Container, sid: str, actor: Actor, view: str, locale: str) -> str:
    """Everything, and for a console the latest comments: a page that (re)connects is
    whole again."""
    out = sse(render_update(c, sid, actor, view, PARTS - {"comments"}, locale))
    if view == "console" and actor.may("comments.read"):
        with c.read() as conn:
            rows, _ = live_comments.read(conn, sid, None)
        out += sse(live_comments.payload(rows, locale, c.settings.timezone), "comments")
    return out


@router.get("/feed/{sid}/{view}")
async def live_stream(sid: str, view: View, request: Request, c: ContainerDep,
                      token: Token = None) -> Response:
    actor = await asyncio.to_thread(web_actor, c, token)
    actor.require(FEED_NEEDS[view])
    locale = locale_of(request)
    fanout = fanout_of(request)

    async def stream() -> AsyncIterator[str]:
        page = await fanout.open(sid, view, locale, actor)
        try:
            yield await asyncio.to_thread(first_message, c, sid, actor, view, locale)
            while True:
                message = await page.queue.get()
                if message is None or await request.is_disconnected():
                    return
                if page.behind:  # it lost messages: redraw everything, for this page alone
                    page.behind = False
                    message = await asyncio.to_thread(first_message, c, sid, actor, view,
                                                      locale)
                yield message
        finally:
            fanout.close(page)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.get("/feed/{sid}/{view}/snapshot", response_class=HTMLResponse)
def live_snapshot(sid: str, view: View, request: Request, c: ContainerDep,
                  token: Token = None) -> Response:
    """What the stream sends first, as one response (for checks and scripts)."""
    actor = web_actor(c, token)
    actor.require(FEED_NEEDS[view])
    html = render_update(c, sid, actor, view, PARTS, locale_of(request))
    return HTMLResponse(html)
