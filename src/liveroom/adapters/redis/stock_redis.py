"""The Redis stock ledger: one Lua script checks the sale is open, the buyer's limit, the
stock and the idempotency key, takes the units and XADDs the order to a stream, atomically.
The database is off the hot path: StreamPersister (stock_redis_persist) writes the stream to
order rows in batches. Durability of an answered order therefore rests on Redis (run it with
appendonly yes / appendfsync always for zero loss) until the persister has written it.

Redis restart or loss is detected in the script itself: every sale hash is stamped with the
run_id of the Redis server that loaded it; a different server (restart, failover) or a
missing hash answers 'stale', and the sale is rebuilt from order rows + unpersisted stream
entries before it sells again. Connections come from a BlockingConnectionPool: a burst
waits for a connection instead of failing (a plain pool raises and leaves units unsold)."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import NoScriptError, RedisError
from sqlalchemy import Engine, select

from liveroom.adapters.sql.schema import flash_sales
from liveroom.adapters.sql.stock_store import (
    FlashOrder,
    load_holdings,
    load_replies,
    load_terms,
)
from liveroom.core.clock import Clock, as_aware
from liveroom.core.ids import new_id
from liveroom.inventory.ledger import (
    Held,
    PurchaseReply,
    PurchaseRequest,
    StockUnavailable,
    expires,
)
from liveroom.inventory.model import Outcome, SaleTerms, rejection_body

log = logging.getLogger(__name__)
RUN_ID = "local run = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')\n"

# Mirrors inventory.model.decide (same order of checks); the unit tests compare the two.
# KEYS: sale hash, buyer counts, reply key[, holding orders, order stream].
# ARGV: buyer, quantity, now_ms, order payload, reply json, reply ttl, order id, early
# ('1': the buyer's tier may buy in the member priority window, inventory.model.sale_open_to).
DECIDE = RUN_ID + """
local prior = redis.call('GET', KEYS[3])
if prior then return {'replay', prior} end
local s = redis.call('HMGET', KEYS[1], 'epoch', 'quantity', 'sold', 'limit', 'status', 'starts_ms',
  'members_ms')
if s[1] ~= run then return {'stale'} end
local status = s[5]
local now = tonumber(ARGV[3])
local open = status == 'live' or
  (status == 'created' and s[6] ~= '' and tonumber(s[6]) <= now)
local members_only = false
if not open and status == 'created' and s[7] and s[7] ~= '' and tonumber(s[7]) <= now then
  if ARGV[8] == '1' then open = true else members_only = true end
end
local want = tonumber(ARGV[2])
local outcome = 'reserved'
if not open then
  if members_only then outcome = 'members_only' else outcome = 'not_started' end
else
  local held = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
  if want <= 0 or held + want > tonumber(s[4]) then outcome = 'limit_exceeded'
  elseif tonumber(s[3]) + want > tonumber(s[2]) then outcome = 'sold_out' end
end
"""
REJECT = """
if outcome ~= 'reserved' then
  redis.call('SET', KEYS[3], outcome .. '|' .. status, 'EX', ARGV[6])
  return {outcome, status}
end
"""
RESERVE = DECIDE + REJECT + """
redis.call('HINCRBY', KEYS[1], 'sold', want)
redis.call('HINCRBY', KEYS[2], ARGV[1], want)
redis.call('HSET', KEYS[4], ARGV[7], ARGV[1] .. '|' .. want)
redis.call('XADD', KEYS[5], '*', 'o', ARGV[4])
redis.call('SET', KEYS[3], ARGV[5], 'EX', ARGV[6])
return {'reserved'}
"""
# The same decision without the order (ARGV 4, 5 and 7 unused): sent while this process
# believes the sale is sold out, so a rejection costs no order id, no payload. It writes
# exactly what RESERVE writes for a rejection; where RESERVE would reserve it changes
# nothing and answers 'full' (units came back): the caller then sends RESERVE.
CHECK = DECIDE + REJECT + """
return {'full'}
"""

# Idempotent per order id: the units come back only if this sale still counts the order.
RELEASE = """
local entry = redis.call('HGET', KEYS[3], ARGV[1])
if not entry then return 0 end
redis.call('HDEL', KEYS[3], ARGV[1])
local sep = string.find(entry, '|', 1, true)
local buyer = string.sub(entry, 1, sep - 1)
local qty = tonumber(string.sub(entry, sep + 1))
redis.call('HINCRBY', KEYS[1], 'sold', -qty)
if redis.call('HINCRBY', KEYS[2], buyer, -qty) <= 0 then redis.call('HDEL', KEYS[2], buyer) end
return 1
"""

# ARGV: quantity, limit, status, starts_ms, members_ms, then (order_id, buyer, qty) triples.
LOAD = RUN_ID + """
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
local sold = 0
for i = 6, #ARGV, 3 do
  local q = tonumber(ARGV[i + 2])
  sold = sold + q
  redis.call('HINCRBY', KEYS[2], ARGV[i + 1], q)
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1] .. '|' .. q)
end
redis.call('HSET', KEYS[1], 'epoch', run, 'quantity', ARGV[1], 'sold', sold, 'limit', ARGV[2],
  'status', ARGV[3], 'starts_ms', ARGV[4], 'members_ms', ARGV[5])
return sold
"""

# A console start/stop reaches only a loaded hash; loading re-reads the status afterwards.
SET_STATUS = """
if redis.call('HEXISTS', KEYS[1], 'epoch') == 1 then
  redis.call('HSET', KEYS[1], 'status', ARGV[1])
end
return 1
"""


class RedisKeys:
    def __init__(self, prefix: str = "lr") -> None:
        self.prefix = prefix
        self.stream = f"{prefix}:orders"

    def sale(self, sid: str) -> list[str]:
        """sale hash, buyer counts, holding orders (id → buyer|qty)."""
        return [f"{self.prefix}:fs:{sid}", f"{self.prefix}:fs:{sid}:b",
                f"{self.prefix}:fs:{sid}:o"]

    def reply(self, sale: str, buyer: str, key: str) -> str:
        # JSON, not "buyer:key": a buyer id or a key may hold any separator
        return f"{self.prefix}:idem:" + json.dumps([sale, buyer, key], ensure_ascii=True)

    def lock(self, sid: str) -> str:
        return f"{self.prefix}:fs:{sid}:lock"


def make_pool(url: str, max_connections: int = 64, timeout: float = 10.0
              ) -> aioredis.BlockingConnectionPool:
    return aioredis.BlockingConnectionPool.from_url(
        url, max_connections=max_connections, timeout=timeout)


def order_payload(o: FlashOrder) -> str:
    return json.dumps({"id": o.id, "sale_id": o.sale_id, "session_id": o.session_id,
                       "sku_id": o.sku_id, "price_fen": o.price_fen, "buyer_id": o.buyer_id,
                       "quantity": o.quantity, "idempotency_key": o.idempotency_key,
                       "created_at": o.created_at.isoformat(),
                       "expires_at": o.expires_at.isoformat(), "channel": o.channel,
                       "utm": o.utm}, ensure_ascii=True)  # any text survives encoding


class RedisStockLedger:
    name = "redis"

    def __init__(self, client: aioredis.Redis, engine: Engine, clock: Clock,
                 reservation_minutes: int, keys: RedisKeys | None = None,
                 reply_ttl_s: int = 86_400, sync_client: Any = None) -> None:
        self.redis = client
        self.engine = engine
        self.clock = clock
        self.minutes = reservation_minutes
        self.keys = keys or RedisKeys()
        self.reply_ttl_s = reply_ttl_s
        self.sync_client = sync_client  # for status_changed, called from the relay thread
        self._reserve = client.register_script(RESERVE)
        self._release = client.register_script(RELEASE)
        self._check = client.register_script(CHECK)
        self._load = client.register_script(LOAD)
        self._terms: dict[str, SaleTerms] = {}
        self._pending: list[tuple[Any, list[str], list[Any], asyncio.Future[Any]]] = []
        self._sold_out: set[str] = set()  # sales last answered sold_out here (a hint only)
        self.rebuilds = 0
        self.persister: Any = None  # set by the wiring; started and stopped with us

    async def start(self) -> None:
        if self.persister is not None:
            await self.persister.start()

    async def stop(self) -> None:
        if self.persister is not None:
            await self.persister.stop()
        await self.redis.aclose()

    async def reserve(self, req: PurchaseRequest) -> PurchaseReply:
        sale_id = req.sale_id
        terms = self._terms.get(sale_id) or await self._load_terms(sale_id)
        now = self.clock.now()
        now_ms = int(now.timestamp() * 1000)
        sale, buyers, held = self.keys.sale(sale_id)
        reply_key = self.keys.reply(sale_id, req.buyer_id, req.idempotency_key)
        early = "1" if req.early else "0"
        try:
            if sale_id in self._sold_out:  # likely a rejection: ask without building an order
                res = await self._batched(self._check, [sale, buyers, reply_key],
                                          [req.buyer_id, req.quantity, now_ms, "", "",
                                           self.reply_ttl_s, "", early])
                tag = res[0].decode()
                if tag == "full":
                    self._sold_out.discard(sale_id)  # units came back: reserve for real
                elif tag != "stale":
                    return self._answer(sale_id, tag, res)
            order = FlashOrder(new_id(), terms.id, terms.session_id, terms.sku_id,
                               terms.price_fen, req.buyer_id, req.quantity,
                               req.idempotency_key, now, expires(now, self.minutes),
                               req.channel, req.utm)
            keys = [sale, buyers, reply_key, held, self.keys.stream]
            reply = order.reply()
            args: list[Any] = [req.buyer_id, req.quantity, now_ms, order_payload(order),
                               json.dumps(reply.body), self.reply_ttl_s, order.id, early]
            for _ in range(3):
                res = await self._batched(self._reserve, keys, args)
                tag = res[0].decode()
                if tag == "reserved":
                    return reply
                if tag == "stale":
                    await self._rebuild_once(sale_id)
                    continue
                return self._answer(sale_id, tag, res)
        except RedisError as exc:
            raise StockUnavailable(f"stock ledger unreachable: {exc.__class__.__name__}") from exc
        raise StockUnavailable("the sale is being rebuilt; try again")

    def _answer(self, sale_id: str, tag: str, res: Any) -> PurchaseReply:
        terms = self._terms.get(sale_id)
        opens_at = terms.starts_at if terms else None
        if tag == "replay":
            return _decode_reply(res[1].decode(), opens_at)
        if tag == "sold_out":
            self._sold_out.add(sale_id)
        outcome = Outcome(tag)
        return PurchaseReply(outcome, rejection_body(outcome, res[1].decode(), opens_at))

    async def _batched(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        """Purchases arriving in the same event-loop turn go to Redis as ONE pipeline (one
        connection, one round trip); each script still runs atomically on its own. Under a
        burst this removes most of the per-call client overhead (pool checkout, packing,
        a wake-up per reply) that otherwise dominates a Redis purchase."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[Any] = loop.create_future()
        self._pending.append((script, keys, args, fut))
        if len(self._pending) == 1:
            loop.create_task(self._send_pending())
        return await fut

    async def _send_pending(self) -> None:
        batch, self._pending = self._pending, []
        pipe = self.redis.pipeline(transaction=False)
        for script, keys, args, _ in batch:  # EVALSHA directly: no SCRIPT EXISTS per pipeline
            pipe.evalsha(script.sha, len(keys), *keys, *args)
        try:
            results = await pipe.execute(raise_on_error=False)
            for i, r in enumerate(results):  # script cache emptied (restart): load, redo
                if isinstance(r, NoScriptError):  # only these did not run at all
                    script, keys, args, _ = batch[i]
                    results[i] = await script(keys=keys, args=args)
        except RedisError as exc:
            for _, _, _, fut in batch:
                if not fut.done():
                    fut.set_exception(exc)
            return
        for (_, _, _, fut), res in zip(batch, results, strict=True):
            if fut.done():
                continue
            if isinstance(res, Exception):
                fut.set_exception(res)
            else:
                fut.set_result(res)

    async def release(self, held: list[Held]) -> None:
        for h in held:
            try:
                await self._release(keys=self.keys.sale(h.sale_id), args=[h.order_id])
            except RedisError:
                # The order is closed in the database already; the units stay held in
                # Redis (never oversold) until the sale is rebuilt from the rows.
                log.exception("could not return units of order %s to Redis", h.order_id)

    async def remaining(self, sale_id: str) -> int | None:
        sale = self.keys.sale(sale_id)[0]
        for _ in range(2):
            epoch, qty, sold = await self.redis.hmget(sale, ["epoch", "quantity", "sold"])
            if epoch is not None and qty is not None and sold is not None:
                return int(qty) - int(sold)
            await self._rebuild_once(sale_id)
        return None

    async def rebuild(self, sale_id: str) -> None:
        """Invalidate, then rebuild (used after a detected loss and by operators)."""
        await self.redis.hset(self.keys.sale(sale_id)[0], "epoch", "invalidated")
        await self._rebuild_once(sale_id)

    async def flush(self) -> None:
        if self.persister is not None:
            await self.persister.flush()

    def status_changed(self, sale_id: str, status: str) -> None:
        if self.sync_client is not None:
            self.sync_client.eval(SET_STATUS, 1, self.keys.sale(sale_id)[0], status)

    # -- rebuilding -----------------------------------------------------------------------
    async def _load_terms(self, sale_id: str) -> SaleTerms:
        def read() -> SaleTerms:
            with self.engine.connect().execution_options(read_only=True) as conn, conn.begin():
                return load_terms(conn, sale_id)
        terms = self._terms[sale_id] = await asyncio.to_thread(read)
        return terms

    async def _rebuild_once(self, sale_id: str) -> None:
        """One process rebuilds (a short Redis lock); the others wait for it."""
        lock = self.keys.lock(sale_id)
        token = new_id()
        run_id = str((await self.redis.info("server"))["run_id"]).encode()
        for _ in range(2000):
            if await self.redis.set(lock, token, nx=True, px=30_000):
                break
            await asyncio.sleep(0.005)  # bounded wait: another process is rebuilding
            if await self.redis.hget(self.keys.sale(sale_id)[0], "epoch") == run_id:
                return  # someone else rebuilt it
        else:
            raise StockUnavailable("the sale is being rebuilt; try again")
        try:
            # Re-check under the lock: if a peer rebuilt while we waited, the sale is live
            # and selling; rebuilding again would wipe units sold since its rebuild.
            if await self.redis.hget(self.keys.sale(sale_id)[0], "epoch") != run_id:
                await self._rebuild_locked(sale_id)
        finally:
            if await self.redis.get(lock) == token.encode():
                await self.redis.delete(lock)

    async def _rebuild_locked(self, sale_id: str) -> None:
        # Stream first, database second: an entry persisted (and deleted from the stream)
        # in between is then already visible in the database. Union by order id.
        pending: dict[str, tuple[str, int]] = {}
        entries: Any = await self.redis.xrange(self.keys.stream)
        for eid, fields in entries:
            try:
                o = json.loads(fields[b"o"])
                if o["sale_id"] == sale_id:
                    pending[o["id"]] = (o["buyer_id"], int(o["quantity"]))
            except (KeyError, ValueError, TypeError):
                # unreadable: the persister dead-letters it; it holds no units we can count
                log.warning("skipping unreadable order stream entry %s in a rebuild", eid)
        terms, status, starts, rows, replies = await asyncio.to_thread(self._read_db, sale_id)
        holding = {oid: (b, q) for oid, b, q in rows}
        holding.update(pending)
        starts_ms = "" if starts is None else str(int(starts.timestamp() * 1000))
        members = terms.members_from
        members_ms = "" if members is None else str(int(members.timestamp() * 1000))
        args: list[Any] = [terms.quantity, terms.per_buyer_limit, status, starts_ms, members_ms]
        for oid, (buyer, qty) in holding.items():
            args += [oid, buyer, qty]
        await self._load(keys=self.keys.sale(sale_id), args=args)
        # A start/stop that landed while we read is not lost: read the status again.
        _, status_now, _, _, _ = await asyncio.to_thread(self._read_db, sale_id, False)
        if status_now != status:
            await self.redis.hset(self.keys.sale(sale_id)[0], "status", status_now)
        pipe = self.redis.pipeline(transaction=False)
        for (sale, buyer, key), reply in replies.items():
            pipe.set(self.keys.reply(sale, buyer, key), json.dumps(reply.body), nx=True,
                     ex=self.reply_ttl_s)
        await pipe.execute()
        self.rebuilds += 1

    def _read_db(self, sale_id: str, everything: bool = True) -> tuple[Any, ...]:
        with self.engine.connect().execution_options(read_only=True) as conn, conn.begin():
            row = conn.execute(select(flash_sales.c.status, flash_sales.c.starts_at)
                               .where(flash_sales.c.id == sale_id)).one()
            starts = as_aware(row.starts_at) if row.starts_at else None
            if not everything:
                return None, row.status, starts, [], {}
            return (load_terms(conn, sale_id), row.status, starts,
                    load_holdings(conn, sale_id), load_replies(conn, sale_id))


def _decode_reply(raw: str, opens_at: datetime | None = None) -> PurchaseReply:
    if raw.startswith("{"):
        return PurchaseReply(Outcome.RESERVED, json.loads(raw))
    outcome, _, status = raw.partition("|")
    return PurchaseReply(Outcome(outcome), rejection_body(Outcome(outcome), status, opens_at))
