"""Delivery of queued order notifications (unpaid reminders, safety-stock alerts) through
the one notification port (outreach/ports.py), each message's key being its row id."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from liveroom.adapters.sql.deliveries import SqlDeliveryLog
from liveroom.adapters.sql.schema_orders import order_notifications, orders
from liveroom.outreach.delivery import deliver
from liveroom.outreach.model import DeliveryStatus, Message, RetryPolicy, Routing
from liveroom.outreach.ports import Notifier


def message_for(row: Any, routing: Routing) -> Message:
    data = {**row.payload, "order_id": row.order_id, "sku_id": row.sku_id,
            "session_id": row.session_id}
    text = str(row.payload.get("text") or f"{row.kind}: {row.payload}")
    return Message(row.id, row.recipient, routing.channel(row.recipient), row.kind, text,
                   {k: v for k, v in data.items() if v is not None and k != "text"})


def send_due(uow: Any, now: datetime, notifier: Notifier, routing: Routing | None = None,
             policy: RetryPolicy | None = None, limit: int = 500) -> int:
    """Sends what is due, once, however many processes run the timer: on PostgreSQL each
    claims its rows (FOR UPDATE SKIP LOCKED) until it commits them, and the delivery record
    (one per row id) refuses a key already sent; SQLite's writers take turns (BEGIN
    IMMEDIATE). A passing failure moves the row's `due_at` to the backed-off retry time;
    `sent_at` is set once the message is delivered or has failed for good."""
    routing = routing or Routing()
    policy = policy or RetryPolicy()
    record = SqlDeliveryLog(lambda: nullcontext(uow.conn))
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
        outcome, retry_at = deliver(record, notifier, message_for(r, routing), now, policy)
        if outcome == DeliveryStatus.QUEUED:
            uow.execute(update(order_notifications).where(n.id == r.id).values(due_at=retry_at))
            continue
        if outcome == DeliveryStatus.SENDING:
            continue
        uow.execute(update(order_notifications).where(n.id == r.id).values(sent_at=now))
        sent += outcome == DeliveryStatus.SENT
    uow.commit()
    return sent
