"""Passwords for the web sign-in (argon2id), and the user-admin commands around them:
set or reset a password, change a role, disable a user, sign in with a password.

A password sign-in issues an ordinary bearer token labelled "web" (the page keeps it in
its HttpOnly cookie), so revoking a user's tokens signs them out everywhere, and a
disabled user can neither use a token nor sign in again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import insert, update

from liveroom.adapters.sql import schema as t
from liveroom.core.bus import Context
from liveroom.core.errors import Invalid, NotFound, Unauthenticated
from liveroom.core.ids import new_id
from liveroom.core.messages import Command
from liveroom.identity.model import Actor, Role, hash_token, new_token

MIN_PASSWORD = 8
MAX_PASSWORD = 256
_hasher = PasswordHasher()  # stateless parameters; safe to share
# Verified against when the user does not exist, so that both answers take as long.
_DUMMY = _hasher.hash("liveroom-no-such-user")


def hash_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise Invalid(f"a password has {MIN_PASSWORD}–{MAX_PASSWORD} characters",
                      code="weak_password", field="password")
    return _hasher.hash(password)


def password_matches(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class SetPassword(Command):
    action: ClassVar[str] = "user.admin"
    name: str
    password: str


@dataclass(frozen=True)
class SetRole(Command):
    action: ClassVar[str] = "user.admin"
    name: str
    role: str


@dataclass(frozen=True)
class SetDisabled(Command):
    action: ClassVar[str] = "user.admin"
    name: str
    disabled: bool


@dataclass(frozen=True)
class PasswordSignIn(Command):
    """Anyone may try; the answer is a new bearer token or 401 `bad_credentials`."""

    name: str
    password: str


def issue(uow: Any, uid: str, label: str, ctx: Context) -> str:
    """A new bearer token for the user; only its hash is stored."""
    token = new_token()
    uow.execute(insert(t.api_tokens).values(id=new_id(), user_id=uid, token_hash=hash_token(token),
                                            label=label, created_at=ctx.clock.now()))
    return token


def role_named(value: str) -> Role:
    try:
        return Role(value)
    except ValueError as exc:
        raise Invalid(f"role must be one of {[r.value for r in Role]}", code="invalid_role",
                      field="role") from exc


def _user(uow: Any, name: str) -> Any:
    user = uow.users.by_name(name)
    if user is None:
        raise NotFound(f"no user {name}", code="user_not_found")
    return user


def _set(uow: Any, user_id: str, **values: Any) -> None:
    uow.execute(update(t.users).where(t.users.c.id == user_id).values(**values))


def set_password(cmd: SetPassword, uow: Any, ctx: Context) -> dict[str, Any]:
    user = _user(uow, cmd.name)
    _set(uow, user.id, password_hash=hash_password(cmd.password))
    uow.audit.record(ctx.actor, "user.password", target=cmd.name,
                     after={"password": "set" if user.password_hash is None else "reset"})
    uow.commit()
    return {"name": cmd.name}


def set_role(cmd: SetRole, uow: Any, ctx: Context) -> dict[str, Any]:
    role = role_named(cmd.role)
    user = _user(uow, cmd.name)
    _set(uow, user.id, role=role.value)
    uow.audit.record(ctx.actor, "user.role", target=cmd.name, before={"role": user.role},
                     after={"role": role.value})
    uow.commit()
    return {"name": cmd.name, "role": role.value}


def set_disabled(cmd: SetDisabled, uow: Any, ctx: Context) -> dict[str, Any]:
    user = _user(uow, cmd.name)
    _set(uow, user.id, disabled=cmd.disabled)
    uow.audit.record(ctx.actor, "user.disable" if cmd.disabled else "user.enable",
                     target=cmd.name)
    uow.commit()
    return {"name": cmd.name, "disabled": cmd.disabled}


def password_sign_in(cmd: PasswordSignIn, uow: Any, ctx: Context) -> dict[str, Any]:
    user = uow.users.by_name(cmd.name.strip())
    ok = password_matches(user.password_hash if user else None, cmd.password)
    if user is None or not ok or user.disabled:
        raise Unauthenticated("wrong user name or password", code="bad_credentials")
    token = issue(uow, user.id, "web", ctx)
    uow.audit.record(Actor(user.id, user.name, Role(user.role)), "user.sign_in",
                     target=user.name)
    uow.commit()
    return {"name": user.name, "role": user.role, "token": token}


HANDLERS: dict[type, Any] = {SetPassword: set_password, SetRole: set_role,
                             SetDisabled: set_disabled, PasswordSignIn: password_sign_in}
