"""The embedded stock ledger: counters in the server's event loop, orders written to the
database by group commit (collect for a millisecond or two, one transaction, answer all).

Only valid with ONE server process: two processes would each hold their own counters and
together sell more than the stock. The ledger therefore holds a LedgerLock on its database
while it runs, and a second one refuses to start; use the redis or sql back-end to scale
out. No threads touch the counters: every mutation happens on the event loop; only the
database write runs in a worker thread, and it is awaited."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from liveroom.adapters.sql.dead_letters import record_dead_letters
from liveroom.adapters.sql.ledger_lock import LedgerLock
from liveroom.adapters.sql.stock_store import (
    FlashOrder,
    ReplyKey,
    Written,
    existing_reply,
    load_holdings,
    load_replies,
    load_terms,
    write_isolating,
)
from liveroom.core.clock import Clock
from liveroom.core.errors import DomainError
from liveroom.core.ids import new_id
from liveroom.inventory.ledger import (
    Held,
    PurchaseReply,
    PurchaseRequest,
    StockUnavailable,
    UnstorableOrder,
    expires,
)
from liveroom.inventory.model import Outcome, SaleBook, rejection_body

log = logging.getLogger(__name__)


Key = ReplyKey  # (sale, buyer, idempotency key)


class MemoryStockLedger:
    name = "memory"

    def __init__(self, engine: Engine, clock: Clock, reservation_minutes: int,
                 window_s: float = 0.001, max_batch: int = 5000,
                 max_rejections: int = 200_000) -> None:
        self.engine = engine
        self.clock = clock
        self.minutes = reservation_minutes
        self.window_s = window_s
        self.max_batch = max_batch
        self.max_rejections = max_rejections
        self._books: dict[str, SaleBook] = {}
        # Newest status per sale. Written by the console's event subscriber (any thread, a
        # single dict store) and read here; loading uses setdefault so a start that lands
        # while a sale is being loaded is not overwritten by the older database value.
        self._status: dict[str, str] = {}
        self._loading: dict[str, asyncio.Future[SaleBook]] = {}
        # Releases that arrive while their sale is loading: applied once it is installed
        # (the load may have read the order before it was closed).
        self._early: dict[str, list[Held]] = {}
        self._granted: dict[Key, PurchaseReply | asyncio.Future[PurchaseReply]] = {}
        self._rejected: OrderedDict[Key, PurchaseReply] = OrderedDict()
        self._queue: list[tuple[FlashOrder, asyncio.Future[PurchaseReply]]] = []
        self._wake: asyncio.Event | None = None
        self._writer: asyncio.Task[None] | None = None
        self._writing = False
        self._stopping = False
        self.batches = 0  # for the benchmark: how many group commits
        # Drains the outbox (OrderReserved events) from the writer, between batches: a
        # second SQLite writer racing the group commit would make one of them sleep in
        # SQLite's busy handler (1–100 ms steps), which is what p99 latency is made of.
        self.pump: Callable[[], Any] | None = None
        self.pump_every_s = 0.1
        self.pump_max_delay_s = 1.0
        self._pump_due = False
        self.lock = LedgerLock(engine)

    # -- lifecycle ------------------------------------------------------------------------
    async def start(self) -> None:
        await asyncio.to_thread(self.lock.acquire)  # raises LedgerLocked: one owner only
        self._wake = asyncio.Event()
        self._stopping = False
        self._writer = asyncio.create_task(self._write_loop(), name="stock-group-commit")

    async def stop(self) -> None:
        self._stopping = True
        if self._wake is not None:
            self._wake.set()
        if self._writer is not None:
            await self._writer
            self._writer = None
        await asyncio.to_thread(self.lock.release)

    # -- the contract ---------------------------------------------------------------------
    async def reserve(self, req: PurchaseRequest) -> PurchaseReply:
        key = (req.sale_id, req.buyer_id, req.idempotency_key)
        prior = self._prior(key)
        if prior is not None:
            return await _resolved(prior)
        book = self._books.get(req.sale_id) or await self._load(req.sale_id)
        prior = self._prior(key)  # another request with this key may have run meanwhile
        if prior is not None:
            return await _resolved(prior)
        status = self._status.get(req.sale_id, book.terms.status)
        now = self.clock.now()
        order_id = new_id()
        outcome = book.try_reserve(order_id, req.buyer_id, req.quantity, status, now,
                                   req.early)
        if outcome != Outcome.RESERVED:
            reply = PurchaseReply(outcome, rejection_body(outcome, status,
                                                          book.terms.starts_at))
            self._remember_rejection(key, reply)
            return reply
        t = book.terms
        order = FlashOrder(order_id, t.id, t.session_id, t.sku_id, t.price_fen, req.buyer_id,
                           req.quantity, req.idempotency_key, now, expires(now, self.minutes),
                           req.channel, req.utm)
        fut: asyncio.Future[PurchaseReply] = asyncio.get_running_loop().create_future()
        self._granted[key] = fut
        self._queue.append((order, fut))
        if self._wake is None:
            raise StockUnavailable("the stock ledger is not running")
        self._wake.set()
        # shield: a buyer who hangs up must not cancel the write the others wait on
        return await asyncio.shield(fut)

    async def release(self, held: list[Held]) -> None:
        for h in held:
            book = self._books.get(h.sale_id)
            if book is not None:
                book.release(h.order_id)
            elif h.sale_id in self._loading:
                self._early.setdefault(h.sale_id, []).append(h)

    async def remaining(self, sale_id: str) -> int | None:
        book = self._books.get(sale_id) or await self._load(sale_id)
        return book.remaining

    async def rebuild(self, sale_id: str) -> None:
        await self.flush()
        self._books.pop(sale_id, None)

    async def flush(self) -> None:
        while self._queue or self._writing:
            await asyncio.sleep(self.window_s)

    def status_changed(self, sale_id: str, status: str) -> None:
        self._status[sale_id] = status

    # -- internals ------------------------------------------------------------------------
    def _prior(self, key: Key) -> PurchaseReply | asyncio.Future[PurchaseReply] | None:
        return self._granted.get(key) or self._rejected.get(key)

    def _remember_rejection(self, key: Key, reply: PurchaseReply) -> None:
        # Bounded: rejections are cheap to recompute and not durable anyway (see docs).
        self._rejected[key] = reply
        if len(self._rejected) > self.max_rejections:
            self._rejected.popitem(last=False)

    async def _load(self, sale_id: str) -> SaleBook:
        pending = self._loading.get(sale_id)
        if pending is not None:
            return await asyncio.shield(pending)
        fut: asyncio.Future[SaleBook] = asyncio.get_running_loop().create_future()
        self._loading[sale_id] = fut
        try:
            terms, rows, replies = await asyncio.to_thread(self._read_sale, sale_id)
            book = SaleBook.from_rows(terms, rows)
            for h in self._early.pop(sale_id, []):
                book.release(h.order_id)
            self._status.setdefault(sale_id, terms.status)
            for key, reply in replies.items():
                self._granted.setdefault(key, reply)
            self._books[sale_id] = book
            fut.set_result(book)
            return book
        except BaseException as exc:
            fut.set_exception(exc)
            fut.exception()  # mark retrieved: waiters (if any) get it through the await
            raise
        finally:
            del self._loading[sale_id]

    def _read_sale(self, sale_id: str) -> tuple[Any, list[tuple[str, str, int]], dict[Key, Any]]:
        with self.engine.connect().execution_options(read_only=True) as conn, conn.begin():
            terms = load_terms(conn, sale_id)
            return terms, load_holdings(conn, sale_id), load_replies(conn, sale_id)

    async def _write_loop(self) -> None:
        assert self._wake is not None
        loop = asyncio.get_running_loop()
        last_pump = loop.time()
        while True:
            since = loop.time() - last_pump
            # Drain in a quiet moment (nobody waiting on a commit), or at least every
            # pump_max_delay_s under a sustained burst so events are never held long.
            if self._pump_due and ((not self._queue and since >= self.pump_every_s)
                                   or since >= self.pump_max_delay_s):
                await self._run_pump()
                last_pump = loop.time()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.pump_every_s)
            except TimeoutError:
                continue
            self._wake.clear()
            if not self._queue:
                if self._stopping:
                    if self._pump_due:
                        await self._run_pump()
                    return
                continue
            await asyncio.sleep(self.window_s)  # the collection window of the group commit
            batch, self._queue = self._queue[:self.max_batch], self._queue[self.max_batch:]
            if self._queue or self._stopping:
                self._wake.set()
            self._writing = True
            try:
                await self._commit(batch)
            finally:
                self._writing = False

    async def _commit(self, batch: list[tuple[FlashOrder, asyncio.Future[PurchaseReply]]]
                      ) -> None:
        orders = [o for o, _ in batch]
        try:
            written = await asyncio.to_thread(self._store, orders)
        except Exception as exc:  # the whole batch failed: nobody was promised anything
            log.exception("group commit of %d orders failed", len(orders))
            written = Written(retry=orders)
            failure: DomainError = StockUnavailable(f"order not saved: {exc.__class__.__name__}")
        else:
            failure = StockUnavailable("order not saved: the database failed meanwhile")
        if written.inserted:
            self.batches += 1
            self._pump_due = self.pump is not None
        dead = {d.record_id for d in written.dead}
        retry = {o.id for o in written.retry}
        for order, fut in batch:
            if order.id in written.inserted:
                reply = order.reply()
                self._granted[(order.sale_id, order.buyer_id, order.idempotency_key)] = reply
                fut.set_result(reply)
            elif order.id in dead or order.id in retry:  # a poisoned record fails alone
                self._undo(order)
                fut.set_exception(UnstorableOrder("the order could not be stored; it was "
                                                  "set aside for an operator")
                                  if order.id in dead else failure)
                fut.exception()
            else:  # the key already named an earlier order (of another sale): replay it
                self._undo(order)
                try:
                    fut.set_result(await self._earlier(order))
                except Exception as exc:  # handed to the waiting request, not swallowed
                    fut.set_exception(exc)

    def _store(self, orders: list[FlashOrder]) -> Written:
        written = write_isolating(self.engine, orders, "group_commit")
        record_dead_letters(self.engine, written.dead, self.clock.now())
        return written

    async def _run_pump(self) -> None:
        self._pump_due = False
        if self.pump is None:
            return
        try:
            await asyncio.to_thread(self.pump)
        except Exception:  # the relay retries next time; the orders are committed already
            log.exception("outbox drain after group commit failed")
            self._pump_due = True

    def _undo(self, order: FlashOrder) -> None:
        book = self._books.get(order.sale_id)
        if book is not None:
            book.release(order.id)
        self._granted.pop((order.sale_id, order.buyer_id, order.idempotency_key), None)

    async def _earlier(self, order: FlashOrder) -> PurchaseReply:
        def read() -> PurchaseReply | None:
            with self.engine.connect().execution_options(read_only=True) as conn, conn.begin():
                return existing_reply(conn, order.sale_id, order.buyer_id,
                                      order.idempotency_key)
        reply = await asyncio.to_thread(read)
        if reply is None:  # cannot happen: the insert conflicted with a row that exists
            raise StockUnavailable("idempotency conflict without an earlier order")
        self._granted[(order.sale_id, order.buyer_id, order.idempotency_key)] = reply
        return reply


async def _resolved(prior: PurchaseReply | asyncio.Future[PurchaseReply]) -> PurchaseReply:
    if isinstance(prior, PurchaseReply):
        return prior
    return await asyncio.shield(prior)
