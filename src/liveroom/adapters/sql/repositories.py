"""Repositories: load and save domain objects inside a unit of work's connection."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, func, insert, select, update

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.db import insert_ignoring_duplicates
from liveroom.catalog.model import Product, Sku, Tier
from liveroom.console.model import Coupon, CouponKind
from liveroom.core.clock import Clock, as_aware
from liveroom.core.errors import NotFound
from liveroom.planning.model import LineupItem, LiveSession, Segment, SegmentKind, Status

T = TypeVar("T")


def row_to(cls: type[T], row: Any, **override: Any) -> T:
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    data = {k: v for k, v in row._mapping.items() if k in names}
    for k, v in data.items():
        if isinstance(v, datetime):
            data[k] = as_aware(v)
    data.update(override)
    return cls(**data)


def columns_of(obj: Any, table: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {c.name: getattr(obj, c.name) for c in table.c
            if hasattr(obj, c.name) and c.name not in skip}


class CatalogRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, product: Product) -> None:
        self.conn.execute(insert(t.products).values(columns_of(product, t.products)))
        if product.skus:
            self.conn.execute(insert(t.skus), [
                {**columns_of(s, t.skus), "created_at": product.created_at}
                for s in product.skus])

    def get(self, product_id: str) -> Product:
        found = self.load_many([product_id])
        if not found:
            raise NotFound(f"no product {product_id}", code="product_not_found")
        return found[0]

    def load_many(self, product_ids: list[str]) -> list[Product]:
        """Products with their SKUs in two queries, in the order asked."""
        rows = self.conn.execute(select(t.products).where(t.products.c.id.in_(product_ids))).all()
        skus: dict[str, list[Sku]] = {}
        for s in self.conn.execute(select(t.skus).where(t.skus.c.product_id.in_(product_ids))
                                   .order_by(t.skus.c.code)):
            skus.setdefault(s.product_id, []).append(row_to(Sku, s))
        by_id = {r.id: row_to(Product, r, tier=Tier(r.tier), skus=skus.get(r.id, []))
                 for r in rows}
        return [by_id[i] for i in product_ids if i in by_id]

    def sku(self, sku_id: str) -> Sku:
        row = self.conn.execute(select(t.skus).where(t.skus.c.id == sku_id)).first()
        if row is None:
            raise NotFound(f"no SKU {sku_id}", code="sku_not_found")
        return row_to(Sku, row)

    def code_taken(self, codes: list[str]) -> list[str]:
        rows = self.conn.execute(select(t.skus.c.code).where(t.skus.c.code.in_(codes))).all()
        return [r.code for r in rows]

    def products_for_skus(self, sku_ids: list[str]) -> tuple[dict[str, Product], dict[str, Sku]]:
        """Keyed by SKU id: the product owning each SKU, and the SKU itself."""
        rows = self.conn.execute(select(t.skus.c.id, t.skus.c.product_id)
                                 .where(t.skus.c.id.in_(sku_ids))).all()
        products = {p.id: p for p in self.load_many(sorted({r.product_id for r in rows}))}
        by_sku = {r.id: products[r.product_id] for r in rows}
        skus = {s.id: s for p in products.values() for s in p.skus if s.id in by_sku}
        return by_sku, skus

    def update_history(self, product_id: str, history: dict[str, int]) -> None:
        self.conn.execute(update(t.products).where(t.products.c.id == product_id)
                          .values(history=history))

    def update_product(self, product_id: str, values: dict[str, Any]) -> None:
        self.conn.execute(update(t.products).where(t.products.c.id == product_id)
                          .values(**values))

    def update_sku(self, sku_id: str, values: dict[str, Any]) -> None:
        self.conn.execute(update(t.skus).where(t.skus.c.id == sku_id).values(**values))

    def set_stock(self, sku_id: str, n: int, expected: int | None) -> bool:
        """Set the count in one conditional update; False if it no longer is `expected`."""
        s = t.skus.c
        q = update(t.skus).where(s.id == sku_id)
        if expected is not None:
            q = q.where(s.stock == expected)
        return bool(self.conn.execute(q.values(stock=n)).rowcount == 1)

    def take_stock(self, sku_id: str, n: int) -> bool:
        """Atomically take n units if there are that many; False if not."""
        s = t.skus.c
        done = self.conn.execute(update(t.skus).where(s.id == sku_id, s.stock >= n)
                                 .values(stock=s.stock - n))
        return bool(done.rowcount == 1)

    def return_stock(self, sku_id: str, n: int) -> None:
        s = t.skus.c
        self.conn.execute(update(t.skus).where(s.id == sku_id).values(stock=s.stock + n))


class SessionRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, s: LiveSession) -> None:
        self.conn.execute(insert(t.live_sessions).values(columns_of(s, t.live_sessions)))

    def get(self, sid: str, *, lock: bool = False) -> LiveSession:
        q = select(t.live_sessions).where(t.live_sessions.c.id == sid)
        if lock:
            q = q.with_for_update()
        row = self.conn.execute(q).first()
        if row is None:
            raise NotFound(f"no session {sid}", code="session_not_found")
        return row_to(LiveSession, row, status=Status(row.status))

    def save(self, s: LiveSession) -> None:
        self.conn.execute(update(t.live_sessions).where(t.live_sessions.c.id == s.id)
                          .values(columns_of(s, t.live_sessions, skip=("id", "created_at"))))

    def open_with_sku(self, sku_id: str) -> list[LiveSession]:
        """Planned, rehearsing and live shows whose lineup has the SKU, locked."""
        ls, li = t.live_sessions, t.lineup_items
        rows = self.conn.execute(
            select(ls).join(li, li.c.session_id == ls.c.id)
            .where(li.c.sku_id == sku_id, ls.c.status.in_(("planned", "rehearsal", "live")))
            .order_by(ls.c.scheduled_start, ls.c.id).with_for_update()).all()
        return [row_to(LiveSession, r, status=Status(r.status)) for r in rows]

    def lineup(self, sid: str) -> list[LineupItem]:
        rows = self.conn.execute(select(t.lineup_items).where(t.lineup_items.c.session_id == sid)
                                 .order_by(t.lineup_items.c.position)).all()
        return [row_to(LineupItem, r) for r in rows]

    def lineup_item(self, sid: str, sku_id: str, *, lock: bool = False) -> LineupItem:
        q = select(t.lineup_items).where(
            t.lineup_items.c.session_id == sid, t.lineup_items.c.sku_id == sku_id)
        row = self.conn.execute(q.with_for_update() if lock else q).first()
        if row is None:
            raise NotFound(f"SKU {sku_id} is not in the lineup of session {sid}",
                           code="sku_not_in_lineup")
        return row_to(LineupItem, row)

    def replace_lineup(self, sid: str, items: list[LineupItem]) -> None:
        self.conn.execute(delete(t.lineup_items).where(t.lineup_items.c.session_id == sid))
        if items:
            self.conn.execute(insert(t.lineup_items), [
                {**columns_of(i, t.lineup_items), "session_id": sid} for i in items])

    def save_lineup_item(self, sid: str, item: LineupItem) -> None:
        self.conn.execute(update(t.lineup_items).where(
            t.lineup_items.c.session_id == sid, t.lineup_items.c.sku_id == item.sku_id)
            .values(columns_of(item, t.lineup_items, skip=("session_id", "sku_id"))))

    def segments(self, sid: str) -> list[Segment]:
        rows = self.conn.execute(select(t.segments).where(t.segments.c.session_id == sid)
                                 .order_by(t.segments.c.start_minute)).all()
        return [row_to(Segment, r, kind=SegmentKind(r.kind)) for r in rows]

    def replace_segments(self, sid: str, segs: list[Segment]) -> None:
        self.conn.execute(delete(t.segments).where(t.segments.c.session_id == sid))
        if segs:
            self.conn.execute(insert(t.segments), [
                {**columns_of(s, t.segments), "session_id": sid} for s in segs])

    def tick(self, sid: str, item: str, ok: bool, note: str, who: str, at: datetime) -> None:
        self.conn.execute(delete(t.checklist_ticks).where(
            t.checklist_ticks.c.session_id == sid, t.checklist_ticks.c.item == item))
        self.conn.execute(insert(t.checklist_ticks).values(
            session_id=sid, item=item, ok=ok, note=note, checked_by=who, checked_at=at))

    def checklist(self, sid: str) -> dict[str, Any]:
        rows = self.conn.execute(select(t.checklist_ticks)
                                 .where(t.checklist_ticks.c.session_id == sid)).all()
        return {r.item: {"ok": r.ok, "note": r.note, "checked_by": r.checked_by,
                         "checked_at": as_aware(r.checked_at)} for r in rows}


class ConsoleRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_coupon(self, c: Coupon) -> bool:
        """False when another coupon already has this code (codes are unique)."""
        stmt = insert_ignoring_duplicates(self.conn, t.coupons).returning(t.coupons.c.id)
        return self.conn.execute(stmt, [columns_of(c, t.coupons)]).first() is not None

    def coupon(self, cid: str, *, lock: bool = False) -> Coupon:
        q = select(t.coupons).where(t.coupons.c.id == cid)
        row = self.conn.execute(q.with_for_update() if lock else q).first()
        if row is None:
            raise NotFound(f"no coupon {cid}", code="coupon_not_found")
        return row_to(Coupon, row, kind=CouponKind(row.kind))

    def set_coupon_status(self, cid: str, status: str) -> None:
        self.conn.execute(update(t.coupons).where(t.coupons.c.id == cid).values(status=status))

    def add(self, table: Any, values: dict[str, Any]) -> None:
        self.conn.execute(insert(table).values(values))

    def get_row(self, table: Any, row_id: str, what: str, *, lock: bool = False) -> Any:
        """A row by id; lock=True holds it (PostgreSQL) until the unit of work ends, so
        that a read-check-write on it cannot interleave with another request's."""
        q = select(table).where(table.c.id == row_id)
        row = self.conn.execute(q.with_for_update() if lock else q).first()
        if row is None:
            raise NotFound(f"no {what.replace('_', ' ')} {row_id}", code=f"{what}_not_found")
        return row

    def update_row(self, table: Any, row_id: str, **values: Any) -> None:
        self.conn.execute(update(table).where(table.c.id == row_id).values(**values))


class AuditRepo:
    def __init__(self, conn: Connection, clock: Clock) -> None:
        self.conn = conn
        self.clock = clock

    def record(self, actor: Any, action: str, *, session_id: str | None = None,
               target: str = "", before: Any = None, after: Any = None,
               override_reason: str | None = None) -> None:
        self.conn.execute(insert(t.audit_log).values(
            session_id=session_id, at=self.clock.now(), actor_id=actor.id,
            actor_name=actor.name, actor_role=actor.role.value, action=action, target=target,
            before=before, after=after, override_reason=override_reason))


class UserRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def by_name(self, name: str) -> Any:
        return self.conn.execute(select(t.users).where(t.users.c.name == name)).first()

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(t.users)).scalar_one())
