"""The notification port (SMS, official-account template messages, enterprise WeChat…)
and its default adapter, which only logs. Queued rows live in `campaign_notifications`;
`dispatch` sends what is queued and records the outcome of each message."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Engine, select, update

from liveroom.adapters.sql.schema_tracking import campaign_notifications as cn
from liveroom.core.clock import Clock

log = logging.getLogger("liveroom.notifications")


@dataclass(frozen=True)
class Message:
    id: str
    buyer_id: str
    channel: str
    kind: str
    text: str


class SendFailed(Exception):
    """A provider refused one message; the others are still tried."""


class Notifier(Protocol):
    def send(self, message: Message) -> None: ...


class LogNotifier:
    """Writes each message to the log: the default until a real provider is configured."""

    def __init__(self) -> None:
        self.sent: list[Message] = []

    def send(self, message: Message) -> None:
        log.info("notify %s via %s [%s]: %s", message.buyer_id, message.channel,
                 message.kind, message.text)
        self.sent.append(message)
        if len(self.sent) > 10_000:  # keep memory bounded in long-running servers
            del self.sent[:5_000]


def dispatch(engine: Engine, notifier: Notifier, clock: Clock, session_id: str | None = None,
             limit: int = 5_000) -> dict[str, int]:
    """Send queued messages (oldest first); each row ends `sent` or `failed`."""
    q = select(cn).where(cn.c.status == "queued").order_by(cn.c.created_at).limit(limit)
    if session_id:
        q = q.where(cn.c.session_id == session_id)
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    sent, failed = [], []
    for r in rows:
        try:
            notifier.send(Message(r.id, r.buyer_id, r.channel, r.kind, r.text))
            sent.append(r.id)
        except SendFailed as exc:
            log.warning("notification %s to %s failed: %s", r.id, r.buyer_id, exc)
            failed.append(r.id)
    with engine.begin() as conn:
        for ids, status in ((sent, "sent"), (failed, "failed")):
            if ids:
                conn.execute(update(cn).where(cn.c.id.in_(ids))
                             .values(status=status, sent_at=clock.now()))
    return {"sent": len(sent), "failed": len(failed)}
