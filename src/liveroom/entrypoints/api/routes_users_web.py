"""Sign-in that people use (user name + password, or a bearer token for scripts) and the
admins' users page (/users): create, change role, reset password, revoke tokens, disable.
The page's forms post through htmx with the CSRF header to the same commands as the CLI."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from liveroom.bootstrap import Container
from liveroom.core.errors import DomainError, Invalid, Unauthenticated
from liveroom.core.messages import Command
from liveroom.core.ratelimit import RateLimited, counter_key
from liveroom.entrypoints.api.deps import ContainerDep
from liveroom.entrypoints.api.web_base import (
    COOKIE,
    Token,
    page,
    render,
    web_actor,
    web_writer,
)
from liveroom.identity import views
from liveroom.identity.handlers import AddUser, RevokeTokens
from liveroom.identity.model import Actor, Role
from liveroom.identity.passwords import PasswordSignIn, SetDisabled, SetPassword, SetRole

router = APIRouter(include_in_schema=False)
SESSION_SECONDS = 12 * 3600  # the sign-in cookie expires after a working day
Field = Annotated[str, Form(max_length=256)]


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    return render(request, "signin.html", {"error": False})


@router.post("/login")
def login(request: Request, c: ContainerDep, username: Field = "", password: Field = "",
          token: Field = "") -> Response:
    """One sign-in attempt: a password for people, a bearer token for scripts. A refused
    attempt answers 401 with the form again; repeated failures from one address lock it
    out (429 with Retry-After) for LIVEROOM_SIGN_IN_LOCKOUT_SECONDS."""
    limiter, limit = c.limiter, c.limits.sign_in_failures
    key = counter_key(limit, request.client.host if request.client else "unknown")
    locked = limiter.blocked(key, limit)
    if locked:
        refusal = RateLimited(limit, locked, code="sign_in_locked")
        return render(request, "signin.html", {
            "error": "locked", "minutes": math.ceil(refusal.retry_after / 60),
            "username": username}, headers=refusal.headers(), status_code=refusal.status)
    try:
        if token.strip():
            web_actor(c, token.strip())
            issued = token.strip()
        else:
            issued = c.bus.handle(PasswordSignIn(username, password), None)["token"]
    except Unauthenticated:
        limiter.hit(key, limit)
        return render(request, "signin.html", {"error": True, "username": username},
                      status_code=401)
    limiter.clear(key)
    resp = RedirectResponse("/", status_code=303)
    resp.set_cookie(COOKIE, issued, httponly=True, samesite="strict",
                    secure=request.url.scheme == "https"
                    or c.settings.public_base_url.startswith("https://"),
                    max_age=SESSION_SECONDS)
    return resp


def users_context(c: Container, actor: Actor) -> dict[str, Any]:
    if not actor.may("user.admin"):
        return {"allowed": False}
    with c.read() as conn, conn.begin():
        return {"allowed": True, "users": views.list_users(conn),
                "roles": [r.value for r in Role]}


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, c: ContainerDep, token: Token = None) -> Response:
    return page(request, c, token, "users.html", lambda actor: users_context(c, actor),
                "session.list")


def _run(request: Request, c: Container, token: str | None, command: Callable[[], Command],
         done: str) -> Response:
    actor = web_writer(request, c, token)
    message, error = None, None
    try:
        c.bus.handle(command(), actor)
        message = done
    except DomainError as exc:
        error = exc.code
    return render(request, "users_body.html", {
        **users_context(c, actor), "done": message, "error": error, "actor": actor,
        "tz": c.settings.timezone})


@router.post("/users", response_class=HTMLResponse)
def create_user(request: Request, c: ContainerDep, name: Field, role: Field,
                password: Field = "", display_name: Field = "",
                token: Token = None) -> Response:
    return _run(request, c, token,
                lambda: AddUser(name.strip(), role, display_name.strip(), password,
                                with_token=False), "created")


@router.post("/users/{name}/{action}", response_class=HTMLResponse)
def user_action(name: str, action: str, request: Request, c: ContainerDep,
                role: Field = "", password: Field = "", token: Token = None) -> Response:
    moves: dict[str, Callable[[], Command]] = {
        "role": lambda: SetRole(name, role), "password": lambda: SetPassword(name, password),
        "revoke": lambda: RevokeTokens(name), "disable": lambda: SetDisabled(name, True),
        "enable": lambda: SetDisabled(name, False)}
    if action not in moves:
        raise Invalid("action must be role, password, revoke, disable or enable",
                      field="action")
    return _run(request, c, token, moves[action], action)
