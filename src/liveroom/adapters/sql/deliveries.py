"""The delivery record of outgoing messages (notification_deliveries): one row per message
key. Claiming is a conditional update, so two workers never send the same key at once, and
a key recorded sent is never sent again."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update

from liveroom.adapters.sql.db import dialect_insert
from liveroom.adapters.sql.schema_fulfilment import notification_deliveries as nd
from liveroom.core.clock import as_aware
from liveroom.outreach.model import DeliveryStatus, Message

Scope = Callable[[], AbstractContextManager[Any]]


class SqlDeliveryLog:
    """`scope()` yields a connection in a transaction: `engine.begin` for short
    transactions of their own, or the caller's unit of work's connection."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def claim(self, message: Message, now: datetime, stale_before: datetime) -> int | None:
        c = nd.c
        with self.scope() as conn:
            conn.execute(dialect_insert(conn, nd).values(
                message_key=message.id, channel=message.channel[:16],
                recipient=message.recipient[:64], kind=message.kind[:32],
                status=DeliveryStatus.QUEUED.value, attempts=0, next_attempt_at=now,
                created_at=now, updated_at=now).on_conflict_do_nothing(
                index_elements=[c.message_key]))
            due = or_(and_(c.status == DeliveryStatus.QUEUED.value, c.next_attempt_at <= now),
                      and_(c.status == DeliveryStatus.SENDING.value,
                           c.claimed_at < stale_before))
            took = conn.execute(update(nd).where(c.message_key == message.id, due).values(
                status=DeliveryStatus.SENDING.value, claimed_at=now, updated_at=now))
            if took.rowcount != 1:
                return None
            return int(conn.execute(select(c.attempts).where(
                c.message_key == message.id)).scalar_one())

    def finish(self, key: str, status: DeliveryStatus, attempts: int, now: datetime, *,
               reason: str | None = None, provider_ref: str | None = None,
               next_attempt_at: datetime | None = None) -> None:
        values: dict[str, Any] = {"status": status.value, "attempts": attempts,
                                  "reason": reason, "updated_at": now, "claimed_at": None}
        if provider_ref is not None:
            values["provider_ref"] = provider_ref[:128]
        if next_attempt_at is not None:
            values["next_attempt_at"] = next_attempt_at
        with self.scope() as conn:
            conn.execute(update(nd).where(nd.c.message_key == key).values(values))

    def status(self, key: str) -> tuple[DeliveryStatus, datetime] | None:
        with self.scope() as conn:
            row = conn.execute(select(nd.c.status, nd.c.next_attempt_at)
                               .where(nd.c.message_key == key)).first()
        return None if row is None else (DeliveryStatus(row.status),
                                         as_aware(row.next_attempt_at))


def delivery(conn: Any, key: str) -> dict[str, Any] | None:
    """One message's delivery record, for pages and tests."""
    row = conn.execute(select(nd).where(nd.c.message_key == key)).first()
    return None if row is None else dict(row._mapping)
