"""Validation of incoming comment batches: each item is checked on its own so that one bad
item is reported with its reasons instead of failing the whole batch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from liveroom.core.clock import utc

MAX_BATCH = 1000
MAX_TEXT = 500
MAX_NAME = 64
# A connector's clock may run a little ahead of ours; further ahead is a bug or a forgery.
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class IncomingComment:
    """A validated item, before analysis; ``client_id`` is the connector's idempotency key."""

    client_id: str | None
    buyer_id: str
    nickname: str
    text: str
    ts: datetime


@dataclass(frozen=True, slots=True)
class Rejection:
    index: int
    code: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "code": self.code, "message": self.message}


def _text(item: dict[str, Any], key: str, limit: int, required: bool) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(f"{key}: a non-empty string is required")
    if len(value) > limit:
        raise ValueError(f"{key}: at most {limit} characters")
    _storable(key, value)
    return value


def _storable(key: str, value: str) -> None:
    """PostgreSQL refuses NUL in text and no database stores a lone surrogate (badly escaped
    JSON): one such item would fail the whole shared flush, so it is refused here."""
    if "\x00" in value:
        raise ValueError(f"{key}: must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{key}: not valid Unicode (a lone surrogate)") from exc


def validate_item(index: int, item: Any, now: datetime) -> IncomingComment | Rejection:
    if not isinstance(item, dict):
        return Rejection(index, "invalid_comment", "each comment must be an object")
    try:
        buyer_id = _text(item, "buyer_id", MAX_NAME, True).strip()
        nickname = _text(item, "nickname", MAX_NAME, False)
        text = _text(item, "text", MAX_TEXT, True)
        client_id = item.get("id")
        if client_id is not None and (not isinstance(client_id, str) or not client_id
                                      or len(client_id) > 64):
            raise ValueError("id: a string of 1–64 characters")
        if client_id is not None:
            _storable("id", client_id)
    except ValueError as exc:
        return Rejection(index, "invalid_comment", str(exc))
    raw_ts = item.get("ts")
    ts: datetime | None = now  # connectors that do not stamp comments get the arrival time
    if raw_ts is not None:
        try:
            ts = utc(datetime.fromisoformat(raw_ts)) if isinstance(raw_ts, str) else None
        except (ValueError, OverflowError):  # naive, malformed, or beyond year 1..9999 in UTC
            ts = None
        if ts is None:
            return Rejection(index, "invalid_ts", "ts: ISO-8601 with a timezone offset")
        if ts > now + FUTURE_TOLERANCE:
            return Rejection(index, "ts_in_future", "ts is more than 5 minutes ahead")
    assert ts is not None
    return IncomingComment(client_id, buyer_id, nickname, text, ts)


def validate_batch(items: Any, now: datetime) -> tuple[list[IncomingComment], list[Rejection]]:
    valid: list[IncomingComment] = []
    rejected: list[Rejection] = []
    for index, item in enumerate(items):
        out = validate_item(index, item, now)
        (rejected if isinstance(out, Rejection) else valid).append(out)  # type: ignore[arg-type]
    return valid, rejected
