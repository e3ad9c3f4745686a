"""The viewers' public pages, where tracked links and QR codes land: /reserve/{sid} (预约)
and /live/{sid} (the live room's shelf, 小黄车). No operator sign-in: the reservation and
the coupon claims carry the buyer's JWT from the platform's login gateway (viewer.js sends
it to the JSON API). Each visit is recorded with its link and UTM as a tracking event."""

from __future__ import annotations

import asyncio
import re
import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from liveroom.adapters.sql.repositories import SessionRepo
from liveroom.bootstrap import Container
from liveroom.core.errors import NotFound
from liveroom.entrypoints.api.deps import ContainerDep
from liveroom.entrypoints.api.live_fanout import LiveFanout, Message, event_stream, sse
from liveroom.entrypoints.api.routes_shelf import load_shelf
from liveroom.entrypoints.api.web_base import locale_of, render, templates
from liveroom.tracking import views
from liveroom.tracking.commands import RecordVisit
from liveroom.tracking.model import UTM_FIELDS

router = APIRouter(include_in_schema=False)
VISITOR_COOKIE = "liveroom_visitor"
_VISITOR = re.compile(r"^v_[A-Za-z0-9_-]{16,40}$")
_LINK_CODE = re.compile(r"^[a-z0-9]{4,16}$")


def _visitor(request: Request) -> tuple[str, bool]:
    """The browser's pseudonymous id (a cookie), and whether it is new."""
    known = request.cookies.get(VISITOR_COOKIE, "")
    if _VISITOR.match(known):
        return known, False
    return f"v_{secrets.token_urlsafe(18)}", True


def _landing(c: Container, request: Request, sid: str,
             page: str) -> tuple[dict[str, Any], str, bool]:
    code = request.query_params.get("lc", "")
    link_code = code if _LINK_CODE.match(code) else None
    visitor, new = _visitor(request)
    with c.read() as conn, conn.begin():
        info = views.landing(conn, sid, link_code)
    utm = {k: request.query_params.get(k, "") for k in UTM_FIELDS}
    c.bus.handle(RecordVisit(sid, visitor, page, info["link_code"], utm), visitor)
    return info, visitor, new


def _respond(request: Request, template: str, context: dict[str, Any], visitor: str,
             new: bool) -> Response:
    resp = render(request, template, context)
    resp.headers["cache-control"] = "no-store"
    if new:
        resp.set_cookie(VISITOR_COOKIE, visitor, max_age=365 * 86400, httponly=True,
                        samesite="lax")
    return resp


def _missing(request: Request) -> Response:
    return render(request, "viewer_missing.html", {}, status_code=404)


@router.get("/reserve/{sid}", response_class=HTMLResponse)
def reserve_page(sid: str, request: Request, c: ContainerDep) -> Response:
    try:
        info, visitor, new = _landing(c, request, sid, "reserve")
    except NotFound:
        return _missing(request)
    return _respond(request, "viewer_reserve.html", {"show": info}, visitor, new)


@router.get("/live/{sid}", response_class=HTMLResponse)
async def live_page(sid: str, request: Request, c: ContainerDep) -> Response:
    try:
        info, visitor, new = await asyncio.to_thread(_landing, c, request, sid, "live")
    except NotFound:
        return _missing(request)
    bag = await load_shelf(c, sid, None)
    return _respond(request, "viewer_live.html", {"show": info, "bag": bag}, visitor, new)


async def shelf_update(c: Container, sid: str, locale: str) -> str:
    """The shelf as an out-of-band fragment of the live page's feed: rendered once per
    locale for every viewer of the show (entrypoints/api/live_fanout.py)."""
    bag = await load_shelf(c, sid, None)
    return templates.get_template("viewer_shelf_update.html").render(
        bag=bag, sid=sid, locale=locale, tz=c.settings.timezone)


@router.get("/live/{sid}/feed")
async def live_feed(sid: str, request: Request, c: ContainerDep) -> Response:
    """The live page's shelf, pushed: first as it is, then whenever a console action, a
    sale or a coupon moves it (no visit recorded: it is the same visit)."""
    def exists() -> None:
        with c.read() as conn:
            SessionRepo(conn).get(sid)

    try:
        await asyncio.to_thread(exists)
    except NotFound:
        return _missing(request)
    locale = locale_of(request)
    fanout: LiveFanout = request.app.state.live_fanout

    async def first(_: int | None) -> Message:
        return Message(sse(await shelf_update(c, sid, locale)).encode())

    return event_stream(fanout.serve(sid, "viewer", locale, None, first))


@router.get("/live/{sid}/shelf", response_class=HTMLResponse)
async def live_shelf(sid: str, request: Request, c: ContainerDep) -> Response:
    """The shelf fragment alone (no visit recorded: it is the same visit)."""
    try:
        bag = await load_shelf(c, sid, None)
    except NotFound:
        return _missing(request)
    resp = render(request, "viewer_shelf.html", {"bag": bag, "sid": sid})
    resp.headers["cache-control"] = "no-store"
    return resp
