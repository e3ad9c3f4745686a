"""The database-only stock ledger (meant for PostgreSQL; also runs on SQLite): one
transaction per purchase with a per-buyer counter upsert and a conditional update of the
sale row. Correct with any number of server processes; throughput is bounded by the hot
sale row's lock, which is why the redis back-end exists."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from liveroom.adapters.sql.db import dialect_insert
from liveroom.adapters.sql.dead_letters import DeadLetter, describe, record_dead_letters
from liveroom.adapters.sql.schema import flash_sales, outbox
from liveroom.adapters.sql.schema_orders import flash_buyer_counts, orders, purchase_replies
from liveroom.adapters.sql.stock_store import (
    TRANSIENT,
    FlashOrder,
    existing_reply,
    load_holdings,
    load_terms,
)
from liveroom.core.clock import Clock, as_aware
from liveroom.core.ids import new_id
from liveroom.inventory.ledger import (
    Held,
    PurchaseReply,
    PurchaseRequest,
    StockUnavailable,
    UnstorableOrder,
    expires,
)
from liveroom.inventory.model import Outcome, SaleTerms, rejection_body, sale_open_to


class _Rejected(Exception):
    def __init__(self, outcome: Outcome, status: str, opens_at: datetime | None = None) -> None:
        super().__init__(outcome.value)
        self.outcome = outcome
        self.status = status
        self.opens_at = opens_at


class SqlStockLedger:
    name = "sql"

    def __init__(self, engine: Engine, clock: Clock, reservation_minutes: int) -> None:
        self.engine = engine
        self.clock = clock
        self.minutes = reservation_minutes
        self._terms: dict[str, SaleTerms] = {}  # price, quantity, limit never change

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def reserve(self, req: PurchaseRequest) -> PurchaseReply:
        try:
            return await asyncio.to_thread(self.reserve_sync, req)
        except OperationalError as exc:  # the database is down or restarting: try again
            raise StockUnavailable(f"stock ledger unreachable: {exc.__class__.__name__}"
                                   ) from exc

    async def release(self, held: list[Held]) -> None:
        return None  # the closing transaction already returned the units (orders.handlers)

    async def remaining(self, sale_id: str) -> int | None:
        return None  # the sale row is the ledger: views read it

    async def rebuild(self, sale_id: str) -> None:
        await asyncio.to_thread(self._rebuild_sync, sale_id)

    async def flush(self) -> None:
        return None

    def status_changed(self, sale_id: str, status: str) -> None:
        return None  # status is read in the purchase transaction itself

    # -- the transaction ------------------------------------------------------------------
    def reserve_sync(self, req: PurchaseRequest) -> PurchaseReply:
        now = self.clock.now()
        try:
            with self.engine.begin() as conn:
                replayed = self._replay_in(conn, req)
                if replayed is not None:
                    return replayed
                terms = self._sale_terms(conn, req.sale_id)
                order = FlashOrder(new_id(), terms.id, terms.session_id, terms.sku_id,
                                   terms.price_fen, req.buyer_id, req.quantity,
                                   req.idempotency_key, now, expires(now, self.minutes),
                                   req.channel, req.utm)
                self._take(conn, terms, req, now)
                conn.execute(insert(orders).values(order.row()))
                conn.execute(insert(outbox).values(order.event_row()))
            return order.reply()
        except _Rejected as rej:
            reply = PurchaseReply(rej.outcome, rejection_body(rej.outcome, rej.status,
                                                              rej.opens_at))
            return self._remember(req, reply, now)
        except IntegrityError:  # the same key raced us and won: give its answer
            again = self._replay(req)
            if again is None:
                raise
            return again
        except TRANSIENT:
            raise
        except (SQLAlchemyError, ValueError) as exc:  # refused data: this purchase alone
            record_dead_letters(self.engine, [DeadLetter(
                "sql_ledger", None, describe(exc), asdict(req))], now)
            raise UnstorableOrder("the order could not be stored; it was set aside for an "
                                  "operator") from exc

    def _sale_terms(self, conn: Any, sale_id: str) -> SaleTerms:
        terms = self._terms.get(sale_id)
        if terms is None:
            terms = self._terms[sale_id] = load_terms(conn, sale_id)
        return terms

    def _take(self, conn: Any, terms: SaleTerms, req: PurchaseRequest, now: datetime) -> None:
        row = conn.execute(select(flash_sales.c.status, flash_sales.c.starts_at)
                           .where(flash_sales.c.id == terms.id)).one()
        starts = as_aware(row.starts_at) if row.starts_at else None
        open_, members_only = sale_open_to(row.status, starts, terms.members_from, req.early,
                                           now)
        if not open_:
            raise _Rejected(Outcome.MEMBERS_ONLY if members_only else Outcome.NOT_STARTED,
                            row.status, starts)
        n = req.quantity
        if n <= 0 or n > terms.per_buyer_limit:
            raise _Rejected(Outcome.LIMIT_EXCEEDED, row.status)
        # Buyer row first, sale row last: every purchase locks in the same order (no
        # deadlocks) and the hot sale row is held for the shortest time.
        c = flash_buyer_counts.c
        stmt = dialect_insert(conn, flash_buyer_counts).values(
            flash_sale_id=terms.id, buyer_id=req.buyer_id, count=n)
        stmt = stmt.on_conflict_do_update(
            index_elements=[c.flash_sale_id, c.buyer_id], set_={"count": c.count + n},
            where=c.count + n <= terms.per_buyer_limit).returning(c.count)
        if conn.execute(stmt).first() is None:
            raise _Rejected(Outcome.LIMIT_EXCEEDED, row.status)
        s = flash_sales.c
        opened = or_(s.status == "live", and_(s.status == "created", s.starts_at <= now))
        if req.early:  # the member window, checked again under the row lock
            opened = or_(opened, and_(s.status == "created", s.members_from <= now))
        took = conn.execute(update(flash_sales)
                            .where(s.id == terms.id, s.sold + n <= s.quantity, opened)
                            .values(sold=s.sold + n).returning(s.sold)).first()
        if took is None:
            raise _Rejected(Outcome.SOLD_OUT, row.status)

    def _replay(self, req: PurchaseRequest) -> PurchaseReply | None:
        with self.engine.connect().execution_options(read_only=True) as conn, conn.begin():
            return self._replay_in(conn, req)

    def _replay_in(self, conn: Any, req: PurchaseRequest) -> PurchaseReply | None:
        granted = existing_reply(conn, req.sale_id, req.buyer_id, req.idempotency_key)
        if granted is not None:
            return granted
        row = conn.execute(select(purchase_replies).where(
            purchase_replies.c.buyer_id == req.buyer_id,
            purchase_replies.c.scope == req.sale_id,
            purchase_replies.c.idempotency_key == req.idempotency_key)).first()
        if row is None:
            return None
        return PurchaseReply(Outcome(row.body["code"]), row.body)

    def _remember(self, req: PurchaseRequest, reply: PurchaseReply,
                  now: datetime) -> PurchaseReply:
        with self.engine.begin() as conn:
            conn.execute(dialect_insert(conn, purchase_replies).values(
                buyer_id=req.buyer_id, scope=req.sale_id, idempotency_key=req.idempotency_key,
                status_code=reply.status_code, body=reply.body, created_at=now,
            ).on_conflict_do_nothing())
        return reply

    def _rebuild_sync(self, sale_id: str) -> None:
        """Recompute the sale's sold counter and the buyer counters from order rows."""
        with self.engine.begin() as conn:
            rows = load_holdings(conn, sale_id)
            sold = sum(q for _, _, q in rows)
            held: dict[str, int] = {}
            for _, buyer, q in rows:
                held[buyer] = held.get(buyer, 0) + q
            conn.execute(update(flash_sales).where(flash_sales.c.id == sale_id)
                         .values(sold=sold))
            conn.execute(flash_buyer_counts.delete().where(
                flash_buyer_counts.c.flash_sale_id == sale_id))
            if held:
                conn.execute(insert(flash_buyer_counts), [
                    {"flash_sale_id": sale_id, "buyer_id": b, "count": n}
                    for b, n in held.items()])
