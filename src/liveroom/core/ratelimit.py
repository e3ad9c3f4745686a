"""Rate limits where people and bots push (sign-in, purchases, orders, comments): the port,
the named limits and the error. A limit is a fixed window that opens with its first hit:
at most `limit` units per `window_s` seconds per subject. Adapters keep the counters where
every server process sees them (Redis), or in this process for the embedded default."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from liveroom.core.errors import DomainError


@dataclass(frozen=True)
class Limit:
    name: str  # part of the counter key and of the 429 body
    limit: int  # units per window
    window_s: float


@dataclass(frozen=True)
class Limits:
    sign_in_failures: Limit  # per client address: failed sign-ins before the lockout
    purchases: Limit  # flash-sale purchase attempts per buyer
    orders: Limit  # live orders placed per buyer
    comments: Limit  # comments pushed per connector (per token's user, or per webhook)


class RateLimiter(Protocol):
    """`hit` counts `cost` units against `key` and answers 0 when they fit, or the seconds
    until the window reopens when they do not (the units are counted either way: a
    client hammering a closed window keeps it closed, never longer than one window).
    `blocked` answers whether the window is full, without counting; `clear` forgets a key."""

    def hit(self, key: str, limit: Limit, cost: int = 1) -> float: ...

    async def ahit(self, key: str, limit: Limit, cost: int = 1) -> float: ...

    def blocked(self, key: str, limit: Limit) -> float: ...

    def clear(self, key: str) -> None: ...


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"

    def __init__(self, limit: Limit, retry_after: float, *, code: str | None = None,
                 message: str | None = None) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(message or f"too many requests: at most {limit.limit} per "
                         f"{limit.window_s:g} s ({limit.name}); retry in {self.retry_after} s",
                         code=code, limit=limit.name, retry_after=self.retry_after)

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def enforce(limiter: RateLimiter, subject: str, limit: Limit, cost: int = 1) -> None:
    wait = limiter.hit(counter_key(limit, subject), limit, cost)
    if wait:
        raise RateLimited(limit, wait)


async def aenforce(limiter: RateLimiter, subject: str, limit: Limit, cost: int = 1) -> None:
    wait = await limiter.ahit(counter_key(limit, subject), limit, cost)
    if wait:
        raise RateLimited(limit, wait)


def counter_key(limit: Limit, subject: str) -> str:
    return f"{limit.name}:{subject}"
