"""The flash-sale purchase, the hottest request in the product. One function does the work
(`purchase_reply`); it is reachable two ways with identical answers:
- the FastAPI route in routes_orders (documented in OpenAPI), and
- `FlashPurchaseFastPath`, a plain ASGI middleware that answers
  `POST /api/v1/flash-sales/{fid}/purchases` before FastAPI's routing and dependency
  machinery, which otherwise costs several times the work of the purchase itself."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from liveroom.bootstrap import Container
from liveroom.core.errors import DomainError, Invalid
from liveroom.core.ratelimit import aenforce
from liveroom.core.text import check_text
from liveroom.entrypoints.api.guard import buyer_id_of
from liveroom.identity.model import parse_bearer, verify_buyer_jwt
from liveroom.inventory.ledger import PurchaseRequest

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
                   Awaitable[None]]
PREFIX = "/api/v1/flash-sales/"
SUFFIX = "/purchases"
# Widths of orders.idempotency_key and orders.channel: a longer value must be refused here,
# or PostgreSQL rejects the whole group-commit batch (or jams the Redis order stream).
MAX_KEY_LENGTH = 128
MAX_CHANNEL_LENGTH = 32
MAX_UTM_ITEMS = 20
MAX_UTM_TEXT = 256


class BadRequest(DomainError):
    status = 400


_jwt_cache: dict[str, tuple[str, float]] = {}


def _exp_of(token: str) -> float:
    """`exp` of a token verify_buyer_jwt has just accepted: read straight from its payload
    segment (a second PyJWT decode re-validated the whole token, ~as costly as the first)."""
    try:
        seg = token.split(".")[1]
        return float(json.loads(base64.urlsafe_b64decode(seg + "=" * (-len(seg) % 4)))["exp"])
    except (IndexError, ValueError, KeyError, TypeError):
        return 0.0  # not cached: verified again next time


def buyer_of(authorization: str | None, secret: str, max_minutes: int) -> str:
    """Verified buyer id. A verified token is remembered until it expires: the same buyer
    pressing buy again (or retrying) costs no second HMAC check."""
    token = parse_bearer(authorization)
    hit = _jwt_cache.get(token)
    if hit is not None and hit[1] > time.time():
        return hit[0]
    sub = buyer_id_of(verify_buyer_jwt(token, secret, max_minutes))  # signed, unexpired
    exp = _exp_of(token)
    if len(_jwt_cache) > 200_000:
        _jwt_cache.clear()
    _jwt_cache[token] = (sub, exp)
    return sub


def checked_utm(utm: Any) -> dict[str, str] | None:
    """Campaign tags stored with the order: a small flat object of short texts."""
    if utm is None:
        return None
    if not isinstance(utm, dict) or len(utm) > MAX_UTM_ITEMS or not all(
            isinstance(v, str) for v in utm.values()):
        raise Invalid(f"utm must be an object of at most {MAX_UTM_ITEMS} texts", field="utm")
    for k, v in utm.items():
        check_text(f"utm.{k[:50]}", k, max_length=64)
        check_text(f"utm.{k[:50]}", v, max_length=MAX_UTM_TEXT)
    return utm


async def purchase_reply(c: Container, fid: str, authorization: str | None, key: str | None,
                         raw: bytes) -> tuple[int, dict[str, Any]]:
    """(status code, body) of a purchase; DomainError for a malformed request."""
    buyer = buyer_of(authorization, c.settings.buyer_secret, c.settings.buyer_token_max_minutes)
    await aenforce(c.limiter, buyer, c.limits.purchases)
    if not key or len(key) > MAX_KEY_LENGTH:
        raise BadRequest(f"header Idempotency-Key (1–{MAX_KEY_LENGTH} chars) is required",
                         code="idempotency_key_required")
    try:
        body = json.loads(raw) if raw else {}
    except ValueError as exc:
        raise BadRequest("request body must be a JSON object", code="malformed_json") from exc
    if not isinstance(body, dict):
        raise BadRequest("request body must be a JSON object", code="malformed_json")
    qty = body.get("quantity", 1)
    if not isinstance(qty, int) or isinstance(qty, bool) or qty < 1:
        raise Invalid("quantity must be a positive integer", field="quantity")
    utm = body.get("utm")
    channel = body.get("channel")
    if channel is not None and (not isinstance(channel, str)
                                or len(channel) > MAX_CHANNEL_LENGTH):
        raise Invalid(f"channel must be a string of at most {MAX_CHANNEL_LENGTH} chars",
                      field="channel")
    if channel is not None:
        check_text("channel", channel)
    early = await c.early_access.early(fid, buyer)  # 会员优先购: may buy in the member window
    reply = await c.stock.reserve(PurchaseRequest(
        fid, buyer, qty, key, channel=channel, utm=checked_utm(utm), early=early))
    return reply.status_code, reply.body


class FlashPurchaseFastPath:
    def __init__(self, app: ASGIApp, container: Container) -> None:
        self.app = app
        self.container = container

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not (scope.get("method") == "POST" and path.startswith(PREFIX)
                and path.endswith(SUFFIX)):
            await self.app(scope, receive, send)
            return
        fid = path[len(PREFIX):-len(SUFFIX)]
        if not fid or "/" in fid:
            await self.app(scope, receive, send)
            return
        auth = key = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                auth = value.decode("latin-1")
            elif name == b"idempotency-key":
                key = value.decode("latin-1")
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        extra: dict[str, str] = {}
        try:
            status, body = await purchase_reply(self.container, fid, auth, key,
                                                b"".join(chunks))
        except DomainError as exc:
            status, body, extra = exc.status, exc.to_dict(), exc.headers()
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(payload)).encode()),
                                *((k.lower().encode(), v.encode()) for k, v in extra.items())]})
        await send({"type": "http.response.body", "body": payload})
