"""The operators' web console (中控台): server-rendered pages with htmx fragments.
Forms call the same commands as the JSON API; errors come back as inline messages."""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Cookie, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from liveroom.adapters import schema as t
from liveroom.adapters.schema_comments import comment_lotteries
from liveroom.comments import commands as comment_cmds
from liveroom.comments import views as comment_views
from liveroom.config import get_settings
from liveroom.console import views as console_views
from liveroom.console.commands import (
    Announce,
    ChangePrice,
    CreateFlashSale,
    ExplainSku,
    SetFlashSaleStatus,
    SetListed,
)
from liveroom.core.clock import local
from liveroom.core.errors import DomainError, Forbidden, Invalid, Unauthenticated
from liveroom.core.money import MAX_FEN, Money, fmt_fen
from liveroom.core.ratelimit import RateLimited, counter_key
from liveroom.entrypoints.api.deps import WEB_COOKIE, ContainerDep
from liveroom.entrypoints.api.routes_comments import questions
from liveroom.identity.handlers import actor_for_token
from liveroom.identity.model import Actor
from liveroom.planning import views as planning_views
from liveroom.planning.commands import TransitionSession

WEB = Path(__file__).resolve().parents[2] / "web"
templates = Jinja2Templates(directory=WEB / "templates")
templates.env.filters["yuan"] = fmt_fen


def local_time(iso: str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Shown in the team's timezone (LIVEROOM_TIMEZONE, Asia/Shanghai by default)."""
    if not iso:
        return ""
    return local(datetime.fromisoformat(iso), get_settings().timezone).strftime(fmt)


def brief(value: Any) -> str:
    """An audit before/after value as 'key: value' pairs, money shown in yuan."""
    if isinstance(value, list):
        return "; ".join(brief(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {fmt_fen(v) if k.endswith('_fen') and isinstance(v, int) else v}"
                         for k, v in value.items())
    return "" if value is None else str(value)


templates.env.filters["local"] = local_time
templates.env.filters["brief"] = brief
router = APIRouter(include_in_schema=False)
COOKIE = WEB_COOKIE
SESSION_SECONDS = 12 * 3600  # the sign-in cookie expires after a working day


def web_actor(c: Any, token: str | None) -> Actor:
    if not token:
        raise Unauthenticated("not signed in")
    with c.read() as conn:
        return actor_for_token(conn, token)


Token = Annotated[str | None, Cookie(alias=COOKIE)]


def csrf_for(token: str) -> str:
    """The page's anti-forgery value: derived from the HttpOnly sign-in cookie, which no
    other site can read, and sent back by htmx in a header no other site can set."""
    return hashlib.sha256(b"liveroom-csrf:" + token.encode()).hexdigest()[:32]


def web_writer(request: Request, c: Any, token: str | None) -> Actor:
    actor = web_actor(c, token)
    sent = request.headers.get("x-csrf-token", "")
    if not hmac.compare_digest(sent, csrf_for(token or "")):
        raise Forbidden("the form did not come from this console", code="csrf_failed")
    return actor


def page(request: Request, c: Any, token: str | None, template: str,
         context: Callable[[Actor], dict[str, Any]], need: str) -> Response:
    """A signed-in page for a role that may `need`; anyone else goes to the sign-in form."""
    try:
        actor = web_actor(c, token)
    except Unauthenticated:
        return RedirectResponse("/login", status_code=303)
    actor.require(need)
    return templates.TemplateResponse(request, template, {
        **context(actor), "actor": actor, "csrf": csrf_for(token or ""),
        "tz": c.settings.timezone})


@router.get("/", response_class=HTMLResponse)
def home(request: Request, c: ContainerDep, token: Token = None) -> Response:
    def context(_: Actor) -> dict[str, Any]:
        with c.read() as conn:
            return {"sessions": planning_views.list_sessions(conn, 50, 0, None)["items"]}
    return page(request, c, token, "sessions.html", context, "session.list")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, error: str = "") -> Response:
    return templates.TemplateResponse(request, "login.html", {"error": error})


@router.post("/login")
def login(request: Request, c: ContainerDep, token: Annotated[str, Form()]) -> Response:
    """Sign in with a bearer token. Repeated failures from one address lock it out
    (429 with Retry-After) for LIVEROOM_SIGN_IN_LOCKOUT_SECONDS."""
    limiter, limit = c.extras["limiter"], c.extras["limits"].sign_in_failures
    key = counter_key(limit, request.client.host if request.client else "unknown")
    locked = limiter.blocked(key, limit)
    if locked:
        error = RateLimited(limit, locked, code="sign_in_locked")
        return templates.TemplateResponse(request, "login.html", {
            "error": "locked", "minutes": math.ceil(error.retry_after / 60)},
            status_code=error.status, headers=error.headers())
    try:
        web_actor(c, token.strip())
    except Unauthenticated:
        limiter.hit(key, limit)
        return RedirectResponse("/login?error=1", status_code=303)
    limiter.clear(key)
    resp = RedirectResponse("/", status_code=303)
    resp.set_cookie(COOKIE, token.strip(), httponly=True, samesite="strict",
                    secure=request.url.scheme == "https"
                    or c.settings.public_base_url.startswith("https://"),
                    max_age=SESSION_SECONDS)
    return resp


@router.post("/logout")
def logout() -> Response:
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(COOKIE)
    return resp


def _console_context(c: Any, sid: str, actor: Actor) -> dict[str, Any]:
    with c.read() as conn:
        detail = planning_views.session_detail(conn, sid)
        flash = console_views.rows_for_session(conn, t.flash_sales, sid)
        notes = console_views.rows_for_session(conn, t.announcements, sid)
        audit = console_views.audit(conn, sid, 500, 0)["items"][-12:] \
            if actor.may("audit.read") else []
    names = {i["sku_id"]: f'{i["name"]} {i["spec"]}' for i in detail["lineup"]}
    return {"actor": actor, "s": detail, "flash_sales": flash, "announcements": notes[-5:],
            "audit": list(reversed(audit)), "names": names}


@router.get("/console/{sid}", response_class=HTMLResponse)
def console_page(sid: str, request: Request, c: ContainerDep, token: Token = None) -> Response:
    return page(request, c, token, "console.html",
                lambda actor: _console_context(c, sid, actor), "session.read")


def yuan_to_fen(text: str) -> int:
    try:
        fen = Money.yuan(text).fen
    except ValueError as exc:
        raise Invalid(f"「{text}」不是有效金额 not a price in yuan", code="invalid_price",
                      field="price") from exc
    if fen > MAX_FEN:
        raise Invalid(f"「{text}」金额过大 too large", code="invalid_price", field="price")
    return fen


def _act(request: Request, c: Any, token: str | None, sid: str,
         command: Callable[[], Any], ok: Callable[[], str] | str = "", *,
         live: bool = False) -> Response:
    """Build and run a console command, then re-render the console body (or, for
    `live`, the self-refreshing part: questions, alerts, lucky bags) with the outcome."""
    actor = web_writer(request, c, token)
    message, error = None, None
    try:
        c.bus.handle(command(), actor)
        message = ok() if callable(ok) else ok
    except DomainError as exc:
        error = exc
    template, context = (("console_live.html", _live_context) if live
                         else ("console_body.html", _console_context))
    return templates.TemplateResponse(
        request, template, {**context(c, sid, actor), "message": message, "error": error})


@router.get("/dashboard/{sid}", response_class=HTMLResponse)
def dashboard(sid: str, request: Request, c: ContainerDep, token: Token = None) -> Response:
    def context(_: Actor) -> dict[str, Any]:
        with c.read() as conn:
            return {"s": planning_views.session_detail(conn, sid)}
    return page(request, c, token, "dashboard.html", context, "metrics.read")


@router.get("/console/{sid}/live", response_class=HTMLResponse)
def live_panel(sid: str, request: Request, c: ContainerDep, token: Token = None) -> Response:
    """The part of the console that moves by itself: questions, comment alerts, lotteries."""
    actor = web_actor(c, token)
    actor.require("session.read")
    return templates.TemplateResponse(request, "console_live.html",
                                      _live_context(c, sid, actor))


def _live_context(c: Any, sid: str, actor: Actor) -> dict[str, Any]:
    cards = questions(sid, c, actor, limit=10)["items"] if actor.may("comments.read") else []
    with c.read() as conn:
        alerts = comment_views.list_alerts(conn, sid, None, 6, 0)["items"] \
            if actor.may("comments.read") else []
        bags = console_views.rows_for_session(conn, comment_lotteries, sid)[-5:]
    return {"actor": actor, "sid": sid, "cards": cards, "alerts": alerts,
            "lotteries": list(reversed(bags))}


@router.post("/console/{sid}/questions/{card_id}/{action}", response_class=HTMLResponse)
def web_card(sid: str, card_id: str, action: str, request: Request, c: ContainerDep,
             token: Token = None) -> Response:
    moves: dict[str, Callable[[], Any]] = {
        # The host answers on air; the card records that, not a typed reply.
        "answer": lambda: comment_cmds.AnswerCard(card_id, text="主播已口播回答 answered on air"),
        "dismiss": lambda: comment_cmds.DismissCard(card_id)}
    if action not in moves:
        raise Invalid("action must be answer or dismiss", field="action")
    return _act(request, c, token, sid, moves[action], live=True)


@router.post("/console/{sid}/luckybag", response_class=HTMLResponse)
def web_luckybag(sid: str, request: Request, c: ContainerDep,
                 keyword: Annotated[str, Form()], winners: Annotated[int, Form()] = 10,
                 minutes: Annotated[int, Form()] = 5, token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: comment_cmds.CreateLottery(
        sid, keyword.strip(), "lottery", winners, None, minutes * 60), live=True)


@router.post("/console/{sid}/lotteries/{lid}/draw", response_class=HTMLResponse)
def web_draw(sid: str, lid: str, request: Request, c: ContainerDep,
             token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: comment_cmds.DrawLottery(lid), live=True)


@router.post("/console/{sid}/price/{sku_id}", response_class=HTMLResponse)
def web_price(sid: str, sku_id: str, request: Request, c: ContainerDep,
              price: Annotated[str, Form()], reason: Annotated[str, Form()] = "",
              token: Token = None) -> Response:
    return _act(request, c, token, sid,
                lambda: ChangePrice(sid, sku_id, yuan_to_fen(price), reason=reason),
                lambda: f"已改价 price changed to {price}")


@router.post("/console/{sid}/list/{sku_id}", response_class=HTMLResponse)
def web_list(sid: str, sku_id: str, request: Request, c: ContainerDep,
             listed: Annotated[bool, Form()], token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: SetListed(sid, sku_id, listed),
                "已上架 listed" if listed else "已下架 unlisted")


@router.post("/console/{sid}/explain/{sku_id}", response_class=HTMLResponse)
def web_explain(sid: str, sku_id: str, request: Request, c: ContainerDep,
                token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: ExplainSku(sid, sku_id), "讲解中 now explaining")


@router.post("/console/{sid}/flash/{sku_id}", response_class=HTMLResponse)
def web_flash(sid: str, sku_id: str, request: Request, c: ContainerDep,
              price: Annotated[str, Form()], quantity: Annotated[int, Form()],
              limit: Annotated[int, Form()] = 1, token: Token = None) -> Response:
    return _act(request, c, token, sid,
                lambda: CreateFlashSale(sid, sku_id, yuan_to_fen(price), quantity, limit),
                "秒杀已创建 flash sale created")


@router.post("/console/{sid}/flash-sales/{fid}/{to}", response_class=HTMLResponse)
def web_flash_status(sid: str, fid: str, to: str, request: Request, c: ContainerDep,
                     token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: SetFlashSaleStatus(fid, to),
                "秒杀开始 started" if to == "start" else "秒杀结束 stopped")


@router.post("/console/{sid}/announce", response_class=HTMLResponse)
def web_announce(sid: str, request: Request, c: ContainerDep, text: Annotated[str, Form()],
                 token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: Announce(sid, text, pinned=True),
                "公告已置顶 pinned")


@router.post("/console/{sid}/state/{to}", response_class=HTMLResponse)
def web_state(sid: str, to: str, request: Request, c: ContainerDep,
              token: Token = None) -> Response:
    return _act(request, c, token, sid, lambda: TransitionSession(sid, to), f"状态 status: {to}")
