"""Database side of flash sales, shared by the three stock back-ends: read a sale's terms,
rebuild its counters from order rows, write a batch of reserved orders in one transaction."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError, SQLAlchemyError

from liveroom.adapters.sql.db import dialect_insert
from liveroom.adapters.sql.dead_letters import DeadLetter, describe
from liveroom.adapters.sql.schema import flash_sales, outbox
from liveroom.adapters.sql.schema_orders import orders
from liveroom.core.clock import as_aware
from liveroom.core.errors import NotFound
from liveroom.inventory.ledger import PurchaseReply
from liveroom.inventory.model import Outcome, SaleTerms
from liveroom.orders.events import OrderReserved
from liveroom.orders.model import HOLDS_STOCK
from liveroom.orders.pricing import flash_breakdown


@dataclass(frozen=True)
class FlashOrder:
    """A reservation granted by a ledger, on its way to an order row."""

    id: str
    sale_id: str
    session_id: str
    sku_id: str
    price_fen: int
    buyer_id: str
    quantity: int
    idempotency_key: str
    created_at: datetime
    expires_at: datetime
    channel: str | None = None
    utm: dict[str, Any] | None = None

    def reply(self) -> PurchaseReply:
        return PurchaseReply(Outcome.RESERVED, reserved_body(self.id, self.expires_at))

    def row(self) -> dict[str, Any]:
        breakdown = flash_breakdown(self.price_fen, self.quantity)
        return dict(
            id=self.id, session_id=self.session_id, buyer_id=self.buyer_id, kind="flash",
            flash_sale_id=self.sale_id, idempotency_key=self.idempotency_key,
            idempotency_scope=self.sale_id,
            status="reserved", quantity=self.quantity, coupon_ids=[],
            items=[{"sku_id": self.sku_id, "quantity": self.quantity,
                    "unit_price_fen": self.price_fen, "presale": False}],
            subtotal_fen=breakdown.subtotal_fen, total_fen=breakdown.total_fen,
            breakdown=breakdown.as_dict(), channel=self.channel, utm=self.utm,
            created_at=self.created_at, expires_at=self.expires_at)

    def event_row(self) -> dict[str, Any]:
        # The OrderReserved payload, built directly: dataclasses.asdict is the single
        # largest cost of the group commit otherwise. Same fields as OrderReserved.
        payload = {"order_id": self.id, "session_id": self.session_id,
                   "buyer_id": self.buyer_id, "total_fen": self.price_fen * self.quantity,
                   "sku_ids": [self.sku_id], "quantity": self.quantity,
                   "channel": self.channel, "kind": "flash", "flash_sale_id": self.sale_id}
        return dict(stream=OrderReserved.stream, name="OrderReserved", payload=payload,
                    created_at=self.created_at)


def reserved_body(order_id: str, expires_at: datetime) -> dict[str, Any]:
    return {"order_id": order_id, "status": "reserved",
            "expires_at": as_aware(expires_at).isoformat()}


def load_terms(conn: Connection, sale_id: str) -> SaleTerms:
    row = conn.execute(select(flash_sales).where(flash_sales.c.id == sale_id)).first()
    if row is None:
        raise NotFound(f"no flash sale {sale_id}", code="flash_sale_not_found")
    return SaleTerms(row.id, row.session_id, row.sku_id, row.price_fen, row.quantity,
                     row.per_buyer_limit, row.status,
                     as_aware(row.starts_at) if row.starts_at else None,
                     as_aware(row.members_from) if row.members_from else None)


def load_holdings(conn: Connection, sale_id: str) -> list[tuple[str, str, int]]:
    """(order id, buyer, units) of every order holding stock: the truth every ledger
    rebuilds from."""
    rows = conn.execute(
        select(orders.c.id, orders.c.buyer_id, orders.c.quantity)
        .where(orders.c.flash_sale_id == sale_id, orders.c.status.in_(HOLDS_STOCK))).all()
    return [(r.id, r.buyer_id, int(r.quantity)) for r in rows]


ReplyKey = tuple[str, str, str]  # (sale, buyer, idempotency key): a key is scoped to both


def load_replies(conn: Connection, sale_id: str) -> dict[ReplyKey, PurchaseReply]:
    rows = conn.execute(select(orders.c.id, orders.c.buyer_id, orders.c.idempotency_key,
                               orders.c.expires_at)
                        .where(orders.c.flash_sale_id == sale_id)).all()
    return {(sale_id, r.buyer_id, r.idempotency_key):
            PurchaseReply(Outcome.RESERVED, reserved_body(r.id, r.expires_at)) for r in rows}


def existing_reply(conn: Connection, scope: str, buyer_id: str, key: str
                   ) -> PurchaseReply | None:
    row = conn.execute(select(orders.c.id, orders.c.expires_at).where(
        orders.c.buyer_id == buyer_id, orders.c.idempotency_scope == scope,
        orders.c.idempotency_key == key)).first()
    if row is None:
        return None
    return PurchaseReply(Outcome.RESERVED, reserved_body(row.id, row.expires_at))


def write_flash_orders(engine: Engine, batch: list[FlashOrder]) -> set[str]:
    """Persist a batch in ONE transaction (the group commit): order rows, the sales' sold
    counters and the OrderReserved events. Idempotent on order id and on (buyer, key):
    returns the ids actually inserted, so a replayed stream entry is counted once and a key
    reused from an earlier order is recognised by the caller."""
    if not batch:
        return set()
    if engine.dialect.name == "sqlite":
        try:
            return _write_sqlite_fast(engine, batch)
        except IntegrityError:
            pass  # a duplicate in the batch: redo it row by row, skipping the duplicates
    with engine.begin() as conn:
        stmt = dialect_insert(conn, orders).on_conflict_do_nothing().returning(orders.c.id)
        inserted = {r[0] for r in conn.execute(stmt, [o.row() for o in batch])}
        _bump_sold(conn, [o for o in batch if o.id in inserted])
        events = [o.event_row() for o in batch if o.id in inserted]
        if events:
            conn.execute(insert(outbox), events)
    return inserted


# The database or the connection failing: every record would fail alike, none is to blame.
TRANSIENT = (OperationalError, InterfaceError)


@dataclass
class Written:
    """What became of a batch: inserted ids (duplicates are neither inserted nor dead),
    records refused for good (to dead-letter), and records not written because the
    database failed meanwhile (to retry; nobody was promised them)."""

    inserted: set[str] = field(default_factory=set)
    dead: list[DeadLetter] = field(default_factory=list)
    retry: list[FlashOrder] = field(default_factory=list)


def write_isolating(engine: Engine, batch: list[FlashOrder], source: str) -> Written:
    """write_flash_orders, but a record the database refuses (NUL, an unencodable text, a
    value too wide) fails alone: the batch is split in halves until the refused records
    are found, and everything else commits. A transient failure of the whole batch (the
    database down or locked) is raised as before: nothing was written."""
    try:
        return Written(write_flash_orders(engine, batch))
    except TRANSIENT:
        raise
    except (SQLAlchemyError, ValueError):  # refused data (UnicodeError is a ValueError)
        out = Written()
        _bisect(engine, batch, source, out)
        return out


def _bisect(engine: Engine, batch: list[FlashOrder], source: str, out: Written) -> None:
    for part in (batch[:len(batch) // 2], batch[len(batch) // 2:]):
        if not part:
            continue
        try:
            out.inserted |= write_flash_orders(engine, part)
        except TRANSIENT:
            out.retry += part  # halves already committed stay committed
        except (SQLAlchemyError, ValueError) as exc:
            if len(part) == 1:
                out.dead.append(DeadLetter(source, part[0].id, describe(exc), part[0].row()))
            else:
                _bisect(engine, part, source, out)


def _bump_sold(conn: Connection, done: list[FlashOrder]) -> None:
    per_sale = Counter[str]()
    for o in done:
        per_sale[o.sale_id] += o.quantity
    for sale_id, n in per_sale.items():
        conn.execute(update(flash_sales).where(flash_sales.c.id == sale_id)
                     .values(sold=flash_sales.c.sold + n))


_ORDER_COLUMNS = [c.name for c in orders.c]
_INSERT_ORDER = (f"INSERT INTO orders ({', '.join(_ORDER_COLUMNS)}) "
                 f"VALUES ({', '.join('?' for _ in _ORDER_COLUMNS)})")
_INSERT_EVENT = "INSERT INTO outbox (stream, name, payload, created_at) VALUES (?, ?, ?, ?)"
_JSON_COLUMNS = {"items", "breakdown", "coupon_ids", "utm", "contact", "shipping"}


def _sqlite_value(name: str, value: Any) -> Any:
    """What SQLAlchemy's SQLite types would store: JSON text, naive-UTC datetime text."""
    if name in _JSON_COLUMNS:
        return None if value is None else json.dumps(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    return value


def _write_sqlite_fast(engine: Engine, batch: list[FlashOrder]) -> set[str]:
    """The same transaction through the driver directly: SQLAlchemy's per-row statement
    and type processing costs ~10× the insert itself on the group-commit path."""
    rows, events = [], []
    for o in batch:
        row = o.row()
        rows.append(tuple(_sqlite_value(c, row.get(c)) for c in _ORDER_COLUMNS))
        ev = o.event_row()
        events.append((ev["stream"], ev["name"], json.dumps(ev["payload"]),
                       _sqlite_value("created_at", ev["created_at"])))
    with engine.begin() as conn:
        conn.exec_driver_sql(_INSERT_ORDER, rows)
        _bump_sold(conn, batch)
        conn.exec_driver_sql(_INSERT_EVENT, events)
    return {o.id for o in batch}
