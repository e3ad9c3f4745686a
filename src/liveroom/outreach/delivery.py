"""Delivering one message: claim its key, send once, record the outcome. No sleeping: a
passing failure re-queues the message with a later `next_attempt_at`, and whichever worker
runs next picks it up then."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from liveroom.outreach.model import (
    DeliveryStatus,
    Message,
    RetryLater,
    RetryPolicy,
    SendFailed,
)
from liveroom.outreach.ports import DeliveryLog, Notifier

log = logging.getLogger("liveroom.notifications")


def deliver(record: DeliveryLog, notifier: Notifier, message: Message, now: datetime,
            policy: RetryPolicy) -> tuple[DeliveryStatus, datetime]:
    """The message's status after this call, and when it may be tried next (for QUEUED)."""
    attempts = record.claim(message, now, now - timedelta(seconds=policy.stale_claim_s))
    if attempts is None:
        known = record.status(message.id)
        return known if known is not None else (DeliveryStatus.QUEUED, now)
    attempts += 1
    try:
        ref = notifier.send(message)
    except RetryLater as exc:
        status, at = policy.after_failure(attempts, now)
        log.warning("message %s (%s via %s) attempt %d failed: %s; %s", message.id,
                    message.kind, message.channel, attempts, exc, status.value)
        record.finish(message.id, status, attempts, now, reason=str(exc)[:1000],
                      next_attempt_at=at)
        return status, at
    except SendFailed as exc:
        log.warning("message %s (%s via %s) refused: %s", message.id, message.kind,
                    message.channel, exc)
        record.finish(message.id, DeliveryStatus.FAILED, attempts, now,
                      reason=str(exc)[:1000])
        return DeliveryStatus.FAILED, now
    record.finish(message.id, DeliveryStatus.SENT, attempts, now, provider_ref=ref)
    return DeliveryStatus.SENT, now
