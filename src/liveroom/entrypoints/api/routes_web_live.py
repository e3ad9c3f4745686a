"""The live feed of the console and the big screen (数据大屏): Server-Sent Events.

A page opens /feed/{sid}/{view}; the stream first sends everything (so a page that
reconnects is whole again), then, for each change notice from the broadcaster, only the
parts that moved, as htmx out-of-band fragments. With no change for a second it sends the
clock-driven parts (time in show, countdowns, per-minute numbers)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from liveroom.bootstrap import Container
from liveroom.console.ports import PARTS
from liveroom.entrypoints.api.deps import ContainerDep
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
TICK_SECONDS = 1.0
TICK_PARTS = frozenset({"metrics", "alerts"})
DASHBOARD_PARTS = frozenset({"status", "lineup", "flash", "metrics", "questions", "alerts"})


@router.get("/dashboard/{sid}", response_class=HTMLResponse)
def dashboard(sid: str, request: Request, c: ContainerDep, token: Token = None) -> Response:
    return page(request, c, token, "dashboard.html",
                lambda actor: show_context(c, sid, actor, DASHBOARD_PARTS), "metrics.read")


def render_update(c: Container, sid: str, actor: Actor, view: View, parts: frozenset[str],
                  locale: str) -> str:
    """The fragments for `parts` of one page, each carrying hx-swap-oob."""
    if view == "dashboard":
        parts = parts & DASHBOARD_PARTS
    ctx = show_context(c, sid, actor, parts)
    return templates.get_template(f"{view}_update.html").render(
        **ctx, locale=locale, tz=c.settings.timezone, oob=True)


def sse(html: str, event: str = "update") -> str:
    return f"event: {event}\n" + "".join(f"data: {line}\n" for line in html.splitlines()) + "\n"


@router.get("/feed/{sid}/{view}")
async def live_stream(sid: str, view: View, request: Request, c: ContainerDep,
                      token: Token = None) -> Response:
    actor = await asyncio.to_thread(web_actor, c, token)
    actor.require(FEED_NEEDS[view])
    locale = locale_of(request)
    broadcaster = c.broadcaster
    sub = broadcaster.subscribe(sid)

    async def stream() -> AsyncIterator[str]:
        try:
            yield sse(await asyncio.to_thread(
                render_update, c, sid, actor, view, PARTS, locale))
            async for change in sub.changes(TICK_SECONDS):
                if await request.is_disconnected():
                    return
                parts = PARTS if change.resync else (change.parts or TICK_PARTS)
                yield sse(await asyncio.to_thread(
                    render_update, c, sid, actor, view, parts, locale))
        finally:
            sub.close()

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

