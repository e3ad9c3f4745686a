"""Event buses: in-process (default) and Redis Streams. The outbox relay feeds them."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import SQLAlchemyError

from liveroom.adapters.sql.schema import outbox
from liveroom.core.clock import Clock, as_aware
from liveroom.core.tasks import stop_tasks

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Envelope:
    id: int  # outbox id: consumers deduplicate on it (delivery is at-least-once)
    stream: str
    name: str
    payload: dict[str, Any]
    created_at: datetime


Subscriber = Callable[[Envelope], None]


class EventPublisher(Protocol):
    def publish(self, envelopes: list[Envelope]) -> None: ...

    def subscribe(self, name: str, fn: Subscriber) -> None: ...


class InProcessEventBus:
    """Calls subscribers in the publishing thread; keeps the newest events for inspection."""

    def __init__(self, keep: int = 10_000) -> None:
        self._subs: dict[str, list[Subscriber]] = defaultdict(list)
        self.recent: deque[Envelope] = deque(maxlen=keep)

    def subscribe(self, name: str, fn: Subscriber) -> None:
        self._subs[name].append(fn)

    def publish(self, envelopes: list[Envelope]) -> None:
        for env in envelopes:
            self.recent.append(env)
            for fn in [*self._subs.get(env.name, ()), *self._subs.get("*", ())]:
                try:
                    fn(env)
                except Exception:  # one failing subscriber must not starve the others
                    log.exception("subscriber %r failed on %s #%s", fn, env.name, env.id)


class RedisStreamEventBus:
    """XADD every event to its stream; workers read them with consumer groups."""

    def __init__(self, client: Any, prefix: str = "liveroom:events",
                 maxlen: int = 1_000_000) -> None:
        self._redis = client
        self.prefix = prefix
        self._maxlen = maxlen
        self._local = InProcessEventBus(keep=1000)

    def key(self, stream: str) -> str:
        return f"{self.prefix}:{stream}"

    def subscribe(self, name: str, fn: Subscriber) -> None:
        self._local.subscribe(name, fn)

    def publish(self, envelopes: list[Envelope]) -> None:
        pipe = self._redis.pipeline(transaction=False)
        for env in envelopes:
            pipe.xadd(self.key(env.stream), {"id": env.id, "name": env.name,
                                   "payload": json.dumps(env.payload, ensure_ascii=False),
                                   "at": env.created_at.isoformat()},
                      maxlen=self._maxlen, approximate=True)
        pipe.execute()
        self._local.publish(envelopes)


class OutboxRelay:
    """Moves committed outbox rows to the bus. Runs after each command and on a timer."""

    def __init__(self, engine: Engine, bus: EventPublisher, clock: Clock,
                 batch: int = 500) -> None:
        self.engine = engine
        self.bus = bus
        self.clock = clock
        self.batch = batch
        self._lock = threading.Lock()
        self._pg = engine.dialect.name == "postgresql"

    def drain(self) -> int:
        total = 0
        with self._lock:
            while True:
                n = self._drain_once()
                total += n
                if n < self.batch:
                    return total

    def _drain_once(self) -> int:
        query = (select(outbox).where(outbox.c.published_at.is_(None))
                 .order_by(outbox.c.id).limit(self.batch))
        if self._pg:
            # Several server processes may drain at once: each takes rows no other holds.
            # Row locks on the outbox only, so subscribers can write while we publish.
            with self.engine.begin() as conn:
                rows = conn.execute(query.with_for_update(skip_locked=True)).all()
                ids = self._publish(rows)
                self._mark(conn, ids)
                return len(ids)
        # SQLite has one writer: read without the write lock, publish (subscribers may
        # write), then mark. A crash in between republishes: delivery is at-least-once.
        with self.engine.connect().execution_options(read_only=True) as conn, conn.begin():
            rows = conn.execute(query).all()
        ids = self._publish(rows)
        if ids:
            with self.engine.begin() as conn:
                self._mark(conn, ids)
        return len(ids)

    def _publish(self, rows: Sequence[Any]) -> list[int]:
        envs = [Envelope(r.id, r.stream, r.name, r.payload, as_aware(r.created_at))
                for r in rows]
        if envs:
            self.bus.publish(envs)
        return [e.id for e in envs]

    def _mark(self, conn: Any, ids: list[int]) -> None:
        if ids:
            conn.execute(update(outbox).where(outbox.c.id.in_(ids))
                         .values(published_at=self.clock.now()))


class RelayTimer:
    """Drains the outbox every `interval` seconds in a worker thread, for events written
    outside the bus (workers, subscribers) and rows a crash left unpublished."""

    def __init__(self, relay: OutboxRelay, interval: float = 0.5) -> None:
        self.relay = relay
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            await stop_tasks([self._task])
        await asyncio.to_thread(self.relay.drain)  # leave nothing behind

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.to_thread(self.relay.drain)
            except SQLAlchemyError:  # a busy or lost database: log and try on the next tick
                log.exception("outbox drain failed")
            await asyncio.sleep(self.interval)
