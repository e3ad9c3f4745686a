"""Placing live (non-flash) orders, claiming coupons and oversell remedies (shipping moves
are fulfilment's: fulfilment/handlers.py).
Each handler loads, acts through conditional updates, emits to the outbox and commits."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.db import dialect_insert
from liveroom.adapters.sql.schema_orders import orders, oversell_remedies
from liveroom.core.bus import Context
from liveroom.core.errors import Conflict, Invalid, NotFound
from liveroom.core.ids import new_id
from liveroom.crm.coupons import require_audience
from liveroom.crm.pricing import MemberPricing
from liveroom.inventory.ledger import expires
from liveroom.inventory.model import Candidate, below_safety, choose_remedy, restock_by
from liveroom.orders import closing
from liveroom.orders.commands import (
    ClaimCoupon,
    PlaceOrder,
    RemedyOversell,
)
from liveroom.orders.events import OrderReserved, OversellRemedied, SafetyStockReached
from liveroom.orders.model import OrderStatus
from liveroom.orders.pricing import Breakdown, CouponTerms, Line, net_by_sku, price_order
from liveroom.orders.views import order_reply
from liveroom.planning.model import Status


def place_order(cmd: PlaceOrder, uow: Any, ctx: Context) -> dict[str, Any]:
    earlier = uow.execute(select(orders).where(
        orders.c.buyer_id == cmd.buyer_id, orders.c.idempotency_scope == cmd.session_id,
        orders.c.idempotency_key == cmd.idempotency_key)).first()
    if earlier is not None:
        return order_reply(earlier)
    if not cmd.items:
        raise Invalid("an order needs at least one item", code="empty_order", field="items")
    session = uow.sessions.get(cmd.session_id)
    if session.status != Status.LIVE:
        raise Conflict(f"session is {session.status.value}", code="session_not_live")
    lines, floors = [], {}
    now = ctx.clock.now()
    member = MemberPricing(uow.conn, cmd.session_id, cmd.buyer_id, now)
    for item in cmd.items:
        lineup = uow.sessions.lineup_item(cmd.session_id, item.sku_id)
        if not lineup.listed:
            raise Conflict(f"SKU {item.sku_id} is not on sale now", code="sku_not_listed",
                           sku_id=item.sku_id)
        unit = member.unit_price(item.sku_id, lineup.live_price_fen)
        lines.append(Line(item.sku_id, item.quantity, unit, item.presale))
        floors[item.sku_id] = lineup.override_floor_fen
    terms = [_use_coupon(uow, cid, cmd, now) for cid in cmd.coupon_ids]
    breakdown = price_order(lines, terms)
    _last_price_check(uow, lines, terms, breakdown, floors)
    for line in sorted(lines, key=lambda ln: ln.sku_id):  # one lock order for every order
        take_stock(uow, line, ctx)
    oid = new_id()
    quantity = sum(ln.quantity for ln in lines)
    row = dict(id=oid, session_id=cmd.session_id, buyer_id=cmd.buyer_id, kind="live",
               flash_sale_id=None, idempotency_key=cmd.idempotency_key,
               idempotency_scope=cmd.session_id, status="reserved",
               items=[{"sku_id": ln.sku_id, "quantity": ln.quantity,
                       "unit_price_fen": ln.unit_price_fen, "presale": ln.presale}
                      for ln in lines],
               quantity=quantity, subtotal_fen=breakdown.subtotal_fen,
               total_fen=breakdown.total_fen, breakdown=breakdown.as_dict(),
               coupon_ids=list(cmd.coupon_ids), channel=cmd.channel, utm=cmd.utm,
               contact=cmd.contact, created_at=now,
               expires_at=expires(now, ctx.settings.reservation_minutes))
    uow.execute(insert(orders).values(row))
    uow.emit(OrderReserved(oid, cmd.session_id, cmd.buyer_id, breakdown.total_fen,
                           [ln.sku_id for ln in lines], quantity, cmd.channel))
    uow.commit()
    return order_reply(uow.execute(select(orders).where(orders.c.id == oid)).one())


def _last_price_check(uow: Any, lines: list[Line], terms: list[CouponTerms],
                      breakdown: Breakdown, floors: dict[str, int | None]) -> None:
    """The guard ran when each price and coupon was set; this catches what changed since
    (a cost raised, an old coupon): no SKU's lines total below cost, unless an audited
    override accepted a unit price this low. An oversell compensation coupon is a remedy
    already audited, not a price: it is left out."""
    remedies = set(uow.execute(select(oversell_remedies.c.coupon_id).where(
        oversell_remedies.c.coupon_id.in_([c.id for c in terms]))).scalars())
    if remedies:
        breakdown = Breakdown(breakdown.subtotal_fen, [
            d for d in breakdown.discounts if d["coupon_id"] not in remedies])
    units: dict[str, int] = {}
    for line in lines:
        units[line.sku_id] = units.get(line.sku_id, 0) + line.quantity
    for sku_id, net in net_by_sku(lines, terms, breakdown).items():
        sku = uow.catalog.sku(sku_id)
        floor = floors.get(sku_id)
        unit = net / units[sku_id]
        if unit < sku.cost_fen and (floor is None or unit < floor):
            raise Conflict(f"SKU {sku.code} would sell below cost in this order",
                           code="order_below_cost", sku_id=sku_id, sku_code=sku.code,
                           spec=sku.spec, price_fen=math.floor(unit), cost_fen=sku.cost_fen,
                           coupon_ids=[c.id for c in terms])


def _use_coupon(uow: Any, cid: str, cmd: PlaceOrder, now: Any) -> CouponTerms:
    coupon = uow.console.coupon(cid)
    if not coupon.usable(now) or (coupon.session_id != cmd.session_id
                                  and not _is_compensation(uow, cid)):
        raise Conflict(f"coupon {coupon.name} cannot be used now", code="coupon_not_usable",
                       coupon_id=cid)
    c = t.coupon_claims.c
    used = uow.execute(update(t.coupon_claims).where(
        c.coupon_id == cid, c.buyer_id == cmd.buyer_id, c.used < c.count)
        .values(used=c.used + 1))
    if used.rowcount != 1:
        raise Conflict("claim the coupon first (or it is used up)", code="coupon_not_claimed",
                       coupon_id=cid)
    return CouponTerms(coupon.id, coupon.name, coupon.kind.value, coupon.discount_fen,
                       coupon.threshold_fen, coupon.sku_id)


def _is_compensation(uow: Any, cid: str) -> bool:
    """An oversell compensation coupon belongs to its buyer, not to the show that
    oversold: it is good in any later show until it lapses."""
    return uow.execute(select(oversell_remedies.c.id)
                       .where(oversell_remedies.c.coupon_id == cid)).first() is not None


def take_stock(uow: Any, line: Line, ctx: Context) -> None:
    s = t.skus.c
    column = s.presale_stock if line.presale else s.stock
    took = uow.execute(update(t.skus).where(s.id == line.sku_id, column >= line.quantity)
                       .values({column.name: column - line.quantity}))
    if took.rowcount != 1:
        raise Conflict(f"SKU {line.sku_id} has too little {column.name.replace('_', ' ')}",
                       code="out_of_stock", sku_id=line.sku_id)
    if line.presale:
        return
    row = uow.execute(select(s.stock, s.safety_stock, t.products.c.restock_lead_days)
                      .join(t.products, t.products.c.id == s.product_id)
                      .where(s.id == line.sku_id)).one()
    if below_safety(row.stock, row.safety_stock) and \
            row.stock + line.quantity > row.safety_stock:  # alert once, on crossing
        today = ctx.clock.now().date()
        uow.emit(SafetyStockReached(line.sku_id, row.stock, row.safety_stock,
                                    restock_by(today, row.restock_lead_days).isoformat()))
        closing.notify(uow, ctx.clock.now(), "safety_stock", "ops", sku_id=line.sku_id,
                       payload={"stock": row.stock, "safety_stock": row.safety_stock,
                                "restock_by": restock_by(today, row.restock_lead_days)
                                .isoformat()})


def claim_coupon(cmd: ClaimCoupon, uow: Any, ctx: Context) -> dict[str, Any]:
    coupon = uow.console.coupon(cmd.coupon_id)
    coupon.check_code(cmd.code)
    if not coupon.usable(ctx.clock.now()):
        raise Conflict(f"coupon is {coupon.status}", code="coupon_not_usable")
    require_audience(uow.conn, coupon.id, cmd.buyer_id, ctx.clock.now())  # 会员专享券
    cc = t.coupon_claims.c
    stmt = dialect_insert(uow.conn, t.coupon_claims).values(
        coupon_id=coupon.id, buyer_id=cmd.buyer_id, count=1, used=0,
        claimed_at=ctx.clock.now())
    mine = uow.execute(stmt.on_conflict_do_update(
        index_elements=[cc.coupon_id, cc.buyer_id], set_={"count": cc.count + 1},
        where=cc.count < coupon.per_buyer_limit).returning(cc.count)).first()
    if mine is None:
        raise Conflict("you already hold as many as allowed", code="limit_exceeded")
    c = t.coupons.c
    took = uow.execute(update(t.coupons).where(c.id == coupon.id, c.claimed < c.total,
                                                c.status == "issued")
                       .values(claimed=c.claimed + 1))
    if took.rowcount != 1:
        raise Conflict("all coupons are gone", code="coupon_exhausted")
    uow.commit()
    return {"coupon_id": coupon.id, "count": mine[0], "status": "claimed"}


def remedy_oversell(cmd: RemedyOversell, uow: Any, ctx: Context) -> dict[str, Any]:
    """超卖补救 for an order that an external channel sold without stock behind it."""
    row = closing.load(uow, cmd.order_id)
    if row.status not in (OrderStatus.RESERVED, OrderStatus.PAID):
        raise Conflict(f"order is {row.status}", code="invalid_order_state")
    if uow.execute(select(oversell_remedies.c.id)
                   .where(oversell_remedies.c.order_id == row.id)).first():
        raise Conflict("this order already has a remedy", code="already_remedied")
    item = row.items[0]
    unit = int(item["unit_price_fen"])
    candidates = _substitutes(uow, item["sku_id"], cmd.substitute_sku_id)
    remedy, sub_id, coupon_fen = choose_remedy(unit, int(item["quantity"]), candidates)
    if cmd.remedy == "compensation" or (cmd.remedy == "substitute" and sub_id is None):
        if cmd.remedy == "substitute":
            raise Conflict("no equivalent substitute in stock", code="no_substitute")
        remedy, sub_id, coupon_fen = choose_remedy(unit, int(item["quantity"]), [])
    coupon_id = None
    if sub_id is not None:
        take_stock(uow, Line(sub_id, int(item["quantity"]), unit), ctx)
    else:
        coupon_id = _compensation_coupon(uow, row, coupon_fen, ctx)
    uow.execute(insert(oversell_remedies).values(
        id=new_id(), order_id=row.id, remedy=remedy, substitute_sku_id=sub_id,
        coupon_id=coupon_id, note=cmd.note, created_by=ctx.actor.name,
        created_at=ctx.clock.now()))
    uow.audit.record(ctx.actor, "orders.oversell_remedy", session_id=row.session_id,
                     target=row.id, after={"remedy": remedy, "substitute_sku_id": sub_id,
                                           "coupon_id": coupon_id, "coupon_fen": coupon_fen})
    uow.emit(OversellRemedied(row.id, row.session_id, row.buyer_id, remedy, sub_id, coupon_id))
    uow.commit()
    return {"order_id": row.id, "remedy": remedy, "substitute_sku_id": sub_id,
            "coupon_id": coupon_id, "coupon_fen": coupon_fen}


def _substitutes(uow: Any, sku_id: str, wanted: str | None) -> list[Candidate]:
    s = t.skus.c
    product_id = uow.execute(select(s.product_id).where(s.id == sku_id)).scalar_one()
    q = select(s.id, s.price_fen, s.stock).where(s.id != sku_id)
    q = q.where(s.id == wanted) if wanted else q.where(s.product_id == product_id)
    rows = uow.execute(q).all()
    if wanted and not rows:
        raise NotFound(f"no SKU {wanted}", code="sku_not_found")
    return [Candidate(r.id, r.price_fen, r.stock) for r in rows]


def _compensation_coupon(uow: Any, row: Any, fen: int, ctx: Context) -> str:
    now = ctx.clock.now()
    cid = new_id()
    uow.execute(insert(t.coupons).values(
        id=cid, session_id=row.session_id, name="超卖补偿券 oversell compensation",
        kind="fixed", threshold_fen=0, discount_fen=fen, sku_id=None, per_buyer_limit=1,
        total=1, claimed=1, status="issued", channel=None, code=None, valid_from=now,
        valid_until=now + timedelta(days=30), created_at=now))
    uow.execute(insert(t.coupon_claims).values(coupon_id=cid, buyer_id=row.buyer_id, count=1,
                                               used=0, claimed_at=now))
    return cid


HANDLERS = {PlaceOrder: place_order, ClaimCoupon: claim_coupon,
            RemedyOversell: remedy_oversell}
