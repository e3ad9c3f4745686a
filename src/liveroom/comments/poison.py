"""Poison entries in a session's comment log, and how the owner keeps the session going.

A poison entry is one the owner cannot apply however often it tries: a malformed entry, a
batch that trips a bug in the room code, a row the database refuses. Left alone it would
stop the session for good: the owner steps down, the next one claims the entry, fails the
same way, and every later comment waits behind it.

So the owner tells two kinds of failure apart. A lost store or a lost lease (the database
or Redis unreachable, the fence refused) is the process's trouble, not the entry's: the
entries stay pending and the owner steps down, as before. Anything else may be the entry:
the owner applies the entries of the failed run one by one, each up to `poison_retries`
times with a short pause; the ones that go through are applied as usual, and one that
still fails is set aside — a dead letter (GET /api/v1/dead-letters, and an error in the
log) and its applied-entry record, in one fenced transaction — and its waiting request is
answered 422 `comments_entry_dead_lettered`. The session goes on with the next entry."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from redis.exceptions import RedisError
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from liveroom.adapters.redis.comment_log_redis import LogEntry
from liveroom.comments.log_codec import LeaseLost
from liveroom.core.errors import DomainError

log = logging.getLogger(__name__)
Answer = tuple[str, Any]  # (the waiting request, its answer)
Apply = Callable[[list[LogEntry]], Awaitable[list[Answer]]]
SetAside = Callable[[LogEntry, BaseException, int], Awaitable[Answer]]
UNREACHABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout, RedisError,
               OSError, LeaseLost)


class DeadLettered(DomainError):
    status = 422
    code = "comments_entry_dead_lettered"


class OwnerStoreFailed(Exception):  # noqa: N818 — a state the owner steps down on
    """The database did not take an owner's flush; its entries stay pending unless the
    cause (`__cause__`) was the entry itself."""


def unreachable(exc: BaseException) -> bool:
    """The store or the lease failed (entries stay pending, the owner steps down), as
    opposed to a failure that may be the entry's own."""
    cause = exc.__cause__ if isinstance(exc, OwnerStoreFailed) else exc
    return isinstance(cause, UNREACHABLE)


async def apply_isolating(entries: list[LogEntry], apply: Apply, set_aside: SetAside,
                          retries: int, pause_s: float) -> list[Answer]:
    """Apply a run of entries; if the run fails for a reason that may be one entry's, apply
    them one at a time and set aside the ones that keep failing."""
    try:
        return await apply(entries)
    except Exception as exc:
        if unreachable(exc):
            raise
        if len(entries) == 1:  # that was its first try
            return [await _alone(entries[0], apply, set_aside, retries, pause_s, exc)]
        log.warning("comment log: %d entries failed together (%s); trying them one by one",
                    len(entries), exc.__class__.__name__)
    return [await _alone(entry, apply, set_aside, retries, pause_s) for entry in entries]


async def _alone(entry: LogEntry, apply: Apply, set_aside: SetAside, retries: int,
                 pause_s: float, failure: BaseException | None = None) -> Answer:
    tries = 0 if failure is None else 1
    while True:
        if failure is not None:
            log.warning("comment log entry %s failed on its own (try %d of %d)", entry.id,
                        tries, retries, exc_info=failure)
            if tries >= max(1, retries):
                return await set_aside(entry, failure, tries)
            await asyncio.sleep(pause_s * tries)
        try:
            [answer] = await apply([entry])
            return answer
        except Exception as exc:
            if unreachable(exc):
                raise
            failure, tries = exc, tries + 1
