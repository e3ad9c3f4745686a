"""Outgoing messages and their delivery rules (触达): one message per key, a status per
message, bounded retries spaced out by backoff. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class Message:
    """`id` is the message key: a message with a key already delivered is never sent
    again, and providers that can deduplicate receive the key with the request."""

    id: str
    recipient: str  # a buyer id (or a phone / openid the provider maps), or an operator role
    channel: str  # log | sms | wecom | official_account
    kind: str  # unpaid_reminder | safety_stock | go_live | repurchase | …
    text: str
    data: dict[str, Any] = field(default_factory=dict)  # template fields

    @property
    def buyer_id(self) -> str:  # the name campaign code has always used
        return self.recipient


class SendFailed(Exception):
    """The provider refused the message for good (4xx, bad recipient): never retried."""


class RetryLater(Exception):
    """A passing failure (timeout, 5xx, rate limit): the message is tried again later."""


class DeliveryStatus(StrEnum):
    QUEUED = "queued"  # waiting for its (next) attempt
    SENDING = "sending"  # claimed by a worker right now
    SENT = "sent"
    FAILED = "failed"


FINAL = (DeliveryStatus.SENT, DeliveryStatus.FAILED)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_s: float = 30.0  # before the 2nd attempt; doubles each time
    max_backoff_s: float = 3600.0
    stale_claim_s: float = 300.0  # a worker that claimed and vanished: free after this

    def after_failure(self, attempts: int, now: datetime
                      ) -> tuple[DeliveryStatus, datetime]:
        """After `attempts` tries that all failed for a passing reason: queued again at
        the backed-off time, or failed once the attempts are used up."""
        if attempts >= self.max_attempts:
            return DeliveryStatus.FAILED, now
        wait = min(self.backoff_s * 2 ** (attempts - 1), self.max_backoff_s)
        return DeliveryStatus.QUEUED, now + timedelta(seconds=wait)


OPERATOR_ROLES = ("ops", "console", "merchant", "cs", "admin")  # recipients that are roles


@dataclass(frozen=True)
class Routing:
    """Which channel a message with no channel of its own takes: operator alerts (to a
    role, e.g. into the ops group chat) and buyer messages apart."""

    buyer_channel: str = "log"
    ops_channel: str = "log"

    def channel(self, recipient: str) -> str:
        return self.ops_channel if recipient in OPERATOR_ROLES else self.buyer_channel
