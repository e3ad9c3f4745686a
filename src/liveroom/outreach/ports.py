"""What outreach needs from the outside: a channel that sends one message, and a record
of every message key with its delivery status."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from liveroom.outreach.model import DeliveryStatus, Message


class Notifier(Protocol):
    """One channel (or a router over several). Returns the provider's reference, if any;
    raises RetryLater or SendFailed."""

    def send(self, message: Message) -> str | None: ...


class DeliveryLog(Protocol):
    def claim(self, message: Message, now: datetime, stale_before: datetime) -> int | None:
        """Take the message for one attempt: the attempts made so far, or None when it is
        sent, failed, not due yet, or being sent by another worker."""

    def finish(self, key: str, status: DeliveryStatus, attempts: int, now: datetime, *,
               reason: str | None = None, provider_ref: str | None = None,
               next_attempt_at: datetime | None = None) -> None: ...

    def status(self, key: str) -> tuple[DeliveryStatus, datetime] | None:
        """The stored status and the next attempt time; None for an unknown key."""
