"""Operators: add a user (prints a bearer token), issue and revoke tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import insert, select, update

from liveroom.adapters import schema as t
from liveroom.core.bus import Context
from liveroom.core.errors import Conflict, Invalid, NotFound, Unauthenticated
from liveroom.core.ids import new_id
from liveroom.core.messages import Command
from liveroom.identity.model import Actor, Role, hash_token, new_token


@dataclass(frozen=True)
class AddUser(Command):
    action: ClassVar[str] = "user.admin"
    name: str
    role: str
    display_name: str = ""


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
    try:
        role = Role(cmd.role)
    except ValueError as exc:
        raise Invalid(f"role must be one of {[r.value for r in Role]}", code="invalid_role",
                      field="role") from exc
    if not cmd.name.strip() or len(cmd.name) > 64:
        raise Invalid("name must be 1–64 characters", field="name")
    if uow.users.by_name(cmd.name) is not None:
        raise Conflict(f"user {cmd.name} exists", code="user_exists")
    uid = new_id()
    uow.execute(insert(t.users).values(id=uid, name=cmd.name, role=role.value,
                                       display_name=cmd.display_name or cmd.name,
                                       created_at=ctx.clock.now(), disabled=False))
    token = _issue(uow, uid, "initial", ctx)
    uow.audit.record(ctx.actor, "user.add", target=cmd.name, after={"role": role.value})
    uow.commit()
    return {"id": uid, "name": cmd.name, "role": role.value, "token": token}


def _issue(uow: Any, uid: str, label: str, ctx: Context) -> str:
    token = new_token()
    uow.execute(insert(t.api_tokens).values(id=new_id(), user_id=uid, token_hash=hash_token(token),
                                            label=label, created_at=ctx.clock.now()))
    return token


def issue_token(cmd: IssueToken, uow: Any, ctx: Context) -> dict[str, Any]:
    user = uow.users.by_name(cmd.name)
    if user is None:
        raise NotFound(f"no user {cmd.name}", code="user_not_found")
    token = _issue(uow, user.id, cmd.label, ctx)
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


HANDLERS = {AddUser: add_user, IssueToken: issue_token, RevokeTokens: revoke_tokens}
