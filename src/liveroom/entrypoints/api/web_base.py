"""What every web page shares: templates with catalogues and filters, the sign-in cookie,
the anti-forgery header and the reader's language."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import Cookie, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from liveroom.bootstrap import Container
from liveroom.config import get_settings
from liveroom.core.errors import Forbidden, Unauthenticated
from liveroom.core.money import fmt_fen
from liveroom.entrypoints.api import web_i18n, web_labels
from liveroom.entrypoints.api.deps import WEB_COOKIE
from liveroom.identity.handlers import actor_for_token
from liveroom.identity.model import Actor

WEB = Path(__file__).resolve().parents[2] / "web"
COOKIE = WEB_COOKIE
templates = Jinja2Templates(directory=WEB / "templates")
web_i18n.install(templates.env)


@pass_context
def _local(ctx: Context, value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return web_i18n.local_clock(value, str(ctx.get("tz") or get_settings().timezone), fmt)


def _clock(seconds: int | float | None) -> str:
    """A duration as H:MM:SS (or M:SS under an hour)."""
    if seconds is None:
        return ""
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def _pct(x: float | None, digits: int = 1) -> str:
    return "—" if x is None else f"{x * 100:.{digits}f}%"


def _num(n: int | float | None) -> str:
    return "—" if n is None else f"{n:,}"


templates.env.filters.update(
    yuan=fmt_fen, local=_local, clock=_clock, pct=_pct, num=_num, label=web_labels.label,
    refusal=web_labels.refusal, audit_line=web_labels.audit_line)


def locale_of(request: Request) -> str:
    """The reader's choice (cookie from the switch), else LIVEROOM_LOCALE."""
    chosen = request.cookies.get(web_i18n.LOCALE_COOKIE)
    default = web_i18n.normalise(get_settings().locale)
    return web_i18n.normalise(chosen, default) if chosen else default


def web_actor(c: Container, token: str | None) -> Actor:
    if not token:
        raise Unauthenticated("not signed in")
    with c.read() as conn:
        return actor_for_token(conn, token)


Token = Annotated[str | None, Cookie(alias=COOKIE)]


def csrf_for(token: str) -> str:
    """The page's anti-forgery value: derived from the HttpOnly sign-in cookie, which no
    other site can read, and sent back by htmx in a header no other site can set."""
    return hashlib.sha256(b"liveroom-csrf:" + token.encode()).hexdigest()[:32]


def web_writer(request: Request, c: Container, token: str | None) -> Actor:
    actor = web_actor(c, token)
    sent = request.headers.get("x-csrf-token", "")
    if not hmac.compare_digest(sent, csrf_for(token or "")):
        raise Forbidden("the form did not come from this console", code="csrf_failed")
    return actor


def render(request: Request, template: str, context: dict[str, Any],
           headers: dict[str, str] | None = None, status_code: int = 200) -> Response:
    c = request.app.state.container if hasattr(request.app.state, "container") else None
    tz = c.settings.timezone if c is not None else get_settings().timezone
    return templates.TemplateResponse(request, template, {
        "locale": locale_of(request), "tz": tz, **context}, headers=headers,
        status_code=status_code)


def page(request: Request, c: Container, token: str | None, template: str,
         context: Callable[[Actor], dict[str, Any]], need: str) -> Response:
    """A signed-in page for a role that may `need`; anyone else goes to the sign-in form."""
    try:
        actor = web_actor(c, token)
    except Unauthenticated:
        return RedirectResponse("/login", status_code=303)
    actor.require(need)
    return render(request, template, {
        **context(actor), "actor": actor, "csrf": csrf_for(token or ""),
        "tz": c.settings.timezone})
