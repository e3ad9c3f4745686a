"""Console commands. Each one checks, acts, writes the audit trail and commits."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from liveroom.console import price_guard
from liveroom.console.commands import (
    AdvanceLadder,
    Announce,
    Announced,
    ChangePrice,
    CloseFlashSales,
    CouponStatusChanged,
    CreateCoupon,
    CreateFlashSale,
    CreateLadder,
    ExplainingChanged,
    ExplainSku,
    FlashSaleCreated,
    FlashSaleStatusChanged,
    PriceChanged,
    ProductListed,
    SetCouponStatus,
    SetFlashSaleStatus,
    SetListed,
)
from liveroom.console.model import (
    Coupon,
    CouponKind,
    LadderStep,
    validate_flash_sale,
    validate_ladder,
)
from liveroom.console.pricing import CouponRule, Offer
from liveroom.core.bus import Context
from liveroom.core.clock import utc
from liveroom.core.errors import Conflict, Invalid
from liveroom.core.ids import new_id
from liveroom.crm.priority import members_from
from liveroom.crm.rules import tier_rules
from liveroom.planning.model import Status

ACTIVE = (Status.PLANNED, Status.REHEARSAL, Status.LIVE)


def set_listed(cmd: SetListed, uow: Any, ctx: Context) -> dict[str, Any]:
    session = uow.sessions.get(cmd.session_id)
    session.require(*ACTIVE)
    item = uow.sessions.lineup_item(cmd.session_id, cmd.sku_id, lock=True)
    if cmd.listed:  # 上架: what viewers are about to see passes the guard once more
        price_guard.recheck(uow, [price_guard.load(uow, session, item)])
    before, item.listed = item.listed, cmd.listed
    uow.sessions.save_lineup_item(cmd.session_id, item)
    uow.audit.record(ctx.actor, "console.list" if cmd.listed else "console.unlist",
                     session_id=cmd.session_id, target=cmd.sku_id,
                     before={"listed": before}, after={"listed": cmd.listed})
    uow.emit(ProductListed(cmd.session_id, cmd.sku_id, cmd.listed))
    uow.commit()
    return {"sku_id": cmd.sku_id, "listed": cmd.listed}


def explain(cmd: ExplainSku, uow: Any, ctx: Context) -> dict[str, Any]:
    session = uow.sessions.get(cmd.session_id, lock=True)
    session.require(*ACTIVE)
    if cmd.sku_id is not None:
        uow.sessions.lineup_item(cmd.session_id, cmd.sku_id)
    before, session.explaining_sku_id = session.explaining_sku_id, cmd.sku_id
    uow.sessions.save(session)
    uow.audit.record(ctx.actor, "console.explain", session_id=session.id,
                     target=cmd.sku_id or "", before={"sku_id": before},
                     after={"sku_id": cmd.sku_id})
    uow.emit(ExplainingChanged(session.id, cmd.sku_id))
    uow.commit()
    return {"explaining_sku_id": cmd.sku_id}


def change_price(cmd: ChangePrice, uow: Any, ctx: Context) -> dict[str, Any]:
    result = _apply_price(cmd, uow, ctx)
    uow.commit()
    return result


def _apply_price(cmd: ChangePrice, uow: Any, ctx: Context) -> dict[str, Any]:
    session = uow.sessions.get(cmd.session_id)
    session.require(*ACTIVE)
    item = uow.sessions.lineup_item(cmd.session_id, cmd.sku_id, lock=True)
    prices = price_guard.load(uow, session, item).with_live_price(cmd.price_fen)
    overridden = price_guard.enforce(uow, ctx, [prices], override=cmd.override,
                                     override_reason=cmd.override_reason, save=False)
    before = item.live_price_fen
    item.live_price_fen = cmd.price_fen
    uow.sessions.save_lineup_item(cmd.session_id, item)
    uow.audit.record(
        ctx.actor, "console.price", session_id=cmd.session_id, target=cmd.sku_id,
        before={"price_fen": before},
        after={"price_fen": cmd.price_fen, "reason": cmd.reason,
               "violations": overridden},
        override_reason=cmd.override_reason if overridden else None)
    uow.emit(PriceChanged(cmd.session_id, cmd.sku_id, before, cmd.price_fen, bool(overridden)))
    return {"sku_id": cmd.sku_id, "price_fen": cmd.price_fen, "before_fen": before,
            "overridden": overridden}


def create_coupon(cmd: CreateCoupon, uow: Any, ctx: Context) -> dict[str, Any]:
    session = uow.sessions.get(cmd.session_id)
    session.require(*ACTIVE)
    try:
        kind = CouponKind(cmd.kind)
    except ValueError as exc:
        raise Invalid(f"kind must be one of {[k.value for k in CouponKind]}",
                      field="kind") from exc
    if cmd.sku_id:
        uow.sessions.lineup_item(cmd.session_id, cmd.sku_id)
    now = ctx.clock.now()
    start = utc(cmd.valid_from) if cmd.valid_from else now
    end = utc(cmd.valid_until) if cmd.valid_until else max(
        start, session.scheduled_start) + timedelta(minutes=session.duration_minutes + 24 * 60)
    coupon = Coupon(
        id=new_id(), session_id=cmd.session_id, name=cmd.name, kind=kind,
        discount_fen=cmd.discount_fen, total=cmd.total, valid_from=start, valid_until=end,
        created_at=now, threshold_fen=cmd.threshold_fen, sku_id=cmd.sku_id,
        per_buyer_limit=cmd.per_buyer_limit, channel=cmd.channel, code=cmd.code,
        status="issued" if cmd.issue_now else "draft")
    coupon.validate()
    # Refused at creation, draft or not, if it could take an applicable SKU below a rule.
    overridden = price_guard.enforce(
        uow, ctx, _with_coupon(price_guard.load_lineup(uow, session, cmd.sku_id), coupon),
        override=cmd.override, override_reason=cmd.override_reason)
    if not uow.console.add_coupon(coupon):
        raise Conflict(f"coupon code {cmd.code} is taken", code="duplicate_coupon_code",
                       field="code")
    uow.audit.record(ctx.actor, "console.coupon.create", session_id=cmd.session_id,
                     target=coupon.id, after={"name": coupon.name, "kind": kind.value,
                                              "discount_fen": coupon.discount_fen,
                                              "threshold_fen": coupon.threshold_fen,
                                              "total": coupon.total, "status": coupon.status,
                                              "overridden": overridden})
    if cmd.issue_now:
        uow.emit(CouponStatusChanged(cmd.session_id, coupon.id, "issued"))
    uow.commit()
    return {"id": coupon.id, "status": coupon.status, "overridden": overridden}


def _with_coupon(targets: list[price_guard.SkuPrices],
                 coupon: Coupon) -> list[price_guard.SkuPrices]:
    rule = CouponRule(coupon.id, coupon.discount_fen, coupon.threshold_fen, coupon.sku_id)
    for prices in targets:
        prices.coupons = [*(c for c in prices.coupons if c.id != coupon.id), rule]
    return targets


COUPON_MOVES = {"issued": {"draft", "stopped"}, "stopped": {"issued"}}


def set_coupon_status(cmd: SetCouponStatus, uow: Any, ctx: Context) -> dict[str, Any]:
    coupon = uow.console.coupon(cmd.coupon_id, lock=True)
    if cmd.status not in COUPON_MOVES:
        raise Invalid("status must be issued or stopped", field="status")
    if coupon.status not in COUPON_MOVES[cmd.status]:
        raise Conflict(f"coupon is {coupon.status}", code="invalid_state")
    if cmd.status == "issued":  # within what the guard (or an override) let it take off
        session = uow.sessions.get(coupon.session_id)
        price_guard.recheck(uow, _with_coupon(
            price_guard.load_lineup(uow, session, coupon.sku_id), coupon))
    uow.console.set_coupon_status(coupon.id, cmd.status)
    uow.audit.record(ctx.actor, f"console.coupon.{cmd.status}", session_id=coupon.session_id,
                     target=coupon.id, before={"status": coupon.status},
                     after={"status": cmd.status})
    uow.emit(CouponStatusChanged(coupon.session_id, coupon.id, cmd.status))
    uow.commit()
    return {"id": coupon.id, "status": cmd.status}


def create_flash_sale(cmd: CreateFlashSale, uow: Any, ctx: Context) -> dict[str, Any]:
    session = uow.sessions.get(cmd.session_id)
    session.require(*ACTIVE)
    item = uow.sessions.lineup_item(cmd.session_id, cmd.sku_id, lock=True)
    sku = uow.catalog.sku(cmd.sku_id)
    validate_flash_sale(cmd.price_fen, cmd.quantity, cmd.per_buyer_limit, sku.stock)
    prices = price_guard.load(uow, session, item)
    prices.offers.append(Offer("flash", cmd.price_fen, coupons_apply=False))
    overridden = price_guard.enforce(uow, ctx, [prices], override=cmd.override,
                                     override_reason=cmd.override_reason)
    # The sale's units leave the SKU's stock now, so that live orders of the same SKU can
    # never sell them a second time; the unsold rest comes back when the session ends.
    if not uow.catalog.take_stock(cmd.sku_id, cmd.quantity):
        raise Invalid(f"flash quantity {cmd.quantity} is above the stock left",
                      code="quantity_over_stock", field="quantity")
    fid = new_id()
    starts = utc(cmd.starts_at) if cmd.starts_at else None
    window = members_from(tier_rules(), cmd.priority_tier, cmd.priority_minutes, starts)
    uow.console.add(t.flash_sales, dict(
        id=fid, session_id=cmd.session_id, sku_id=cmd.sku_id, price_fen=cmd.price_fen,
        quantity=cmd.quantity, per_buyer_limit=cmd.per_buyer_limit, status="created", sold=0,
        created_at=ctx.clock.now(), starts_at=starts, members_from=window,
        priority_tier=cmd.priority_tier if window else None))
    uow.audit.record(ctx.actor, "console.flash_sale.create", session_id=cmd.session_id,
                     target=fid, after={"sku_id": cmd.sku_id, "price_fen": cmd.price_fen,
                                        "quantity": cmd.quantity,
                                        "per_buyer_limit": cmd.per_buyer_limit,
                                        "priority_tier": cmd.priority_tier,
                                        "members_from": window.isoformat() if window else None,
                                        "below_cost": cmd.price_fen < sku.cost_fen,
                                        "overridden": overridden})
    uow.emit(FlashSaleCreated(fid, cmd.session_id, cmd.sku_id, cmd.price_fen, cmd.quantity,
                              cmd.per_buyer_limit))
    uow.commit()
    return {"id": fid, "status": "created"}


def close_flash_sales(cmd: CloseFlashSales, uow: Any, ctx: Context) -> dict[str, Any]:
    out = release_flash_sales(uow, cmd.session_id, ctx)
    uow.commit()
    return out


def release_flash_sales(uow: Any, session_id: str, ctx: Context) -> dict[str, Any]:
    """At the end of the show every sale closes and its unsold units return to the SKU.
    Reservations that lapse later return theirs too (orders/closing.py). No commit: the
    session's end and this are one transaction."""
    fs = t.flash_sales.c
    rows = uow.execute(select(t.flash_sales).where(fs.session_id == session_id,
                                                   fs.status != "closed")).all()
    for row in rows:
        uow.console.update_row(t.flash_sales, row.id, status="closed",
                               stopped_at=row.stopped_at or ctx.clock.now())
        uow.catalog.return_stock(row.sku_id, row.quantity - row.sold)
        uow.audit.record(ctx.actor, "console.flash_sale.close", session_id=session_id,
                         target=row.id, before={"status": row.status},
                         after={"status": "closed", "returned": row.quantity - row.sold})
        uow.emit(FlashSaleStatusChanged(row.id, session_id, "closed"))
    return {"closed": len(rows)}


FLASH_MOVES = {"start": ({"created", "stopped"}, "live"), "stop": ({"live"}, "stopped")}


def set_flash_sale_status(cmd: SetFlashSaleStatus, uow: Any, ctx: Context) -> dict[str, Any]:
    if cmd.to not in FLASH_MOVES:
        raise Invalid("to must be start or stop", field="to")
    row = uow.console.get_row(t.flash_sales, cmd.flash_sale_id, "flash_sale", lock=True)
    allowed, target = FLASH_MOVES[cmd.to]
    if row.status not in allowed:
        raise Conflict(f"flash sale is {row.status}; cannot {cmd.to}", code="invalid_state")
    if cmd.to == "start":
        session = uow.sessions.get(row.session_id)
        session.require(Status.REHEARSAL, Status.LIVE)
        item = uow.sessions.lineup_item(row.session_id, row.sku_id)
        price_guard.recheck(uow, [price_guard.load(uow, session, item)])
    now = ctx.clock.now()
    stamp = {"started_at": now} if cmd.to == "start" else {"stopped_at": now}
    uow.console.update_row(t.flash_sales, row.id, status=target, **stamp)
    uow.audit.record(ctx.actor, f"console.flash_sale.{cmd.to}", session_id=row.session_id,
                     target=row.id, before={"status": row.status}, after={"status": target})
    uow.emit(FlashSaleStatusChanged(row.id, row.session_id, target))
    uow.commit()
    return {"id": row.id, "status": target}


def create_ladder(cmd: CreateLadder, uow: Any, ctx: Context) -> dict[str, Any]:
    session = uow.sessions.get(cmd.session_id)
    session.require(*ACTIVE)
    item = uow.sessions.lineup_item(cmd.session_id, cmd.sku_id, lock=True)
    steps = [LadderStep(a, p) for a, p in cmd.steps]
    validate_ladder(steps)
    # A ladder is planned ahead: every step (with the coupons on it) passes the guard now.
    prices = price_guard.load(uow, session, item)
    prices.offers += [Offer("ladder", s.price_fen) for s in steps]
    overridden = price_guard.enforce(uow, ctx, [prices], override=cmd.override,
                                     override_reason=cmd.override_reason)
    lid = new_id()
    uow.console.add(t.price_ladders, dict(
        id=lid, session_id=cmd.session_id, sku_id=cmd.sku_id, next_step=0,
        steps=[{"after_sold": s.after_sold, "price_fen": s.price_fen} for s in steps],
        created_at=ctx.clock.now()))
    uow.audit.record(ctx.actor, "console.ladder.create", session_id=cmd.session_id,
                     target=lid, after={"sku_id": cmd.sku_id, "steps": cmd.steps,
                                        "overridden": overridden})
    uow.commit()
    return {"id": lid, "steps": len(steps)}


def advance_ladder(cmd: AdvanceLadder, uow: Any, ctx: Context) -> dict[str, Any]:
    row = uow.console.get_row(t.price_ladders, cmd.ladder_id, "ladder", lock=True)
    if row.next_step >= len(row.steps):
        raise Conflict("the ladder has no steps left", code="ladder_finished")
    step = row.steps[row.next_step]
    result = _apply_price(ChangePrice(row.session_id, row.sku_id, step["price_fen"],
                                      reason=f"ladder step {row.next_step + 1}"), uow, ctx)
    uow.console.update_row(t.price_ladders, row.id, next_step=row.next_step + 1)
    uow.commit()
    return {**result, "step": row.next_step + 1, "steps": len(row.steps)}


def announce(cmd: Announce, uow: Any, ctx: Context) -> dict[str, Any]:
    text = cmd.text.strip()
    if not text or len(text) > 500:
        raise Invalid("an announcement needs 1–500 characters", field="text")
    uow.sessions.get(cmd.session_id).require(*ACTIVE)
    aid = new_id()
    uow.console.add(t.announcements, dict(id=aid, session_id=cmd.session_id, text=text,
                                          pinned=cmd.pinned, created_by=ctx.actor.name,
                                          created_at=ctx.clock.now()))
    uow.audit.record(ctx.actor, "console.announce", session_id=cmd.session_id, target=aid,
                     after={"text": text, "pinned": cmd.pinned})
    uow.emit(Announced(cmd.session_id, aid, text, cmd.pinned))
    uow.commit()
    return {"id": aid}


HANDLERS = {
    SetListed: set_listed, ExplainSku: explain, ChangePrice: change_price,
    CreateCoupon: create_coupon, SetCouponStatus: set_coupon_status,
    CreateFlashSale: create_flash_sale, SetFlashSaleStatus: set_flash_sale_status,
    CreateLadder: create_ladder, AdvanceLadder: advance_ladder, Announce: announce,
    CloseFlashSales: close_flash_sales,
}
