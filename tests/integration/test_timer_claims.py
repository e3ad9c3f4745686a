"""Timers run in every server process: two sweeps racing over the same due rows still send
one reminder per unpaid order and expire each lapsed order (stock back) once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from liveroom.adapters.sql.schema_orders import order_notifications
from liveroom.bootstrap import Container
from liveroom.orders import closing
from tests.integration.test_orders import buyer, listed_shop, order, sku_stock

ORDERS = 12


def _race(container: Container, job: Callable[[Any], Any]) -> list[Any]:
    start = threading.Barrier(2)
    out: list[Any] = []

    def run() -> None:
        start.wait()
        with container.uow() as uow:
            out.append(job(uow))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def _unpaid_orders(client: Any, tokens: Any, container: Container) -> tuple[str, str]:
    sid, sku = listed_shop(client, tokens, stock=ORDERS)
    for i in range(ORDERS):
        r = order(client, sid, buyer(container, f"t{i}"), f"t-{i}",
                  items=[{"sku_id": sku, "quantity": 1}])
        assert r.status_code == 201, r.text
    return sid, sku


def test_two_reminder_sweeps_at_once_remind_each_order_once(  # type: ignore[no-untyped-def]
        client, tokens, container, clock) -> None:
    # given unpaid orders whose reminder is due
    _unpaid_orders(client, tokens, container)
    clock.advance(minutes=11)
    policy = container.order_work.policy
    # when two processes' sweeps queue reminders at the same moment
    counts = _race(container, lambda uow: closing.queue_reminders(uow, clock.now(), policy))
    # then each buyer is reminded once
    with container.engine.connect() as conn:
        queued = conn.execute(select(order_notifications.c.order_id, func.count())
                              .where(order_notifications.c.kind == "unpaid_reminder")
                              .group_by(order_notifications.c.order_id)).all()
    assert len(queued) == ORDERS and all(n == 1 for _, n in queued)
    assert sum(counts) == ORDERS


def test_two_expiry_sweeps_at_once_return_each_unit_once(  # type: ignore[no-untyped-def]
        client, tokens, container, clock) -> None:
    # given unpaid orders past their reservation
    _, sku = _unpaid_orders(client, tokens, container)
    assert sku_stock(container, sku) == 0
    clock.advance(minutes=16)
    # when two processes' sweeps expire them at the same moment
    held = _race(container, lambda uow: closing.expire_due(uow, clock.now()))
    # then every unit is back once: not lost, not doubled
    assert sku_stock(container, sku) == ORDERS
    assert sum(len(h) for h in held) == 0  # SKU orders hold nothing in a flash-sale ledger
