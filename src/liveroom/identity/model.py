"""Operators, roles, bearer tokens and the permission table; buyers' JWTs."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import jwt

from liveroom.core.errors import Forbidden, Unauthenticated


class Role(StrEnum):
    ADMIN = "admin"
    HOST = "host"  # 主播
    CONSOLE = "console"  # 中控
    OPS = "ops"  # 运营
    CS = "cs"  # 客服
    MERCHANT = "merchant"  # 商家
    CONNECTOR = "connector"  # a platform connector pushing comments and events


ALL_OPERATORS = frozenset(Role)
R = Role

# Who may do what. Keys are action names used by handlers and routes.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "product.write": frozenset({R.OPS, R.ADMIN}),
    "product.read": ALL_OPERATORS,
    "session.create": frozenset({R.OPS, R.ADMIN}),
    "session.plan": frozenset({R.OPS, R.CONSOLE, R.ADMIN}),
    "session.read": ALL_OPERATORS,
    "session.transition": frozenset({R.CONSOLE, R.HOST, R.ADMIN}),
    "checklist.tick": frozenset({R.CONSOLE, R.HOST, R.OPS, R.ADMIN}),
    "console.list": frozenset({R.CONSOLE, R.ADMIN}),
    "console.explain": frozenset({R.CONSOLE, R.HOST, R.ADMIN}),
    "console.price": frozenset({R.CONSOLE, R.OPS, R.ADMIN}),
    "console.price_override": frozenset({R.OPS, R.ADMIN}),
    "console.coupon": frozenset({R.CONSOLE, R.OPS, R.ADMIN}),
    "console.flash_sale": frozenset({R.CONSOLE, R.ADMIN}),
    "console.announce": frozenset({R.CONSOLE, R.HOST, R.ADMIN}),
    "audit.read": frozenset({R.ADMIN, R.OPS}),
    "orders.read": frozenset({R.OPS, R.CS, R.MERCHANT, R.ADMIN}),
    "orders.write": frozenset({R.OPS, R.CS, R.MERCHANT, R.ADMIN}),
    "orders.see_personal_data": frozenset({R.CS, R.MERCHANT, R.ADMIN}),
    "orders.refund": frozenset({R.CS, R.OPS, R.ADMIN}),
    "aftersales.read": frozenset({R.CS, R.OPS, R.ADMIN}),  # the 客服 queue and its alerts
    "aftersales.decide": frozenset({R.CS, R.OPS, R.ADMIN}),  # approve, reject, answer
    "aftersales.receive": frozenset({R.CS, R.OPS, R.ADMIN}),  # returned goods arrived
    "members.read": frozenset({R.OPS, R.CS, R.ADMIN}),  # the /members page and API
    "members.export": frozenset({R.OPS, R.CS, R.ADMIN}),  # audited CSV/XLSX, masked
    "members.price": frozenset({R.CONSOLE, R.OPS, R.ADMIN}),  # member-only prices in a show
    "members.points_window": frozenset({R.CONSOLE, R.OPS, R.ADMIN}),  # double points
    "members.points": frozenset({R.OPS, R.ADMIN}),  # spend a member's points (redemption)
    "comments.ingest": frozenset({R.CONNECTOR, R.CONSOLE, R.ADMIN}),
    "comments.read": frozenset({R.HOST, R.CONSOLE, R.CS, R.OPS, R.ADMIN}),
    "comments.moderate": frozenset({R.CONSOLE, R.CS, R.ADMIN}),
    "comments.configure": frozenset({R.CONSOLE, R.OPS, R.CS, R.ADMIN}),  # FAQ, auto-reply
    "comments.games": frozenset({R.CONSOLE, R.OPS, R.ADMIN}),  # lotteries, 口令红包
    "metrics.read": ALL_OPERATORS,
    "events.ingest": frozenset({R.CONNECTOR, R.OPS, R.ADMIN}),
    "campaign.write": frozenset({R.OPS, R.ADMIN}),
    "user.admin": frozenset({R.ADMIN}),
}


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    role: Role

    def require(self, action: str) -> None:
        if self.role not in PERMISSIONS[action]:
            raise Forbidden(f"role {self.role.value} may not {action}",
                            action=action, role=self.role.value)

    def may(self, action: str) -> bool:
        return self.role in PERMISSIONS[action]


SYSTEM = Actor("system", "system", Role.ADMIN)


def new_token() -> str:
    return "lr_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    # Tokens are 256 random bits: a fast hash is enough, a slow KDF would only cost latency.
    return hashlib.sha256(token.encode()).hexdigest()


def parse_bearer(header: str | None) -> str:
    if not header or not header.lower().startswith("bearer "):
        raise Unauthenticated("missing bearer token")
    return header[7:].strip()


def issue_buyer_jwt(buyer_id: str, secret: str, now: datetime,
                    ttl: timedelta = timedelta(hours=12)) -> str:
    return jwt.encode({"sub": buyer_id, "iat": int(now.timestamp()),
                       "exp": int((now + ttl).timestamp())}, secret, algorithm="HS256")


def verify_buyer_jwt(token: str, secret: str) -> str:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"],
                            options={"require": ["sub", "exp"]})
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated("buyer token expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthenticated(f"bad buyer token: {exc}") from exc
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > 64:
        raise Unauthenticated("buyer token needs a subject of 1–64 characters")
    return sub
