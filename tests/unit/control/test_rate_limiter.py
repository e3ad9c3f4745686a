"""The rate limiter adapters: a fixed window per key; Redis shares it between processes."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis
from redis.asyncio import Redis as AsyncRedis

from liveroom.adapters.memory.ratelimit_memory import MemoryRateLimiter
from liveroom.adapters.redis.ratelimit_redis import RedisRateLimiter
from liveroom.core.ratelimit import Limit, RateLimited, enforce
from tests.conftest import REDIS_URL, redis_or_skip

THREE_PER_MINUTE = Limit("t", 3, 60)


class Ticks:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_the_fourth_hit_in_a_window_waits_for_the_window_to_end() -> None:
    # given a limit of 3 per minute and a clock
    clock = Ticks()
    limiter = MemoryRateLimiter(now=clock)
    # when a key is hit four times within 10 seconds
    waits = [limiter.hit("k", THREE_PER_MINUTE) for _ in range(3)]
    clock.t += 10
    fourth = limiter.hit("k", THREE_PER_MINUTE)
    # then three pass and the fourth must wait the 50 s left; another key is untouched
    assert waits == [0.0, 0.0, 0.0] and fourth == pytest.approx(50)
    assert limiter.hit("other", THREE_PER_MINUTE) == 0.0
    # and after the window a new one opens
    clock.t += 51
    assert limiter.hit("k", THREE_PER_MINUTE) == 0.0


def test_a_cost_counts_several_units_and_blocked_does_not_count() -> None:
    limiter = MemoryRateLimiter(now=Ticks())
    assert limiter.hit("k", THREE_PER_MINUTE, cost=2) == 0.0
    assert limiter.blocked("k", THREE_PER_MINUTE) == 0.0  # 2 of 3 used
    assert limiter.hit("k", THREE_PER_MINUTE, cost=2) > 0  # 4 > 3
    assert limiter.blocked("k", THREE_PER_MINUTE) > 0
    limiter.clear("k")
    assert limiter.blocked("k", THREE_PER_MINUTE) == 0.0


def test_enforce_raises_a_429_with_retry_after() -> None:
    limiter = MemoryRateLimiter(now=Ticks())
    for _ in range(3):
        enforce(limiter, "buyer-1", THREE_PER_MINUTE)
    with pytest.raises(RateLimited) as refused:
        enforce(limiter, "buyer-1", THREE_PER_MINUTE)
    assert refused.value.status == 429 and refused.value.code == "rate_limited"
    assert refused.value.headers() == {"Retry-After": "60"}


@pytest.fixture
def redis_pair() -> tuple[RedisRateLimiter, RedisRateLimiter]:
    sync = redis_or_skip()
    prefix = f"test:rl:{uuid.uuid4().hex[:8]}:"
    # two limiters with their own connections: two server processes
    return (RedisRateLimiter(sync, AsyncRedis.from_url(REDIS_URL), prefix),
            RedisRateLimiter(redis.Redis.from_url(REDIS_URL), AsyncRedis.from_url(REDIS_URL),
                             prefix))


@pytest.mark.redis
def test_two_processes_share_one_count_in_redis(
        redis_pair: tuple[RedisRateLimiter, RedisRateLimiter]) -> None:
    first, second = redis_pair
    # when two "processes" hit the same key, two and two
    waits = [first.hit("k", THREE_PER_MINUTE), second.hit("k", THREE_PER_MINUTE),
             first.hit("k", THREE_PER_MINUTE), second.hit("k", THREE_PER_MINUTE)]
    # then the fourth hit overall is refused, whichever process took it
    assert waits[:3] == [0.0, 0.0, 0.0] and 59 < waits[3] <= 60
    assert second.blocked("k", THREE_PER_MINUTE) > 0
    first.clear("k")
    assert second.blocked("k", THREE_PER_MINUTE) == 0.0


@pytest.mark.redis
def test_the_async_path_counts_in_the_same_window(
        redis_pair: tuple[RedisRateLimiter, RedisRateLimiter]) -> None:
    first, second = redis_pair

    async def burst() -> list[float]:
        out = [await first.ahit("a", THREE_PER_MINUTE, cost=2)]
        out.append(await second.ahit("a", THREE_PER_MINUTE))
        out.append(await second.ahit("a", THREE_PER_MINUTE))
        await first.aclose()
        await second.aclose()
        return out

    waits = asyncio.run(burst())
    assert waits[:2] == [0.0, 0.0] and waits[2] > 0
    assert first.hit("a", THREE_PER_MINUTE) > 0  # sync and async share the counter
