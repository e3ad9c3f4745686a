"""Is the Redis that holds the stock ledger durable? Checked once when a server starts.

With the Redis ledger an order is answered 201 as soon as Redis holds it; the database gets
it a moment later from the order stream. A Redis that restarts without its append-only file
comes back empty: every answered order not yet written is lost, and its units are sold again
to someone else. So the ledger refuses a Redis without AOF (appendonly yes, with appendfsync
always or everysec) unless the operator accepts the loss with LIVEROOM_ALLOW_VOLATILE_REDIS=1.
See docs/reliability.md."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import redis
import redis.asyncio as aioredis

from liveroom.core.errors import DomainError

log = logging.getLogger(__name__)
DURABLE_FSYNC = ("always", "everysec")
UNKNOWN = "unknown"


class VolatileRedis(DomainError):
    status = 503
    code = "redis_not_durable"


def durability_problem(config: Mapping[str, str]) -> str | None:
    """Why this Redis can lose answered orders on a restart (None: it cannot)."""
    appendonly = config.get("appendonly", UNKNOWN)
    fsync = config.get("appendfsync", UNKNOWN)
    if appendonly != "yes":
        return (f"Redis runs without its append-only file (appendonly {appendonly}): if it "
                "restarts, orders already answered 201 but not yet written to the database "
                "are lost and their units are sold again")
    if fsync not in (*DURABLE_FSYNC, UNKNOWN):
        return (f"Redis writes its append-only file without fsync (appendfsync {fsync}): a "
                "machine crash can lose many seconds of answered orders")
    return None


def refuse_volatile(config: Mapping[str, str], allow_volatile: bool) -> None:
    problem = durability_problem(config)
    if problem is None:
        return
    if allow_volatile:
        log.warning("%s; running anyway because LIVEROOM_ALLOW_VOLATILE_REDIS=1", problem)
        return
    raise VolatileRedis(
        f"{problem}. Turn persistence on (redis.conf: appendonly yes, appendfsync everysec; "
        "at run time: CONFIG SET appendonly yes), or set LIVEROOM_ALLOW_VOLATILE_REDIS=1 to "
        "accept that loss (docs/reliability.md)")


def _from_info(info: Mapping[str, Any]) -> dict[str, str]:
    return {"appendonly": "yes" if int(info.get("aof_enabled", 0)) else "no",
            "appendfsync": UNKNOWN}


def persistence(client: redis.Redis) -> dict[str, str]:
    """appendonly/appendfsync; from INFO where CONFIG is disabled (managed Redis)."""
    try:
        return _decode(client.config_get("append*"))
    except redis.ResponseError:
        return _from_info(client.info("persistence"))


async def persistence_async(client: aioredis.Redis) -> dict[str, str]:
    try:
        return _decode(await client.config_get("append*"))
    except redis.ResponseError:
        return _from_info(await client.info("persistence"))


def _decode(raw: Mapping[Any, Any]) -> dict[str, str]:
    def s(v: Any) -> str:
        return v.decode() if isinstance(v, bytes) else str(v)
    return {s(k): s(v) for k, v in raw.items()}
