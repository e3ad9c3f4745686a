"""The live feed of the console and the big screen (数据大屏): Server-Sent Events.

A page opens /feed/{sid}/{view}; the stream first sends everything (so a page that
reconnects is whole again), then, for each change notice from the broadcaster, only the
parts that moved, as htmx out-of-band fragments, and the console's new comments as data
(event `comments`, its id the newest comment's seq). Every second it sends the
clock-driven parts (time in show, countdowns, per-minute numbers). Each change is rendered
once per kind of page and shared (entrypoints/api/live_fanout.py).

No comment is lost between the page and its feed: a console opens its feed with
`?after=` the seq its stream starts after (drawn into the page, then the newest it holds),
and a browser reconnecting on its own sends the last event id; the first message then
carries every comment after it (up to live_comments.RESUME)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import HTMLResponse, Response

from liveroom.bootstrap import Container
from liveroom.console.ports import PARTS
from liveroom.entrypoints.api import live_comments
from liveroom.entrypoints.api.deps import ContainerDep
from liveroom.entrypoints.api.live_fanout import LiveFanout, Message, event_stream, sse
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


def first_message(c: Container, sid: str, actor: Actor, view: str, locale: str,
                  since: int | None = None) -> Message:
    """Everything, and for a console the comments after `since` (None: the latest ones):
    a page that (re)connects or fell behind is whole again."""
    out = sse(render_update(c, sid, actor, view, PARTS - {"comments"}, locale))
    if view != "console" or not actor.may("comments.read"):
        return Message(out.encode())
    with c.read() as conn:
        rows, after = live_comments.read(conn, sid, None, since)
    out += sse(live_comments.payload(rows, locale, c.settings.timezone), "comments", after.seq)
    return Message(out.encode(), after.seq)


@router.get("/feed/{sid}/{view}")
async def live_stream(sid: str, view: View, request: Request, c: ContainerDep,
                      token: Token = None,
                      after: Annotated[int | None, Query(ge=0)] = None,
                      last_event_id: Annotated[int | None, Header(ge=0)] = None) -> Response:
    actor = await asyncio.to_thread(web_actor, c, token)
    actor.require(FEED_NEEDS[view])
    locale = locale_of(request)
    fanout = fanout_of(request)
    since = last_event_id if last_event_id is not None else after

    async def first(catch_up: int | None) -> Message:
        return await asyncio.to_thread(first_message, c, sid, actor, view, locale,
                                       since if catch_up is None else catch_up)

    return event_stream(fanout.serve(sid, view, locale, actor, first))


@router.get("/feed/{sid}/{view}/snapshot", response_class=HTMLResponse)
def live_snapshot(sid: str, view: View, request: Request, c: ContainerDep,
                  token: Token = None) -> Response:
    """What the stream sends first, as one response (for checks and scripts)."""
    actor = web_actor(c, token)
    actor.require(FEED_NEEDS[view])
    html = render_update(c, sid, actor, view, PARTS, locale_of(request))
    return HTMLResponse(html)
