"""In-process broadcaster: one asyncio queue per open page, fed from any thread."""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from collections.abc import AsyncIterator

from liveroom.console.ports import Change


class MemorySubscription:
    def __init__(self, owner: InProcessBroadcaster, session_id: str, size: int) -> None:
        self._owner = owner
        self.session_id = session_id
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[Change] = asyncio.Queue(maxsize=size)
        self.ended = False

    def offer(self, change: Change) -> None:
        """Runs on the subscriber's loop. A full queue means a slow page: replace the
        backlog by one resync, which redraws everything the backlog would have."""
        try:
            self.queue.put_nowait(change)
        except asyncio.QueueFull:
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(Change(resync=True))

    def end(self) -> None:
        """Runs on the subscriber's loop: the server is stopping, the page will reconnect."""
        self.ended = True
        self.offer(Change())

    async def changes(self, timeout: float) -> AsyncIterator[Change]:
        """Yields each change at once, merged with those already queued behind it (the
        reader paces its redraws: entrypoints/api/live_fanout.py); an empty Change when
        `timeout` passes with none. Stops when the broadcaster closes."""
        while not self.ended:
            try:  # not wait_for: on 3.11 it drops a cancel that lands as a change arrives
                async with asyncio.timeout(timeout):
                    first = await self.queue.get()
            except TimeoutError:
                yield Change()
                continue
            if self.ended:
                return
            merged = first
            while not self.queue.empty():
                merged = merged.merge(self.queue.get_nowait())
            yield merged

    def close(self) -> None:
        self._owner.drop(self)


class InProcessBroadcaster:
    def __init__(self, queue_size: int = 64) -> None:
        self._lock = threading.Lock()
        self._subs: dict[str, set[MemorySubscription]] = defaultdict(set)
        self._size = queue_size

    def subscribe(self, session_id: str) -> MemorySubscription:
        sub = MemorySubscription(self, session_id, self._size)
        with self._lock:
            self._subs[session_id].add(sub)
        return sub

    def drop(self, sub: MemorySubscription) -> None:
        with self._lock:
            subs = self._subs.get(sub.session_id)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subs[sub.session_id]

    def subscribers(self, session_id: str) -> int:
        with self._lock:
            return len(self._subs.get(session_id, ()))

    async def close(self) -> None:
        """Ends every open stream (server shutdown), so no page holds the server open."""
        with self._lock:
            subs = [sub for group in self._subs.values() for sub in group]
        for sub in subs:
            if not sub.loop.is_closed():
                sub.loop.call_soon_threadsafe(sub.end)

    def resync_all(self) -> None:
        """Every open page redraws everything (its notices may have been lost)."""
        with self._lock:
            sessions = list(self._subs)
        for sid in sessions:
            self.publish(sid, Change(resync=True))

    def publish(self, session_id: str, event: Change) -> None:
        with self._lock:
            subs = list(self._subs.get(session_id, ()))
        for sub in subs:
            if sub.loop.is_closed():
                self.drop(sub)
                continue
            sub.loop.call_soon_threadsafe(sub.offer, event)
