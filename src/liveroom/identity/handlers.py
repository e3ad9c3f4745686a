"""Operators: add a user (prints a bearer token), issue and revoke tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import insert, select, update

from liveroom.adapters.sql import schema as t
from liveroom.core.bus import Context
from liveroom.core.errors import Conflict, Invalid, NotFound, Unauthenticated
from liveroom.core.ids import new_id
from liveroom.core.messages import Command
from liveroom.identity import passwords
from liveroom.identity.model import Actor, Role, hash_token
from liveroom.identity.passwords import hash_password, issue, role_named


@dataclass(frozen=True)
class AddUser(Command):
    action: ClassVar[str] = "user.admin"
    name: str
    role: str
    display_name: str = ""
    password: str = ""  # for the web sign-in; empty: token only
    with_token: bool = True  # the CLI prints one; a user made on the page signs in instead


@dataclass(frozen=True)
class IssueToken(Command):
    action: ClassVar[str] = "user.admin"
    name: str
    label: str = ""


@dataclass(frozen=True)
class RevokeTokens(Command):
    action: ClassVar[str] = "user.admin"
    name: str


def add_user(cmd: AddUser, uow: Any, ctx: Context) -> dict[str, Any]:
    role = role_named(cmd.role)
    if not cmd.name.strip() or len(cmd.name) > 64:
        raise Invalid("name must be 1–64 characters", field="name")
    if uow.users.by_name(cmd.name) is not None:
        raise Conflict(f"user {cmd.name} exists", code="user_exists")
    uid = new_id()
    uow.execute(insert(t.users).values(
        id=uid, name=cmd.name, role=role.value, display_name=cmd.display_name or cmd.name,
        created_at=ctx.clock.now(), disabled=False,
        password_hash=hash_password(cmd.password) if cmd.password else None))
    token = issue(uow, uid, "initial", ctx) if cmd.with_token else None
    uow.audit.record(ctx.actor, "user.add", target=cmd.name, after={"role": role.value})
    uow.commit()
    return {"id": uid, "name": cmd.name, "role": role.value, "token": token}


def issue_token(cmd: IssueToken, uow: Any, ctx: Context) -> dict[str, Any]:
    user = uow.users.by_name(cmd.name)
    if user is None:
        raise NotFound(f"no user {cmd.name}", code="user_not_found")
    token = issue(uow, user.id, cmd.label, ctx)
    uow.audit.record(ctx.actor, "user.token", target=cmd.name)
    uow.commit()
    return {"name": cmd.name, "token": token}


def revoke_tokens(cmd: RevokeTokens, uow: Any, ctx: Context) -> dict[str, Any]:
    user = uow.users.by_name(cmd.name)
    if user is None:
        raise NotFound(f"no user {cmd.name}", code="user_not_found")
    n = uow.execute(update(t.api_tokens).where(t.api_tokens.c.user_id == user.id,
                                               t.api_tokens.c.revoked_at.is_(None))
                    .values(revoked_at=ctx.clock.now())).rowcount
    uow.audit.record(ctx.actor, "user.revoke", target=cmd.name, after={"revoked": n})
    uow.commit()
    return {"name": cmd.name, "revoked": n}


def actor_for_token(conn: Any, token: str) -> Actor:
    row = conn.execute(
        select(t.users.c.id, t.users.c.name, t.users.c.role, t.users.c.disabled)
        .join(t.api_tokens, t.api_tokens.c.user_id == t.users.c.id)
        .where(t.api_tokens.c.token_hash == hash_token(token),
               t.api_tokens.c.revoked_at.is_(None))).first()
    if row is None or row.disabled:
        raise Unauthenticated("unknown or revoked token")
    return Actor(row.id, row.name, Role(row.role))


HANDLERS = {AddUser: add_user, IssueToken: issue_token, RevokeTokens: revoke_tokens,
            **passwords.HANDLERS}
