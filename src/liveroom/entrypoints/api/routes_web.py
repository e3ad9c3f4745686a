"""The operators' web pages: sign-in, the list of shows, the language switch. The console
(routes_web_console) and the big screen with the live feed (routes_web_live) hang below."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from liveroom.entrypoints.api import routes_web_console, routes_web_live
from liveroom.entrypoints.api.deps import ContainerDep
from liveroom.entrypoints.api.web_base import (
    COOKIE,
    WEB,
    Token,
    csrf_for,
    page,
)
from liveroom.entrypoints.api.web_i18n import LOCALE_COOKIE, LOCALES
from liveroom.identity.model import Actor
from liveroom.planning import views as planning_views

__all__ = ["WEB", "csrf_for", "router"]

router = APIRouter(include_in_schema=False)
SESSION_SECONDS = 12 * 3600  # the sign-in cookie expires after a working day
router.include_router(routes_web_console.router)
router.include_router(routes_web_live.router)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, c: ContainerDep, token: Token = None) -> Response:
    def context(_: Actor) -> dict[str, Any]:
        with c.read() as conn:
            return {"sessions": planning_views.list_sessions(conn, 50, 0, None)["items"]}
    return page(request, c, token, "sessions.html", context, "session.list")


@router.post("/logout")
def logout() -> Response:
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(COOKIE)
    return resp


@router.get("/locale/{code}")
def switch_locale(code: str, request: Request) -> Response:
    """The language switch: remembered in a cookie, back to the page it was pressed on."""
    back = urlparse(request.headers.get("referer", "/"))
    ours = back.path.startswith("/") and not back.path.startswith("//")
    resp = RedirectResponse(back.path if ours else "/", status_code=303)
    if code in LOCALES:
        resp.set_cookie(LOCALE_COOKIE, code, samesite="lax", max_age=365 * 86400)
    return resp
