"""Wiring of the buying side into the container, and its background work in the server's
event loop: the expiry sweeper (stock back to the sale/SKU), unpaid reminders, notification
delivery and the outbox pump for events written by the hot path."""

from __future__ import annotations

import asyncio
import gc
import logging
from dataclasses import dataclass
from typing import Any

from pydantic_settings import BaseSettings, SettingsConfigDict
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from liveroom.adapters.memory.stock_memory import MemoryStockLedger
from liveroom.adapters.notifications import ChannelRouter
from liveroom.adapters.payments import PaymentProvider, SandboxPaymentProvider
from liveroom.adapters.redis.redis_durability import persistence_async, refuse_volatile
from liveroom.adapters.redis.stock_redis import RedisKeys, RedisStockLedger, make_pool
from liveroom.adapters.redis.stock_redis_persist import StreamPersister
from liveroom.adapters.sql.stock_sql import SqlStockLedger
from liveroom.core.tasks import stop_tasks
from liveroom.inventory.ledger import StockLedger
from liveroom.orders import closing, disclosure, notify, rehearsal
from liveroom.orders.handlers import HANDLERS
from liveroom.orders.model import ReminderPolicy
from liveroom.runtime import Core

log = logging.getLogger(__name__)


class OrderSettings(BaseSettings):
    """Knobs of the buying side (LIVEROOM_*), next to config.Settings."""

    model_config = SettingsConfigDict(env_prefix="LIVEROOM_", extra="ignore")
    unpaid_incentive_fen: int = 500
    unpaid_incentive_window_minutes: int = 30
    sweep_interval_s: float = 1.0
    relay_interval_s: float = 0.2
    group_commit_ms: float = 1.0
    redis_pool_size: int = 64
    redis_prefix: str = "lr"
    # Accept a Redis without AOF for the Redis ledger (answered orders can be lost).
    allow_volatile_redis: bool = False


def build_ledger(c: Core, knobs: OrderSettings) -> StockLedger:
    s = c.settings
    backend = s.effective_stock_backend
    if backend == "memory":
        return MemoryStockLedger(c.engine, c.clock, s.reservation_minutes,
                                 window_s=knobs.group_commit_ms / 1000)
    if backend == "sql":
        return SqlStockLedger(c.engine, c.clock, s.reservation_minutes)
    if backend == "redis":
        if not s.redis_url:
            raise ValueError("LIVEROOM_STOCK_BACKEND=redis needs LIVEROOM_REDIS_URL")
        from redis.asyncio import Redis  # noqa: PLC0415 — only this back-end needs it

        client = Redis(connection_pool=make_pool(s.redis_url, knobs.redis_pool_size))
        keys = RedisKeys(knobs.redis_prefix)
        ledger = RedisStockLedger(client, c.engine, c.clock, s.reservation_minutes, keys,
                                  sync_client=c.redis)
        ledger.persister = StreamPersister(client, c.engine, keys)
        return ledger
    raise ValueError(f"unknown stock back-end {backend!r}: memory, redis or sql")


class BackgroundWork:
    def __init__(self, c: Core, ledger: StockLedger, policy: ReminderPolicy,
                 notifier: ChannelRouter, knobs: OrderSettings) -> None:
        self.c = c
        self.ledger = ledger
        self.policy = policy
        self.notifier = notifier
        self.knobs = knobs
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._every(self.knobs.sweep_interval_s, self.sweep_once))]
        writer = getattr(self.ledger, "persister", None) or self.ledger
        if hasattr(writer, "pump"):
            writer.pump = self.c.relay.drain  # drained by the ledger's own writer
        else:
            self._tasks.append(
                asyncio.create_task(self._every(self.knobs.relay_interval_s, self._pump)))

    async def stop(self) -> None:
        await stop_tasks(self._tasks)
        self._tasks = []

    async def sweep_once(self) -> int:
        """Expire lapsed reservations (stock back), queue reminders, send what is due."""
        if not await asyncio.to_thread(self._anything_due):
            return 0  # checked read-only: no write lock taken for nothing
        held = await asyncio.to_thread(self._in_uow, closing.expire_due)
        if held:
            await self.ledger.release(held)
        await asyncio.to_thread(self._in_uow, closing.queue_reminders, self.policy)
        await asyncio.to_thread(self._in_uow, notify.send_due, self.notifier,
                                self.notifier.routing, self.notifier.policy)
        return len(held)

    def _anything_due(self) -> bool:
        with self.c.read() as conn, conn.begin():
            return closing.anything_due(conn, self.c.clock.now(), self.policy)

    def _in_uow(self, fn: Any, *args: Any) -> Any:
        with self.c.uow() as uow:
            return fn(uow, self.c.clock.now(), *args)

    async def _pump(self) -> int:
        return await asyncio.to_thread(self.c.relay.drain)

    async def _every(self, seconds: float, job: Any) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await job()
            except (SQLAlchemyError, RedisError, OSError):
                log.exception("background job %s failed; will retry", job.__name__)


_gc_tuned = False


async def tune_gc() -> None:
    """Once the app is built: freeze what exists (routes, settings, caches: never garbage)
    and collect the young generation less often. A flash sale allocates a burst of
    short-lived request objects; default thresholds turn that into full-heap scans that
    stall the event loop for tens of milliseconds, which is what p99 is made of."""
    global _gc_tuned
    if _gc_tuned:  # once per process: later apps (tests build many) leave their garbage
        return
    _gc_tuned = True
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


@dataclass(frozen=True)
class OrdersWiring:
    stock: StockLedger
    payments: PaymentProvider
    work: BackgroundWork


def wire_orders(c: Core, notifier: ChannelRouter) -> OrdersWiring:
    knobs = OrderSettings()
    ledger = build_ledger(c, knobs)
    policy = ReminderPolicy(after_minutes=c.settings.unpaid_reminder_minutes,
                            incentive_fen=knobs.unpaid_incentive_fen,
                            incentive_window_minutes=knobs.unpaid_incentive_window_minutes)
    work = BackgroundWork(c, ledger, policy, notifier, knobs)
    c.events.subscribe("FlashSaleStatusChanged", lambda env: ledger.status_changed(
        env.payload["flash_sale_id"], env.payload["status"]))
    c.bus.register(HANDLERS)  # type: ignore[arg-type]
    c.bus.register(disclosure.HANDLERS)  # type: ignore[arg-type]
    c.bus.register(rehearsal.HANDLERS)  # type: ignore[arg-type]
    startup = c.lifecycle.startup
    if isinstance(ledger, RedisStockLedger):
        redis_client = ledger.redis

        async def require_durable_redis() -> None:
            refuse_volatile(await persistence_async(redis_client), knobs.allow_volatile_redis)
        startup.append(require_durable_redis)
    startup.extend([ledger.start, work.start, tune_gc])
    c.lifecycle.shutdown.extend([work.stop, ledger.stop])
    return OrdersWiring(ledger, SandboxPaymentProvider(c.settings.payment_secret), work)
