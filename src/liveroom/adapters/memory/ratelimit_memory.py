"""The embedded rate limiter: counters in this process, for the single-process default
(`liveroom serve --workers 1` without Redis). Several processes need the Redis adapter."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from liveroom.core.ratelimit import Limit

PRUNE_ABOVE = 100_000  # counters; expired ones are dropped when there are more


class MemoryRateLimiter:
    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._lock = threading.Lock()  # sync routes run in worker threads
        self._windows: dict[str, tuple[int, float]] = {}  # key -> (units, window ends at)

    def hit(self, key: str, limit: Limit, cost: int = 1) -> float:
        now = self._now()
        with self._lock:
            used, ends = self._windows.get(key, (0, 0.0))
            if ends <= now:
                used, ends = 0, now + limit.window_s
                if len(self._windows) >= PRUNE_ABOVE:
                    self._prune(now)
            used += cost
            self._windows[key] = (used, ends)
        return 0.0 if used <= limit.limit else ends - now

    async def ahit(self, key: str, limit: Limit, cost: int = 1) -> float:
        return self.hit(key, limit, cost)

    def blocked(self, key: str, limit: Limit) -> float:
        now = self._now()
        with self._lock:
            used, ends = self._windows.get(key, (0, 0.0))
        return ends - now if ends > now and used >= limit.limit else 0.0

    def clear(self, key: str) -> None:
        with self._lock:
            self._windows.pop(key, None)

    def _prune(self, now: float) -> None:
        for key in [k for k, (_, ends) in self._windows.items() if ends <= now]:
            del self._windows[key]
