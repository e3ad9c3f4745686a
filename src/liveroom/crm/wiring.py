"""Wires members into the core: the handlers, the order events that move points (paid →
earn; an operator's refund or an after-sales refund → reversal; the paid or refunded order
of an invited buyer → the inviter's reward), early access to flash sales, and the reminder
timer. Every event may arrive twice (the relay delivers at least once): the ledger's unique
keys count it once."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from liveroom.adapters.eventbus import Envelope
from liveroom.adapters.notifications import Notifier
from liveroom.core.messages import Command
from liveroom.core.tasks import stop_tasks
from liveroom.crm.commands import (
    EarnPoints,
    PlanReminders,
    ReversePoints,
    SendReminders,
    SettleInvitation,
)
from liveroom.crm.early_access import EarlyAccess
from liveroom.crm.handlers import HANDLERS
from liveroom.crm.reminders import send_reminders
from liveroom.identity.model import SYSTEM
from liveroom.runtime import Core

log = logging.getLogger(__name__)
REMINDER_INTERVAL_S = 60.0


@dataclass(frozen=True)
class MembersWiring:
    early_access: EarlyAccess


class ReminderTimer:
    """Plans and sends member reminders every minute in a worker thread (the rows are
    claimed with SKIP LOCKED, so any number of server processes may run it)."""

    def __init__(self, c: Core, interval: float = REMINDER_INTERVAL_S) -> None:
        self.c = c
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="member-reminders")

    async def stop(self) -> None:
        if self._task is not None:
            await stop_tasks([self._task])

    def run_once(self) -> dict[str, Any]:
        planned = self.c.bus.handle(PlanReminders(), SYSTEM, relay=False)
        return {**planned, **self.c.bus.handle(SendReminders(), SYSTEM, relay=False)}

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await asyncio.to_thread(self.run_once)
            except SQLAlchemyError:  # a busy or lost database: the next tick tries again
                log.exception("member reminders failed")


def install(c: Core, notifier: Notifier) -> MembersWiring:
    c.bus.register(HANDLERS)
    c.bus.register({SendReminders: partial(send_reminders, notifier=notifier)})
    timer = ReminderTimer(c)
    c.lifecycle.startup.append(timer.start)
    c.lifecycle.shutdown.append(timer.stop)

    def run(cmd: Command) -> None:
        try:
            c.bus.handle(cmd, SYSTEM, relay=False)
        except SQLAlchemyError:  # the next event of the order settles it; the relay goes on
            log.exception("members not settled: %s", cmd)

    def settle(points: Command, env: Envelope) -> None:
        run(points)
        run(SettleInvitation(env.payload["order_id"]))

    c.events.subscribe("OrderPaid", lambda env: settle(EarnPoints(env.payload["order_id"]),
                                                       env))
    for name in ("OrderRefunded", "AfterSaleRefunded"):
        c.events.subscribe(name, lambda env: settle(ReversePoints(env.payload["order_id"]),
                                                    env))
    return MembersWiring(EarlyAccess(c.engine, c.clock))
