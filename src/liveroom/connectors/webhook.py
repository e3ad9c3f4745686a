"""A generic signed webhook for platforms and gateways we have no client for.

The sender signs ``"{timestamp}.{raw body}"`` with HMAC-SHA256 and the connector's secret
and sends ``X-Liveroom-Timestamp`` (unix seconds) and ``X-Liveroom-Signature: sha256=<hex>``.
We reject a bad signature, a timestamp outside the tolerance (a captured request cannot be
replayed later) and the same signature twice within the tolerance (nor replayed now).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Protocol

from liveroom.core.errors import Unauthenticated

TOLERANCE_SECONDS = 300


class WebhookRejected(Unauthenticated):
    code = "webhook_rejected"


class SignatureInvalid(WebhookRejected):
    code = "webhook_signature_invalid"


class TimestampStale(WebhookRejected):
    code = "webhook_timestamp_stale"


class Replayed(WebhookRejected):
    code = "webhook_replayed"


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class ReplayGuard(Protocol):
    """Signatures seen within the tolerance window (a signature is unique to its timestamp
    and body, so remembering it for the window is enough). Shared by every server process:
    in Redis when configured, else in the database (adapters/replay_guard.py)."""

    def first_time(self, signature: str, now: float, tolerance: float) -> bool:
        """Atomically records the signature; False when it was recorded already."""

    def forget(self, signature: str) -> None:
        """The request was not taken (e.g. the store was down): its retry is not a replay."""


def verify(secret: str, body: bytes, timestamp: str | None, signature: str | None,
           now: datetime, guard: ReplayGuard, tolerance: int = TOLERANCE_SECONDS) -> None:
    """Raise a WebhookRejected subclass unless the request is authentic and fresh."""
    if not timestamp or not signature:
        raise SignatureInvalid("X-Liveroom-Timestamp and X-Liveroom-Signature are required")
    try:
        sent = int(timestamp)
    except ValueError as exc:
        raise SignatureInvalid("X-Liveroom-Timestamp: unix seconds") from exc
    # Check the signature first: an attacker must not learn anything from the other checks.
    if not hmac.compare_digest(sign(secret, timestamp, body), signature.strip()):
        raise SignatureInvalid("signature does not match the body")
    if abs(now.timestamp() - sent) > tolerance:
        raise TimestampStale(f"timestamp is more than {tolerance} s away from our clock")
    if not guard.first_time(signature.strip(), now.timestamp(), tolerance):
        raise Replayed("this request was delivered already")
