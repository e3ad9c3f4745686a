"""The door: a plain ASGI middleware, outermost, that bounds every request before any route
(or the purchase fast path) does work. It refuses
- a body larger than its route class allows (413 `payload_too_large`), decided on the
  declared Content-Length and again while the body streams in, never after reading it all;
- JSON nested deeper than MAX_JSON_DEPTH (400 `json_too_deep`): Python's parser recurses;
- a text no column may hold (422 `invalid_text`, the field named): NUL, lone surrogates,
  control characters, in the path, the query, the Idempotency-Key header, any JSON string
  or form value. Single-line fields are narrowed further by their schema (schemas.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from liveroom.core.errors import DomainError
from liveroom.core.text import (
    InvalidText,
    check_json_texts,
    check_text,
    json_depth_exceeds,
    suspicious_json,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

KIB = 1024
MAX_JSON_DEPTH = 32
MAX_PATH_SEGMENT = 200
MAX_QUERY_VALUE = 1000
MAX_IDEMPOTENCY_KEY = 128  # orders.idempotency_key
MAX_BUYER_ID = 64  # orders.buyer_id: a buyer JWT's `sub`
# Route classes, first match wins: (path, body limit, texts checked here). Unauthenticated
# or hot routes get small bodies; bulk ingest (comments, tracking events, connector
# webhooks) the largest. Comment batches check their texts item by item (a bad comment is
# reported, the others stored: comments/ingest.py), so the door does not refuse them whole.
BODY_LIMITS: list[tuple[re.Pattern[str], int, bool]] = [
    (re.compile(r"^/api/v1/payments/callback$"), 16 * KIB, True),
    (re.compile(r"^/api/v1/flash-sales/[^/]+/purchases$"), 16 * KIB, True),
    (re.compile(r"^/api/v1/(sessions/[^/]+/comments|connectors/[^/]+/webhook)$"),
     2048 * KIB, False),
    (re.compile(r"^/api/v1/sessions/[^/]+/events$"), 2048 * KIB, True),
    (re.compile(r"^/api/"), 512 * KIB, True),
    (re.compile(r""), 64 * KIB, True),  # pages: forms
]
_PRINTABLE_ASCII = re.compile(r"[\x21-\x7e]+")


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"


class JsonTooDeep(DomainError):
    status = 400
    code = "json_too_deep"


def route_class(path: str) -> tuple[int, bool]:
    """(body limit in bytes, whether the door checks the body's texts)."""
    for pattern, limit, texts in BODY_LIMITS:
        if pattern.match(path):
            return limit, texts
    return BODY_LIMITS[-1][1], True


def check_target(scope: Scope) -> None:
    """Path segments, query names and values, and the Idempotency-Key header."""
    for segment in scope.get("path", "").split("/"):
        check_text("path", segment, max_length=MAX_PATH_SEGMENT)
    query = scope.get("query_string", b"")
    if query:
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            check_text(f"query {name[:50]!r}", name, max_length=100)
            check_text(f"query {name}", value, max_length=MAX_QUERY_VALUE)
    for name, value in scope.get("headers", ()):
        if name == b"idempotency-key":
            key = value.decode("latin-1")
            if len(key) > MAX_IDEMPOTENCY_KEY:
                raise DomainError(f"header Idempotency-Key (1–{MAX_IDEMPOTENCY_KEY} chars) "
                                  "is required", code="idempotency_key_required")
            if key and not _PRINTABLE_ASCII.fullmatch(key):
                # printable ASCII only: a key is an opaque token, and bytes a client meant
                # as UTF-8 would otherwise be stored as Latin-1 mojibake
                raise InvalidText("Idempotency-Key", "control")


def buyer_id_of(sub: str) -> str:
    """The buyer id a verified JWT names, refused unless a column can hold it."""
    return check_text("token sub", sub, max_length=MAX_BUYER_ID)


def check_body(raw: bytes, content_type: str, texts: bool) -> None:
    if "x-www-form-urlencoded" in content_type:
        for name, value in parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True):
            check_text(f"form {name[:50]}", value, multiline=True)
        return
    if "multipart/" in content_type:
        return  # no route takes uploads; the size limit still applies
    if json_depth_exceeds(raw, MAX_JSON_DEPTH):
        raise JsonTooDeep(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    if not texts or not suspicious_json(raw):
        return
    try:
        value = json.loads(raw)
    except ValueError:
        return  # not JSON: the route answers malformed_json
    check_json_texts(value)


async def read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    for name, value in scope.get("headers", ()):
        if name == b"content-length" and value.isdigit() and int(value) > limit:
            raise PayloadTooLarge(f"request body larger than {limit} bytes", limit=limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"request body larger than {limit} bytes", limit=limit)
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


class RequestGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            try:
                check_target(scope)
            except DomainError:
                await send({"type": "websocket.close", "code": 1008})
                return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            check_target(scope)
            limit, texts = route_class(scope.get("path", ""))
            body = await read_body(scope, receive, limit)
            if body:
                check_body(body, _header(scope, b"content-type"), texts)
        except DomainError as exc:
            await _refuse(send, exc)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: disconnects reach the app
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _header(scope: Scope, wanted: bytes) -> str:
    for name, value in scope.get("headers", ()):
        if name == wanted:
            return str(value.decode("latin-1").lower())
    return ""


async def _refuse(send: Send, exc: DomainError) -> None:
    payload = json.dumps(exc.to_dict(), ensure_ascii=True).encode()
    await send({"type": "http.response.start", "status": exc.status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(payload)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": payload})
