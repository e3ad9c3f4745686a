"""The comment log on Redis Streams: one stream per live session, one owner per session.

Any process appends a validated comment batch (or a console action on the room, a
"control" entry) to the session's stream and waits for its answer on a per-request list
(BLPOP), which the owner pushes after its commit. The owner holds a lease (`SET NX PX`,
renewed by a compare-and-extend script) and reads the stream through one consumer group;
after a crash its unacknowledged entries stay pending and the next owner claims them
(XAUTOCLAIM). The lease only decides who works: what makes a stale owner harmless is the
epoch the database checks on every commit (adapters/sql/comment_log_repo.py).

Keys (prefix `lr` by default): `lr:room:{sid}:log` stream, `lr:room:{sid}:owner` lease,
`lr:room:answer:{request}` answers (expire after a minute), `lr:rooms` the sessions seen,
`lr:room:replies` the pub/sub channel of auto-replies for connectors on any process.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from redis.exceptions import ResponseError

GROUP = "owner"
ANSWER_TTL_MS = 60_000
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

COMMENTS = "c"
CONTROL = "x"


@dataclass(frozen=True)
class LogEntry:
    id: str  # the stream entry id, "ms-n"
    kind: str  # COMMENTS | CONTROL
    request: str
    source: str
    body: Any


class RoomKeys:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.rooms = f"{prefix}:rooms"
        self.replies = f"{prefix}:room:replies"

    def log(self, sid: str) -> str:
        return f"{self.prefix}:room:{sid}:log"

    def lease(self, sid: str) -> str:
        return f"{self.prefix}:room:{sid}:owner"

    def answer(self, request: str) -> str:
        return f"{self.prefix}:room:answer:{request}"


def _fields(kind: str, request: str, source: str, body: Any) -> dict[str, str]:
    return {"k": kind, "r": request, "s": source, "d": json.dumps(body, ensure_ascii=False)}


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def decode_entries(raw: Sequence[Any]) -> list[LogEntry]:
    out = []
    for entry_id, fields in raw:
        if fields is None:  # deleted while pending: nothing left to apply
            continue
        f = {_text(k): _text(v) for k, v in fields.items()}
        out.append(LogEntry(_text(entry_id), f["k"], f["r"], f.get("s", ""),
                            json.loads(f["d"])))
    return out


class RedisCommentStreams:
    """The asyncio side: appending and waiting (any process), owning and reading (owner)."""

    def __init__(self, client: Any, prefix: str, lease_ms: int) -> None:
        self.redis = client
        self.keys = RoomKeys(prefix)
        self.lease_ms = lease_ms
        self._renew = client.register_script(_RENEW)
        self._release = client.register_script(_RELEASE)

    # -- any process ----------------------------------------------------------------------
    async def append(self, sid: str, kind: str, source: str, body: Any) -> str:
        request = uuid.uuid4().hex
        pipe = self.redis.pipeline(transaction=False)
        pipe.xadd(self.keys.log(sid), _fields(kind, request, source, body))
        pipe.sadd(self.keys.rooms, sid)
        await pipe.execute()
        return request

    async def wait(self, request: str, timeout_s: float) -> Any | None:
        deadline = time.monotonic() + timeout_s
        while (left := deadline - time.monotonic()) > 0:
            got = await self.redis.blpop([self.keys.answer(request)], timeout=_slice(left))
            if got is not None:
                return json.loads(got[1])
        return None

    async def has_owner(self, sid: str) -> bool:
        return bool(await self.redis.exists(self.keys.lease(sid)))

    async def rooms(self) -> list[str]:
        return sorted(_text(s) for s in await self.redis.smembers(self.keys.rooms))

    async def waiting(self, sid: str) -> bool:
        """Entries nobody has applied yet: undelivered (lag) or delivered and unacknowledged."""
        try:
            groups = await self.redis.xinfo_groups(self.keys.log(sid))
        except ResponseError:  # no stream yet
            return False
        if not groups:
            return bool(await self.redis.xlen(self.keys.log(sid)))
        group = groups[0]
        lag = group.get("lag")
        return bool(group.get("pending")) or lag is None or int(lag) > 0

    # -- the owner ------------------------------------------------------------------------
    async def try_lease(self, sid: str, me: str) -> bool:
        return bool(await self.redis.set(self.keys.lease(sid), me, nx=True, px=self.lease_ms))

    async def renew(self, sid: str, me: str) -> bool:
        return bool(await self._renew(keys=[self.keys.lease(sid)], args=[me, self.lease_ms]))

    async def release(self, sid: str, me: str) -> None:
        await self._release(keys=[self.keys.lease(sid)], args=[me])

    async def ensure_group(self, sid: str) -> None:
        try:
            await self.redis.xgroup_create(self.keys.log(sid), GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def claim_pending(self, sid: str, me: str, count: int,
                            min_idle_ms: int = 0) -> list[LogEntry]:
        """Every entry a previous owner took and did not acknowledge, oldest first."""
        out: list[LogEntry] = []
        start = "0-0"
        while True:
            reply = await self.redis.xautoclaim(self.keys.log(sid), GROUP, me, min_idle_ms,
                                                start_id=start, count=count)
            start, claimed = _text(reply[0]), reply[1]
            out.extend(decode_entries(claimed))
            if start == "0-0":
                return sorted(out, key=lambda e: _order(e.id))

    async def read(self, sid: str, me: str, count: int, block_ms: int) -> list[LogEntry]:
        reply = await self.redis.xreadgroup(GROUP, me, {self.keys.log(sid): ">"}, count=count,
                                            block=block_ms)
        return decode_entries(reply[0][1]) if reply else []

    async def finish(self, sid: str, answers: list[tuple[str, Any]], ids: list[str]) -> None:
        """Answer the waiting requests, then acknowledge and drop the applied entries."""
        pipe = self.redis.pipeline(transaction=False)
        for request, answer in answers:
            key = self.keys.answer(request)
            pipe.rpush(key, json.dumps(answer, ensure_ascii=False, default=str))
            pipe.pexpire(key, ANSWER_TTL_MS)
        if ids:
            pipe.xack(self.keys.log(sid), GROUP, *ids)
            pipe.xdel(self.keys.log(sid), *ids)
        await pipe.execute()

    async def publish_replies(self, messages: list[tuple[str, Any]]) -> None:
        if messages:
            pipe = self.redis.pipeline(transaction=False)
            for sid, message in messages:
                pipe.publish(self.keys.replies, json.dumps([sid, message], ensure_ascii=False))
            await pipe.execute()


    async def replies(self) -> AsyncIterator[tuple[str, Any]]:
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(self.keys.replies)
        try:
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    sid, body = json.loads(message["data"])
                    yield sid, body
        finally:
            await pubsub.aclose()


def _slice(left: float) -> float:
    """One BLPOP's wait: well under the client's socket timeout (5 s by default)."""
    return max(0.01, min(left, 2.0))


def _order(entry_id: str) -> tuple[int, int]:
    ms, _, n = entry_id.partition("-")
    return int(ms), int(n or 0)


class SyncControlLog:
    """The blocking side for the command bus (handlers run in worker threads): append a
    control entry and wait for the owner's answer."""

    def __init__(self, client: Any, prefix: str) -> None:
        self.redis = client
        self.keys = RoomKeys(prefix)

    def append(self, sid: str, body: Any) -> str:
        request = uuid.uuid4().hex
        pipe = self.redis.pipeline(transaction=False)
        pipe.xadd(self.keys.log(sid), _fields(CONTROL, request, "console", body))
        pipe.sadd(self.keys.rooms, sid)
        pipe.execute()
        return request

    def wait(self, request: str, timeout_s: float) -> Any | None:
        deadline = time.monotonic() + timeout_s
        while (left := deadline - time.monotonic()) > 0:
            got = self.redis.blpop([self.keys.answer(request)], timeout=_slice(left))
            if got is not None:
                return json.loads(got[1])
        return None
