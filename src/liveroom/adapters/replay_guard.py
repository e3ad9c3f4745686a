"""The webhook replay guard, shared by every server process: a signature is taken once.

Redis (when configured): SET NX with an expiry of twice the tolerance, the longest a signed
timestamp can stay acceptable. Embedded: insert-or-ignore on the signature's primary key in
the database, with rows older than that window pruned on the way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import redis
from sqlalchemy import Engine, delete

from liveroom.adapters.sql.db import insert_ignoring_duplicates
from liveroom.adapters.sql.schema_comments import webhook_signatures


class RedisReplayGuard:
    def __init__(self, client: Any, prefix: str = "lr:webhook:") -> None:
        self._redis = client
        self._prefix = prefix

    def first_time(self, signature: str, now: float, tolerance: float) -> bool:
        return bool(self._redis.set(self._prefix + signature, int(now), nx=True,
                                    ex=int(2 * tolerance) + 1))

    def forget(self, signature: str) -> None:
        self._redis.delete(self._prefix + signature.strip())


class SqlReplayGuard:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def first_time(self, signature: str, now: float, tolerance: float) -> bool:
        at = datetime.fromtimestamp(now, UTC)
        t = webhook_signatures
        with self._engine.begin() as conn:
            conn.execute(delete(t).where(t.c.seen_at < at - timedelta(seconds=2 * tolerance)))
            taken = conn.execute(insert_ignoring_duplicates(conn, t)
                                 .values(signature=signature, seen_at=at)
                                 .returning(t.c.signature)).first()
            return taken is not None

    def forget(self, signature: str) -> None:
        t = webhook_signatures
        with self._engine.begin() as conn:
            conn.execute(delete(t).where(t.c.signature == signature.strip()))


def build_replay_guard(engine: Engine,
                       redis_sync: redis.Redis | None) -> RedisReplayGuard | SqlReplayGuard:
    return SqlReplayGuard(engine) if redis_sync is None else RedisReplayGuard(redis_sync)
