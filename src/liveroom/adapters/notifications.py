"""The notification port's adapters at hand: the log (the default until a real provider
is configured) and a router that sends each message through its channel's adapter (SMS,
企业微信, 公众号: adapters/notifications_http.py). Queued campaign rows live in
`campaign_notifications`; `dispatch` delivers what is due and records each outcome. The
port itself (Message, Notifier, SendFailed, RetryLater) is outreach/."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import Engine, or_, select, update

from liveroom.adapters.sql.deliveries import SqlDeliveryLog
from liveroom.adapters.sql.schema_fulfilment import notification_deliveries as nd
from liveroom.adapters.sql.schema_tracking import campaign_notifications as cn
from liveroom.core.clock import Clock
from liveroom.outreach.delivery import deliver
from liveroom.outreach.model import (
    DeliveryStatus,
    Message,
    RetryLater,
    RetryPolicy,
    Routing,
    SendFailed,
)
from liveroom.outreach.ports import Notifier

__all__ = ["ChannelRouter", "LogNotifier", "Message", "Notifier", "RetryLater", "SendFailed",
           "dispatch"]
log = logging.getLogger("liveroom.notifications")


class LogNotifier:
    """Writes each message to the log."""

    def __init__(self) -> None:
        self.sent: list[Message] = []

    def send(self, message: Message) -> str | None:
        log.info("notify %s via %s [%s]: %s", message.recipient, message.channel,
                 message.kind, message.text)
        self.sent.append(message)
        if len(self.sent) > 10_000:  # keep memory bounded in long-running servers
            del self.sent[:5_000]
        return None


class ChannelRouter:
    """Each message through the adapter of its channel; a channel without a configured
    adapter goes to the log, so nothing is reported sent that was not at least logged."""

    def __init__(self, channels: dict[str, Notifier], fallback: LogNotifier | None = None,
                 policy: RetryPolicy | None = None, routing: Routing | None = None) -> None:
        self.channels = channels
        self.log = fallback or LogNotifier()
        self.policy = policy or RetryPolicy()
        self.routing = routing or Routing()

    @property
    def sent(self) -> list[Message]:
        """What the log adapter wrote (tests and the demo read it)."""
        return self.log.sent

    def send(self, message: Message) -> str | None:
        return self.channels.get(message.channel, self.log).send(message)


def dispatch(engine: Engine, notifier: Notifier, clock: Clock, session_id: str | None = None,
             limit: int = 5_000, policy: RetryPolicy | None = None) -> dict[str, int]:
    """Deliver queued campaign messages that are due (oldest first): each ends `sent` or
    `failed`, or stays `queued` for a later retry."""
    policy = policy or getattr(notifier, "policy", None) or RetryPolicy()
    now = clock.now()
    q = (select(cn).outerjoin(nd, nd.c.message_key == cn.c.id)
         .where(cn.c.status == "queued",
                or_(nd.c.next_attempt_at.is_(None), nd.c.next_attempt_at <= now))
         .order_by(cn.c.created_at).limit(limit))
    if session_id:
        q = q.where(cn.c.session_id == session_id)
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    record = SqlDeliveryLog(engine.begin)
    counts = {"sent": 0, "failed": 0, "retrying": 0}
    for r in rows:
        status, _ = deliver(record, notifier, Message(r.id, r.buyer_id, r.channel, r.kind,
                                                      r.text), now, policy)
        if status == DeliveryStatus.QUEUED:
            counts["retrying"] += 1
            continue
        if status not in (DeliveryStatus.SENT, DeliveryStatus.FAILED):
            continue  # another worker is sending it right now
        counts[status.value] += 1
        with engine.begin() as conn:
            conn.execute(update(cn).where(cn.c.id == r.id, cn.c.status == "queued")
                         .values(status=status.value, sent_at=_at(status, now)))
    return counts


def _at(status: DeliveryStatus, now: datetime) -> datetime | None:
    return now if status == DeliveryStatus.SENT else None
