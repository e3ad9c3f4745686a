"""Wiring of after-sales into the container: its handlers (given the payment provider) and
the SLA breach job, which runs in the server's event loop and claims rows, so that any
number of servers may run it at once."""

from __future__ import annotations

import asyncio
import logging

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.exc import SQLAlchemyError

from liveroom.adapters.payments import PaymentProvider
from liveroom.aftersales.commands import SweepSlaBreaches
from liveroom.aftersales.handlers import handlers
from liveroom.core.tasks import stop_tasks
from liveroom.identity.model import SYSTEM
from liveroom.runtime import Core

log = logging.getLogger(__name__)


class AfterSalesSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LIVEROOM_", extra="ignore")
    sla_sweep_interval_s: float = 30.0


class SlaWatch:
    """Every few seconds: record the deadlines missed since the last run as alerts."""

    def __init__(self, c: Core, interval_s: float) -> None:
        self.c = c
        self.interval_s = interval_s
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            await stop_tasks([self._task])
            self._task = None

    def run_once(self) -> int:
        out = self.c.bus.handle(SweepSlaBreaches(), SYSTEM)
        return int(out["breaches"])

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            try:
                await asyncio.to_thread(self.run_once)
            except SQLAlchemyError:
                log.exception("SLA breach sweep failed; next try in %.0f s", self.interval_s)


def wire_aftersales(c: Core, payments: PaymentProvider) -> SlaWatch:
    """The refunds go through the orders' payment provider."""
    c.bus.register(handlers(payments))
    watch = SlaWatch(c, AfterSalesSettings().sla_sweep_interval_s)
    c.lifecycle.startup.append(watch.start)
    c.lifecycle.shutdown.append(watch.stop)
    return watch
