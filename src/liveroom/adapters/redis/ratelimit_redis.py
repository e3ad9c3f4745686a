"""The shared rate limiter: one Redis counter per key and window, so that every server
process (and every host) counts against the same limit. INCRBY and the window's expiry
happen in one script: a crash between the two cannot leave a counter that never expires."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from redis.exceptions import RedisError

from liveroom.core.errors import Unavailable
from liveroom.core.ratelimit import Limit

T = TypeVar("T")

# KEYS: the counter. ARGV: cost, window in ms. Returns {units, ms until the window ends}.
HIT = """
local used = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {used, ttl}
"""


class RedisRateLimiter:
    def __init__(self, sync_client: Any, async_client: Any, prefix: str = "lr:rl:") -> None:
        self._sync = sync_client
        self._async = async_client
        self._prefix = prefix
        self._hit = sync_client.register_script(HIT)
        self._ahit = async_client.register_script(HIT)

    def hit(self, key: str, limit: Limit, cost: int = 1) -> float:
        used, ttl_ms = _answer(lambda: self._hit(keys=[self._prefix + key],
                                                 args=[cost, int(limit.window_s * 1000)]))
        return _wait(int(used), int(ttl_ms), limit)

    async def ahit(self, key: str, limit: Limit, cost: int = 1) -> float:
        used, ttl_ms = await _aanswer(lambda: self._ahit(
            keys=[self._prefix + key], args=[cost, int(limit.window_s * 1000)]))
        return _wait(int(used), int(ttl_ms), limit)

    def blocked(self, key: str, limit: Limit) -> float:
        pipe = self._sync.pipeline(transaction=False)
        pipe.get(self._prefix + key)
        pipe.pttl(self._prefix + key)
        used, ttl_ms = _answer(pipe.execute)
        if used is None or int(used) < limit.limit or ttl_ms <= 0:
            return 0.0
        return ttl_ms / 1000

    def clear(self, key: str) -> None:
        _answer(lambda: self._sync.delete(self._prefix + key))

    async def aclose(self) -> None:
        await self._async.aclose()


def _wait(used: int, ttl_ms: int, limit: Limit) -> float:
    return 0.0 if used <= limit.limit else max(ttl_ms, 1) / 1000


def _answer(call: Callable[[], T]) -> T:
    """Redis down: the request is answered 503 try_again (as the stock ledger does), not 500."""
    try:
        return call()
    except RedisError as exc:
        raise Unavailable("the rate limiter's Redis did not answer; try again") from exc


async def _aanswer(call: Callable[[], Awaitable[T]]) -> T:
    try:
        return await call()
    except RedisError as exc:
        raise Unavailable("the rate limiter's Redis did not answer; try again") from exc
