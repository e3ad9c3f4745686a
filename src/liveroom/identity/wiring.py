"""Rate limiting: the limits from the settings and the limiter that counts them (Redis
when LIVEROOM_REDIS_URL is set, so that every process shares one count; else in-process)."""

from __future__ import annotations

import redis
import redis.asyncio as aioredis

from liveroom.adapters.memory.ratelimit_memory import MemoryRateLimiter
from liveroom.adapters.redis.ratelimit_redis import RedisRateLimiter
from liveroom.config import Settings
from liveroom.core.ratelimit import Limit, Limits, RateLimiter
from liveroom.runtime import Core


def limits_from(s: Settings) -> Limits:
    return Limits(
        sign_in_failures=Limit("sign_in", s.sign_in_max_failures, s.sign_in_lockout_seconds),
        purchases=Limit("purchases", s.buyer_purchases_per_minute, 60),
        orders=Limit("orders", s.buyer_orders_per_minute, 60),
        comments=Limit("comments", s.connector_comments_per_minute, 60))


def build_limiter(s: Settings, redis_sync: redis.Redis | None) -> RateLimiter:
    if not s.redis_url:
        return MemoryRateLimiter()
    return RedisRateLimiter(redis_sync, aioredis.Redis.from_url(s.redis_url))


def install(c: Core) -> tuple[RateLimiter, Limits]:
    limiter = build_limiter(c.settings, c.redis)
    if isinstance(limiter, RedisRateLimiter):
        c.lifecycle.shutdown.append(limiter.aclose)
    return limiter, limits_from(c.settings)
