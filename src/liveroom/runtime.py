"""What every domain's wiring needs from the composition root (bootstrap.py): settings,
clock, engine, unit of work, the buses, the optional Redis client and the start/stop hooks.
A domain's `wiring.py` takes a `Core` and returns its typed ports."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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
from liveroom.config import Settings
from liveroom.console.handlers import HANDLERS as CONSOLE
from liveroom.core.bus import MessageBus
from liveroom.core.clock import Clock
from liveroom.identity.handlers import HANDLERS as IDENTITY
from liveroom.planning.handlers import HANDLERS as PLANNING

Hook = Callable[[], Awaitable[Any]]


@dataclass
class Lifecycle:
    """What the server runs once it starts and once it stops, in order."""

    startup: list[Hook] = field(default_factory=list)
    shutdown: list[Hook] = field(default_factory=list)


@dataclass
class Core:
    settings: Settings
    clock: Clock
    engine: Engine
    events: EventPublisher
    relay: OutboxRelay
    bus: MessageBus
    redis: redis.Redis | None
    lifecycle: Lifecycle

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.clock)

    def read(self) -> Any:
        """A read-only connection for views (never takes SQLite's write lock)."""
        return self.engine.connect().execution_options(read_only=True)


def build_core(settings: Settings, clock: Clock, run_migrations: bool) -> Core:
    engine = make_engine(settings.effective_database_url)
    if run_migrations:
        migrate(engine)
    client: redis.Redis | None = None
    events: EventPublisher
    if settings.redis_url:
        client = redis.Redis.from_url(settings.redis_url)
        events = RedisStreamEventBus(client, prefix=settings.event_stream)
    else:
        events = InProcessEventBus()
    relay = OutboxRelay(engine, events, clock)
    bus = MessageBus(lambda: SqlUnitOfWork(engine, clock), relay, clock, settings)
    for handlers in (CATALOG, PLANNING, CONSOLE, IDENTITY):
        bus.register(handlers)  # type: ignore[arg-type]
    timer = RelayTimer(relay)
    lifecycle = Lifecycle([timer.start], [timer.stop])
    return Core(settings, clock, engine, events, relay, bus, client, lifecycle)
