"""Two processes running the notification timer at once: every message goes out once."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import insert

from liveroom.adapters.sql.schema_orders import order_notifications
from liveroom.bootstrap import Container
from liveroom.core.ids import new_id
from liveroom.orders.notify import send_due
from liveroom.outreach.model import Message


class SlowNotifier:
    """Records what it sends; slow enough that two timers overlap."""

    def __init__(self, log: list[str], lock: threading.Lock) -> None:
        self.log, self.lock = log, lock

    def send(self, message: Message) -> str | None:
        time.sleep(0.005)  # a test double standing in for a slow provider
        with self.lock:
            self.log.append(message.recipient)
        return None


def test_two_timers_sending_at_once_send_each_message_once(container: Container) -> None:
    now = container.clock.now()
    with container.engine.begin() as conn:
        conn.execute(insert(order_notifications), [
            {"id": new_id(), "kind": "safety_stock", "recipient": f"ops-{i}", "payload": {},
             "due_at": now - timedelta(minutes=1), "created_at": now} for i in range(30)])
    sent: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(2)
    counts: list[int] = []

    def timer() -> None:
        start.wait()
        with container.uow() as uow:
            counts.append(send_due(uow, now, SlowNotifier(sent, lock)))

    threads = [threading.Thread(target=timer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(sent) == sorted(f"ops-{i}" for i in range(30))  # each once
    assert sum(counts) == 30
