"""Redis pub/sub broadcaster: change notices reach the open pages of every server process.

One pub/sub connection per process, subscribed to every show's channel by pattern; what it
receives is fanned out locally by the in-process broadcaster, so a thousand open pages cost
one Redis connection, not a thousand. Publishing is thread-safe and never blocks: notices
are merged per show and sent by one task on the server's loop. A notice is a hint, not the
truth (console/ports.py): when the subscription is lost and comes back, every local page
is told to resync, which redraws whatever it may have missed. Redis pub/sub channels span
all databases of one server, so the channel prefix (not the database number) separates
deployments sharing a Redis."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from liveroom.adapters.memory.broadcast_memory import InProcessBroadcaster, MemorySubscription
from liveroom.console.ports import PARTS, Change
from liveroom.core.tasks import stop_tasks

log = logging.getLogger(__name__)
RETRY_SECONDS = 1.0
START_WAIT_SECONDS = 5.0


def encode(change: Change) -> str:
    return json.dumps({"parts": sorted(change.parts), "resync": change.resync,
                       "urgent": change.urgent})


def decode(data: bytes | str) -> Change:
    """A malformed notice becomes a resync: the page redraws everything, nothing is lost."""
    try:
        raw = json.loads(data)
        parts = frozenset(p for p in raw["parts"] if p in PARTS)
        return Change(parts, bool(raw["resync"]), bool(raw.get("urgent", False)))
    except (ValueError, KeyError, TypeError):
        log.warning("malformed change notice %r: resyncing", data)
        return Change(resync=True)


def merge(a: Change | None, b: Change) -> Change:
    return b if a is None else a.merge(b)


class RedisBroadcaster:
    def __init__(self, url: str, prefix: str = "liveroom:live", queue_size: int = 64) -> None:
        self._url = url
        self.prefix = prefix
        self._local = InProcessBroadcaster(queue_size)
        self._lock = threading.Lock()
        self._pending: dict[str, Change] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._subscribed: asyncio.Event | None = None
        self._client: Any = None
        self._tasks: list[asyncio.Task[None]] = []

    def channel(self, session_id: str) -> str:
        return f"{self.prefix}:{session_id}"

    # --- the port -------------------------------------------------------------------
    def subscribe(self, session_id: str) -> MemorySubscription:
        return self._local.subscribe(session_id)

    def subscribers(self, session_id: str) -> int:
        """This process's open pages for the show."""
        return self._local.subscribers(session_id)

    def publish(self, session_id: str, event: Change) -> None:
        first = False
        with self._lock:
            loop, wake = self._loop, self._wake
            if loop is None or wake is None or loop.is_closed():
                loop = None
            else:
                first = session_id not in self._pending
                self._pending[session_id] = merge(self._pending.get(session_id), event)
        if loop is None:  # not started (a script, a test without a server): this process only
            self._local.publish(session_id, event)
        elif first and wake is not None:
            loop.call_soon_threadsafe(wake.set)

    # --- lifecycle ------------------------------------------------------------------
    async def start(self) -> None:
        """Subscribes before returning (up to START_WAIT_SECONDS), so that a server that
        answers requests already hears the other processes' notices."""
        self._client = aioredis.Redis.from_url(self._url, health_check_interval=10,
                                               socket_connect_timeout=2,
                                               client_name=self.prefix.replace(" ", "_"))
        self._wake, self._subscribed = asyncio.Event(), asyncio.Event()
        with self._lock:
            self._loop = asyncio.get_running_loop()
        self._tasks = [asyncio.create_task(self._listen(), name="live-notices-in"),
                       asyncio.create_task(self._send(), name="live-notices-out")]
        try:
            await asyncio.wait_for(self._subscribed.wait(), START_WAIT_SECONDS)
        except TimeoutError:
            log.warning("live notices: no Redis subscription yet at %s; retrying", self.prefix)

    async def close(self) -> None:
        with self._lock:
            self._loop = None
        await stop_tasks(self._tasks)
        self._tasks = []
        if self._client is not None:
            with contextlib.suppress(RedisError, OSError):
                await self._flush()  # what was published before the stop still goes out
            await self._client.aclose()
            self._client = None
        await self._local.close()

    # --- the two tasks --------------------------------------------------------------
    async def _send(self) -> None:
        assert self._wake is not None
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self._flush()
            except (RedisError, OSError):
                log.warning("live notices could not be published; other processes' pages "
                            "catch up on their next resync", exc_info=True)

    async def _flush(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, {}
        if not batch:
            return
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for sid, change in batch.items():
                    pipe.publish(self.channel(sid), encode(change))
                await pipe.execute()
        except (RedisError, OSError):
            for sid in batch:  # this process's pages at least redraw
                self._local.publish(sid, Change(resync=True))
            raise

    async def _listen(self) -> None:
        assert self._subscribed is not None
        lost = False
        while True:
            pubsub = self._client.pubsub()
            try:
                await pubsub.psubscribe(f"{self.prefix}:*")
                self._subscribed.set()
                if lost:  # notices may have gone by while we were away
                    self._local.resync_all()
                lost = False
                while True:
                    msg = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                    if msg is not None and msg["type"] == "pmessage":
                        self._deliver(msg["channel"], msg["data"])
            except (RedisError, OSError):
                log.warning("live notices: Redis subscription lost; retrying", exc_info=True)
                lost = True
                await asyncio.sleep(RETRY_SECONDS)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()

    def _deliver(self, channel: bytes | str, data: bytes | str) -> None:
        name = channel.decode() if isinstance(channel, bytes) else channel
        self._local.publish(name[len(self.prefix) + 1:], decode(data))
