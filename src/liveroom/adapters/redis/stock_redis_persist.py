"""Writes the Redis order stream to the database in batches (a consumer group, one consumer
per server process). At-least-once: an entry is deleted from the stream only after its
batch committed; the write is idempotent on the order id, so a redelivery counts once."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError, ResponseError
from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from liveroom.adapters.redis.stock_redis import RELEASE, RedisKeys
from liveroom.adapters.sql.dead_letters import DeadLetter, describe, record_dead_letters
from liveroom.adapters.sql.schema_orders import orders
from liveroom.adapters.sql.stock_store import FlashOrder, Written, write_isolating

log = logging.getLogger(__name__)
GROUP = "lr-persisters"


def parse_order(raw: bytes) -> FlashOrder:
    o = json.loads(raw)
    return FlashOrder(o["id"], o["sale_id"], o["session_id"], o["sku_id"], int(o["price_fen"]),
                      o["buyer_id"], int(o["quantity"]), o["idempotency_key"],
                      datetime.fromisoformat(o["created_at"]),
                      datetime.fromisoformat(o["expires_at"]), o.get("channel"), o.get("utm"))


class StreamPersister:
    def __init__(self, client: aioredis.Redis, engine: Engine, keys: RedisKeys,
                 batch: int = 2000, block_ms: int = 20, claim_idle_ms: int = 10_000) -> None:
        self.redis = client
        self.engine = engine
        self.keys = keys
        self.batch = batch
        self.block_ms = block_ms
        self.claim_idle_ms = claim_idle_ms
        self.consumer = f"{socket.gethostname()}-{os.getpid()}"
        self._release = client.register_script(RELEASE)
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.persisted = 0
        self.dead_lettered = 0
        self._stepping = asyncio.Lock()
        self.lease_ms = 2000
        self.pump: Callable[[], Any] | None = None  # outbox drain, run after a write

    async def start(self) -> None:
        await self.ensure_group()
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="stock-stream-persister")

    async def stop(self) -> None:
        self._stopping = True
        if self._task is not None:
            await self._task
            self._task = None
        await self.step(block_ms=None)  # whatever arrived last is written before we go

    async def ensure_group(self) -> None:
        try:
            await self.redis.xgroup_create(self.keys.stream, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def flush(self, timeout_s: float = 10.0) -> None:
        """Return once every entry in the stream is in the database (ours or a peer's)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while await self.redis.xlen(self.keys.stream) > 0:
            if await self.step(block_ms=None) == 0:
                await self._claim(idle_ms=0 if loop.time() > deadline - timeout_s / 2
                                  else self.claim_idle_ms)
                await asyncio.sleep(0.002)
            if loop.time() > deadline:
                raise TimeoutError("order stream not drained in time")

    async def _lead(self) -> bool:
        """One persister writes at a time (a lease in Redis, renewed as it works): several
        processes writing one SQLite file would only queue on its lock; a peer takes over
        within the lease if the leader dies."""
        key = f"{self.keys.prefix}:persister-lease"
        me = self.consumer.encode()
        if await self.redis.set(key, me, nx=True, px=self.lease_ms):
            return True
        if await self.redis.get(key) == me:
            await self.redis.pexpire(key, self.lease_ms)
            return True
        return False

    async def _run(self) -> None:
        idle = 0
        while not self._stopping:
            try:
                if not await self._lead():
                    await asyncio.sleep(self.lease_ms / 4000)
                    continue
                n = await self.step(block_ms=self.block_ms)
                if n and self.pump is not None:  # same thread of writes: no lock fights
                    await asyncio.to_thread(self.pump)
                idle = 0 if n else idle + 1
                if idle and idle % 250 == 0:  # now and then, adopt a dead peer's entries
                    await self._claim(self.claim_idle_ms)
            except (RedisError, SQLAlchemyError, OSError):
                # Logged and retried after a pause; entries stay in the stream meanwhile.
                log.exception("persisting the order stream failed; retrying")
                await asyncio.sleep(0.5)

    async def step(self, block_ms: int | None) -> int:
        """Own pending entries first (a crash between write and ack), then new ones. One
        step at a time (the loop and a flush may both step): a pending entry is read by
        both otherwise, and a poisoned one would be dead-lettered twice."""
        async with self._stepping:
            return await self._step(block_ms)

    async def _step(self, block_ms: int | None) -> int:
        total = 0
        for start in ("0", ">"):
            try:
                resp: Any = await self.redis.xreadgroup(
                    GROUP, self.consumer, {self.keys.stream: start}, count=self.batch,
                    block=block_ms if start == ">" else None)
            except ResponseError as exc:
                if "NOGROUP" not in str(exc):
                    raise
                # Redis lost its data (restart without persistence): the group goes with
                # the stream. Recreate it from id 0 so entries added since are all read.
                await self.ensure_group()
                return total
            entries = resp[0][1] if resp else []
            entries = [(eid, f) for eid, f in entries if f]  # deleted entries come back empty
            if entries:
                total += await self._persist(entries)
        return total

    async def _claim(self, idle_ms: int) -> None:
        await self.redis.xautoclaim(self.keys.stream, GROUP, self.consumer,
                                    min_idle_time=idle_ms, start_id="0-0", count=self.batch)

    async def _persist(self, entries: list[tuple[bytes, dict[bytes, bytes]]]) -> int:
        """Write a batch; an entry that cannot be read or stored is dead-lettered (and its
        units given back), never retried: one bad entry must not stop the writer. Entries
        not written because the database failed meanwhile stay in the stream."""
        batch, unreadable = [], []
        for eid, fields in entries:
            try:
                batch.append((eid, parse_order(fields[b"o"])))
            except (KeyError, ValueError, TypeError) as exc:
                unreadable.append(DeadLetter("order_stream", _id_in(fields), describe(exc),
                                             fields.get(b"o", repr(fields))))
        written = await asyncio.to_thread(self._store, [o for _, o in batch], unreadable)
        dead = {d.record_id for d in written.dead}
        retry = {o.id for o in written.retry}
        ghosts = [o for _, o in batch if o.id not in written.inserted and o.id not in retry]
        if ghosts:
            await self._release_ghosts(ghosts, dead)
        for letter in unreadable:
            await self._release_unreadable(letter.payload)
        parsed = {eid for eid, _ in batch}
        ids = [eid for eid, o in batch if o.id not in retry]
        ids += [eid for eid, _ in entries if eid not in parsed]  # unreadable: dead-lettered
        pipe = self.redis.pipeline(transaction=False)
        pipe.xack(self.keys.stream, GROUP, *ids)
        pipe.xdel(self.keys.stream, *ids)
        await pipe.execute()
        self.persisted += len(written.inserted)
        self.dead_lettered += len(written.dead) + len(unreadable)
        return len(entries)

    def _store(self, batch: list[FlashOrder], unreadable: list[DeadLetter]) -> Written:
        written = write_isolating(self.engine, batch, "order_stream") if batch else Written()
        record_dead_letters(self.engine, unreadable + written.dead, datetime.now(UTC))
        return written

    async def _release_unreadable(self, raw: Any) -> None:
        """Give back the units of an entry we could not read, if its ids can be read."""
        try:
            o = json.loads(raw)
            sale_id, order_id = str(o["sale_id"]), str(o["id"])
        except (KeyError, ValueError, TypeError):
            return  # no ids: the sale's counters are set right by its next rebuild
        await self._release(keys=self.keys.sale(sale_id), args=[order_id])

    async def _release_ghosts(self, ghosts: list[FlashOrder], dead: set[str | None]) -> None:
        """Not inserted: a redelivery (the row exists: fine), a key that already named an
        earlier order, or a dead letter (no row with this id: give its units back, it was
        never an order)."""
        def existing() -> set[str]:
            with self.engine.connect() as conn:
                return set(conn.execute(select(orders.c.id).where(
                    orders.c.id.in_([g.id for g in ghosts if g.id not in dead]))).scalars())
        present = await asyncio.to_thread(existing)
        for g in ghosts:
            if g.id not in present:
                if g.id not in dead:
                    log.warning("order %s reused key %s of an earlier order; units released",
                                g.id, g.idempotency_key)
                await self._release(keys=self.keys.sale(g.sale_id), args=[g.id])


def _id_in(fields: dict[bytes, bytes]) -> str | None:
    try:
        return str(json.loads(fields[b"o"])["id"])
    except (KeyError, ValueError, TypeError):
        return None
