"""The composition root: builds the engine, unit of work, buses and adapters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import redis
from sqlalchemy import Engine

from liveroom.adapters.eventbus import (
    EventPublisher,
    InProcessEventBus,
    OutboxRelay,
    RedisStreamEventBus,
    RelayTimer,
)
from liveroom.adapters.sql.db import make_engine, migrate
from liveroom.adapters.sql.uow import SqlUnitOfWork
from liveroom.catalog.handlers import HANDLERS as CATALOG
from liveroom.catalog.wiring import install as install_catalog
from liveroom.config import Settings, get_settings
from liveroom.console.handlers import HANDLERS as CONSOLE
from liveroom.core.bus import MessageBus
from liveroom.core.clock import Clock, SystemClock
from liveroom.crm.wiring import install as install_members
from liveroom.entrypoints.workers.aftersales import wire_aftersales
from liveroom.entrypoints.workers.alerts import wire_alerts
from liveroom.entrypoints.workers.comments import wire_comments
from liveroom.entrypoints.workers.live import wire_live
from liveroom.entrypoints.workers.orders import wire_orders
from liveroom.identity.handlers import HANDLERS as IDENTITY
from liveroom.identity.wiring import install as install_limits
from liveroom.planning.handlers import HANDLERS as PLANNING
from liveroom.tracking.wiring import install as install_tracking


@dataclass
class Container:
    settings: Settings
    clock: Clock
    engine: Engine
    events: EventPublisher
    relay: OutboxRelay
    bus: MessageBus
    extras: dict[str, Any] = field(default_factory=dict)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.clock)

    def read(self) -> Any:
        """A read-only connection for views (never takes SQLite's write lock)."""
        return self.engine.connect().execution_options(read_only=True)

    def close(self) -> None:
        self.engine.dispose()
        redis = self.extras.get("redis_sync")
        if redis is not None:
            redis.close()


def bootstrap(settings: Settings | None = None, clock: Clock | None = None,
              run_migrations: bool = True) -> Container:
    settings = settings or get_settings()
    clock = clock or SystemClock()
    engine = make_engine(settings.effective_database_url)
    if run_migrations:
        migrate(engine)
    extras: dict[str, Any] = {}
    events: EventPublisher
    if settings.redis_url:
        client = redis.Redis.from_url(settings.redis_url)
        extras["redis_sync"] = client
        events = RedisStreamEventBus(client, prefix=settings.event_stream)
    else:
        events = InProcessEventBus()
    relay = OutboxRelay(engine, events, clock)
    bus = MessageBus(lambda: SqlUnitOfWork(engine, clock), relay, clock, settings)
    for handlers in (CATALOG, PLANNING, CONSOLE, IDENTITY):
        bus.register(handlers)  # type: ignore[arg-type]
    timer = RelayTimer(relay)
    extras["startup"] = [timer.start]
    extras["shutdown"] = [timer.stop]
    container = Container(settings, clock, engine, events, relay, bus, extras)
    install_limits(container)  # rate limits: sign-in, purchases, orders, comments
    install_catalog(container)  # observed product history after shows and refunds
    install_tracking(container)
    wire_orders(container)  # stock ledger, payments, sweeper: entrypoints/workers/orders.py
    wire_comments(container)  # comment pipeline and rooms: entrypoints/workers/comments.py
    wire_aftersales(container)  # after-sales handlers and the SLA breach job
    wire_live(container)  # change notices for open consoles and big screens
    wire_alerts(container)  # stored metric alerts, acknowledgements, replies to comments
    install_members(container)  # points on paid and refunded orders, member prices
    return container
