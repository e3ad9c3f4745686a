"""Operators, roles, bearer tokens and the permission table; buyers' JWTs."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
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


R = Role
STAFF = frozenset({R.ADMIN, R.HOST, R.CONSOLE, R.OPS, R.CS})  # people who run the show

# Who may do what: the one permission table (docs/security.md shows it and a test keeps the
# two equal). Keys are the actions commands declare and routes require. Least privilege:
# a connector only pushes comments and events; a merchant sees the paid orders it must ship
# (with the address) and nothing of costs, reviews or viewers' paths.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "product.write": frozenset({R.OPS, R.ADMIN}),
    "product.read": STAFF,  # products carry their cost
    "session.create": frozenset({R.OPS, R.ADMIN}),
    "session.plan": frozenset({R.OPS, R.CONSOLE, R.ADMIN}),
    "session.list": STAFF | {R.MERCHANT},  # titles, times and status: where orders come from
    "session.read": STAFF,  # the lineup carries costs
    "session.transition": frozenset({R.CONSOLE, R.HOST, R.ADMIN}),
    "checklist.tick": frozenset({R.CONSOLE, R.HOST, R.OPS, R.ADMIN}),
    # place, pay and refund a rehearsal's ¥0.01 test order (kept out of every figure)
    "rehearsal.test_order": frozenset({R.CONSOLE, R.OPS, R.ADMIN}),
    "console.list": frozenset({R.CONSOLE, R.ADMIN}),
    "console.explain": frozenset({R.CONSOLE, R.HOST, R.ADMIN}),
    "console.price": frozenset({R.CONSOLE, R.OPS, R.ADMIN}),
    "console.price_override": frozenset({R.OPS, R.ADMIN}),
    "console.coupon": frozenset({R.CONSOLE, R.OPS, R.ADMIN}),
    "console.flash_sale": frozenset({R.CONSOLE, R.ADMIN}),
    "console.announce": frozenset({R.CONSOLE, R.HOST, R.ADMIN}),
    "audit.read": frozenset({R.ADMIN, R.OPS}),
    "orders.read": frozenset({R.OPS, R.CS, R.MERCHANT, R.ADMIN}),
    "orders.read_all": frozenset({R.OPS, R.CS, R.ADMIN}),  # without it: paid orders only
    "orders.write": frozenset({R.OPS, R.CS, R.MERCHANT, R.ADMIN}),
    "orders.see_personal_data": frozenset({R.CS, R.MERCHANT, R.ADMIN}),
    "fulfilment.confirm": frozenset({R.MERCHANT, R.ADMIN}),  # the merchant promises the date
    "orders.refund": frozenset({R.CS, R.OPS, R.ADMIN}),
    "aftersales.read": frozenset({R.CS, R.OPS, R.ADMIN}),  # the 客服 queue and its alerts
    "aftersales.decide": frozenset({R.CS, R.OPS, R.ADMIN}),  # approve, reject, answer
    "aftersales.receive": frozenset({R.CS, R.OPS, R.ADMIN}),  # returned goods arrived
    "members.read": frozenset({R.OPS, R.CS, R.ADMIN}),  # the /members page and API
    "members.export": frozenset({R.OPS, R.CS, R.ADMIN}),  # audited CSV/XLSX, masked
    "members.price": frozenset({R.CONSOLE, R.OPS, R.ADMIN}),  # member-only prices in a show
    "members.points_window": frozenset({R.CONSOLE, R.OPS, R.ADMIN}),  # double points
    "members.points": frozenset({R.OPS, R.ADMIN}),  # spend a member's points (redemption)
    "members.coupon": frozenset({R.OPS, R.ADMIN}),  # 会员专享券: who may claim a coupon
    "members.ugc": frozenset({R.OPS, R.ADMIN}),  # approve 晒单 posts (grants the reward)
    "members.reach": frozenset({R.OPS, R.ADMIN}),  # plan and send member reminders
    "members.import": frozenset({R.OPS, R.ADMIN}),  # history from the previous shop system
    "comments.ingest": frozenset({R.CONNECTOR, R.CONSOLE, R.ADMIN}),
    "comments.read": STAFF,
    "comments.answer": frozenset({R.HOST, R.CONSOLE, R.CS, R.ADMIN}),  # the question queue
    "comments.moderate": frozenset({R.CONSOLE, R.CS, R.ADMIN}),
    "comments.configure": frozenset({R.CONSOLE, R.OPS, R.CS, R.ADMIN}),  # FAQ, auto-reply
    "comments.games": frozenset({R.CONSOLE, R.OPS, R.ADMIN}),  # lotteries, 口令红包
    "metrics.read": STAFF,
    "review.read": STAFF,
    "viewers.read": frozenset({R.OPS, R.ADMIN}),  # one viewer's path through the show
    "events.ingest": frozenset({R.CONNECTOR, R.OPS, R.ADMIN}),
    "campaign.write": frozenset({R.OPS, R.ADMIN}),
    "incidents.write": frozenset({R.CONSOLE, R.HOST, R.OPS, R.ADMIN}),
    "experiments.write": frozenset({R.OPS, R.ADMIN}),
    "reports.read": frozenset({R.OPS, R.ADMIN}),
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


MAX_BUYER_TOKEN_MINUTES = 24 * 60


def verify_buyer_jwt(token: str, secret: str, max_minutes: int = MAX_BUYER_TOKEN_MINUTES,
                     now: float | None = None) -> str:
    """The buyer id of a signed, unexpired token whose `exp` (and `iat`, if present) are
    numbers and whose lifetime is at most `max_minutes`: a token minted to last for
    years is a stolen-forever token, refused even when the signature is good."""
    if not signed_with(token, secret):  # a forged token costs one HMAC, nothing more
        raise Unauthenticated("bad buyer token: signature verification failed")
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"],
                            options={"require": ["sub", "exp"]})
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated("buyer token expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthenticated(f"bad buyer token: {exc}") from exc
    exp, iat = claims["exp"], claims.get("iat")
    if not _is_number(exp) or (iat is not None and not _is_number(iat)):
        raise Unauthenticated("buyer token exp and iat must be numbers",
                              code="bad_token_claims")
    longest = max_minutes * 60
    if exp - (time.time() if now is None else now) > longest or (
            iat is not None and exp - iat > longest):
        raise Unauthenticated(f"buyer token lives longer than {max_minutes} minutes",
                              code="token_lifetime_too_long")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > 64:
        raise Unauthenticated("buyer token needs a subject of 1–64 characters")
    return sub


def signed_with(token: str, secret: str) -> bool:
    """Whether the token's HS256 signature is the secret's: the cheap first gate (a few
    microseconds) before PyJWT parses anything. PyJWT still checks the whole token."""
    head, _, sig = token.rpartition(".")
    if not head or "." not in head:
        return False
    try:
        given = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
    except (ValueError, binascii.Error):
        return False
    mac = hmac.new(secret.encode(), head.encode("ascii", "replace"), hashlib.sha256)
    return hmac.compare_digest(mac.digest(), given)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
