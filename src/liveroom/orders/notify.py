"""Delivery of queued notifications (unpaid reminders, safety-stock alerts) through a port;
the default adapter writes them to the log."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select, update

from liveroom.adapters.sql.schema_orders import order_notifications, orders

log = logging.getLogger("liveroom.notifications")


class Notifier(Protocol):
    def send(self, kind: str, recipient: str, payload: dict[str, Any]) -> None: ...


class LogNotifier:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, Any]]] = []

    def send(self, kind: str, recipient: str, payload: dict[str, Any]) -> None:
        self.sent.append((kind, recipient, payload))
        if len(self.sent) > 1000:
            del self.sent[:500]
        log.info("notify %s → %s: %s", kind, recipient, payload)


def send_due(uow: Any, now: datetime, notifier: Notifier, limit: int = 500) -> int:
    """Sends what is due, once, however many processes run the timer: on PostgreSQL each
    claims its rows (FOR UPDATE SKIP LOCKED) until it commits them sent, and a row another
    process committed meanwhile fails the re-checked `sent_at IS NULL`; SQLite's writers
    take turns (BEGIN IMMEDIATE), so the later one finds the rows sent."""
    n = order_notifications.c
    rows = uow.execute(select(order_notifications).where(n.sent_at.is_(None), n.due_at <= now)
                       .order_by(n.due_at).limit(limit)
                       .with_for_update(skip_locked=True)).all()
    sent = 0
    for r in rows:
        if r.kind == "unpaid_reminder":
            status = uow.execute(select(orders.c.status)
                                 .where(orders.c.id == r.order_id)).scalar_one_or_none()
            if status != "reserved":  # paid or closed meanwhile: nothing to remind
                uow.execute(update(order_notifications).where(n.id == r.id)
                            .values(sent_at=now, payload={**r.payload, "skipped": status}))
                continue
        notifier.send(r.kind, r.recipient, {**r.payload, "order_id": r.order_id,
                                            "sku_id": r.sku_id, "session_id": r.session_id})
        uow.execute(update(order_notifications).where(n.id == r.id).values(sent_at=now))
        sent += 1
    uow.commit()
    return sent
