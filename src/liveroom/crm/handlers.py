"""Members' handlers: points earned on a paid order and taken back on its refunds (each once
per order, by the ledger's unique key), points spent under the member's row lock,
double-points windows, member-only prices through the one price guard, audited exports."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from liveroom.adapters.sql.db import dialect_insert, insert_ignoring_duplicates
from liveroom.adapters.sql.schema_crm import member_points, member_prices, members, points_windows
from liveroom.adapters.sql.schema_orders import orders
from liveroom.console import price_guard
from liveroom.console.pricing import Offer
from liveroom.core.bus import Context
from liveroom.core.clock import as_aware, utc
from liveroom.core.errors import Conflict, Invalid, NotFound
from liveroom.core.ids import new_id
from liveroom.crm import views
from liveroom.crm.commands import (
    AcceptInvitation,
    EarnPoints,
    ExportMembers,
    ImportPurchases,
    PlanReminders,
    PostUgc,
    RestrictCoupon,
    ReversePoints,
    ReviewUgc,
    SetConsent,
    SetMemberPrice,
    SetPointsWindow,
    SettleInvitation,
    SpendPoints,
)
from liveroom.crm.coupons import restrict_coupon
from liveroom.crm.events import MemberPriceSet
from liveroom.crm.history import import_purchases
from liveroom.crm.model import PointsKind, earned_points, multiplier_at, replay, reversed_points
from liveroom.crm.reminders import plan_reminders, set_consent
from liveroom.crm.rules import tier_rules
from liveroom.crm.ugc import accept_invitation, post_ugc, review_ugc, settle_invitation
from liveroom.planning.model import Status

ACTIVE = (Status.PLANNED, Status.REHEARSAL, Status.LIVE)
MAX_MULTIPLIER = 10


def _join(uow: Any, buyer_id: str, now: Any) -> None:
    uow.execute(insert_ignoring_duplicates(uow.conn, members).values(
        buyer_id=buyer_id, joined_at=now))


def _earn(uow: Any, order: Any, now: Any) -> int:
    """The order's earn row (inserted once; a replay finds it) → the points it carries."""
    paid_at = as_aware(order.paid_at)
    w = points_windows.c
    windows = [(as_aware(r.starts_at), as_aware(r.ends_at), int(r.multiplier))
               for r in uow.execute(select(w.starts_at, w.ends_at, w.multiplier)
                                    .where(w.session_id == order.session_id))]
    multiplier = multiplier_at(paid_at, windows)
    _join(uow, order.buyer_id, now)
    uow.execute(insert_ignoring_duplicates(uow.conn, member_points).values(
        id=new_id(), buyer_id=order.buyer_id, order_id=order.id, kind=PointsKind.EARN.value,
        points=earned_points(int(order.total_fen), multiplier), multiplier=multiplier,
        session_id=order.session_id, at=paid_at))
    p = member_points.c
    return int(uow.execute(select(p.points).where(
        p.buyer_id == order.buyer_id, p.order_id == order.id,
        p.kind == PointsKind.EARN.value)).scalar_one())


def _paid_order(uow: Any, order_id: str) -> Any:
    row = uow.execute(select(orders).where(orders.c.id == order_id)).first()
    if row is None:
        raise NotFound(f"no order {order_id}", code="order_not_found")
    # a rehearsal test order earns no points
    return row if row.paid_at is not None and not row.test else None


def settle_points(cmd: EarnPoints | ReversePoints, uow: Any, ctx: Context) -> dict[str, Any]:
    """Both directions at once: the order's earn row (inserted once; a replayed OrderPaid
    finds it) and its one reversal row, upserted to the refunded share, so that a replayed
    refund event or a second partial refund sets the same total instead of adding to it."""
    order = _paid_order(uow, cmd.order_id)
    if order is None:
        return {"order_id": cmd.order_id, "points": 0, "reversed": 0}
    earned = _earn(uow, order, ctx.clock.now())
    taken = _sync_reversal(uow, order, earned, ctx.clock.now())
    uow.commit()
    return {"order_id": order.id, "points": earned, "reversed": taken}


def _sync_reversal(uow: Any, order: Any, earned: int, now: Any) -> int:
    taken = reversed_points(earned, int(order.refunded_fen or 0), int(order.total_fen))
    if taken == 0:
        return 0
    p = member_points.c
    stmt = dialect_insert(uow.conn, member_points).values(
        id=new_id(), buyer_id=order.buyer_id, order_id=order.id, kind=PointsKind.REVERSE.value,
        points=taken, multiplier=1, session_id=order.session_id, at=now)
    uow.execute(stmt.on_conflict_do_update(
        index_elements=[p.buyer_id, p.order_id, p.kind], set_={"points": taken}))
    return taken


def spend_points(cmd: SpendPoints, uow: Any, ctx: Context) -> dict[str, Any]:
    if cmd.points <= 0:
        raise Invalid("points to spend must be positive", field="points")
    now = ctx.clock.now()
    locked = uow.execute(select(members.c.buyer_id).where(members.c.buyer_id == cmd.buyer_id)
                         .with_for_update()).first()
    if locked is None:
        raise NotFound(f"no member {cmd.buyer_id}", code="member_not_found")
    entries = views.points_entries(uow.conn, [cmd.buyer_id]).get(cmd.buyer_id, [])
    if any(e.kind == PointsKind.SPEND and e.ref == cmd.ref for e in entries):
        return {"buyer_id": cmd.buyer_id, "ref": cmd.ref, "spent": 0,
                "points": replay(entries, now).points}
    balance = replay(entries, now).points
    if balance < cmd.points:
        raise Conflict(f"the member has {balance} points", code="points_insufficient",
                       points=balance)
    uow.execute(member_points.insert().values(
        id=new_id(), buyer_id=cmd.buyer_id, order_id=cmd.ref, kind=PointsKind.SPEND.value,
        points=cmd.points, multiplier=1, note=cmd.note or None, at=now))
    uow.audit.record(ctx.actor, "members.points.spend", target=cmd.buyer_id,
                     before={"points": balance},
                     after={"points": balance - cmd.points, "ref": cmd.ref, "note": cmd.note})
    uow.commit()
    return {"buyer_id": cmd.buyer_id, "ref": cmd.ref, "spent": cmd.points,
            "points": balance - cmd.points}


def set_points_window(cmd: SetPointsWindow, uow: Any, ctx: Context) -> dict[str, Any]:
    session = uow.sessions.get(cmd.session_id)
    session.require(*ACTIVE)
    if not 2 <= cmd.multiplier <= MAX_MULTIPLIER:
        raise Invalid(f"multiplier must be 2–{MAX_MULTIPLIER}", code="invalid_multiplier",
                      field="multiplier")
    start = utc(cmd.starts_at) if cmd.starts_at else session.scheduled_start
    end = utc(cmd.ends_at) if cmd.ends_at else \
        start + timedelta(minutes=session.duration_minutes)
    if end <= start:
        raise Invalid("ends_at must be after starts_at", code="invalid_window", field="ends_at")
    wid = new_id()
    uow.execute(points_windows.insert().values(
        id=wid, session_id=session.id, multiplier=cmd.multiplier, starts_at=start, ends_at=end,
        created_by=ctx.actor.id, created_at=ctx.clock.now()))
    uow.audit.record(ctx.actor, "members.points_window", session_id=session.id, target=wid,
                     after={"multiplier": cmd.multiplier, "starts_at": start.isoformat(),
                            "ends_at": end.isoformat()})
    uow.commit()
    return {"id": wid, "session_id": session.id, "multiplier": cmd.multiplier,
            "starts_at": start.isoformat(), "ends_at": end.isoformat()}


def set_member_price(cmd: SetMemberPrice, uow: Any, ctx: Context) -> dict[str, Any]:
    """Run through the price guard like every price: the member offer joins the SKU's live,
    flash and ladder offers and the coupons, and is refused with the same codes (or kept
    under an audited override)."""
    session = uow.sessions.get(cmd.session_id)
    session.require(*ACTIVE)
    tier_rules().rank(cmd.tier)
    item = uow.sessions.lineup_item(cmd.session_id, cmd.sku_id, lock=True)
    prices = price_guard.load(uow, session, item)
    others = [o for o in prices.offers if not (o.source == "member" and o.ref == cmd.tier)]
    prices.offers = [*others, Offer("member", cmd.price_fen, ref=cmd.tier)]
    overridden = price_guard.enforce(uow, ctx, [prices], override=cmd.override,
                                     override_reason=cmd.override_reason)
    mp = member_prices.c
    before = uow.execute(select(mp.price_fen).where(
        mp.session_id == cmd.session_id, mp.sku_id == cmd.sku_id, mp.tier == cmd.tier)).scalar()
    stmt = dialect_insert(uow.conn, member_prices).values(
        session_id=cmd.session_id, sku_id=cmd.sku_id, tier=cmd.tier, price_fen=cmd.price_fen,
        created_by=ctx.actor.id, updated_at=ctx.clock.now())
    uow.execute(stmt.on_conflict_do_update(
        index_elements=[mp.session_id, mp.sku_id, mp.tier],
        set_={"price_fen": cmd.price_fen, "created_by": ctx.actor.id,
              "updated_at": ctx.clock.now()}))
    uow.audit.record(ctx.actor, "members.price", session_id=cmd.session_id, target=cmd.sku_id,
                     before={"tier": cmd.tier, "price_fen": before},
                     after={"tier": cmd.tier, "price_fen": cmd.price_fen,
                            "violations": overridden},
                     override_reason=cmd.override_reason if overridden else None)
    uow.emit(MemberPriceSet(cmd.session_id, cmd.sku_id, cmd.tier, cmd.price_fen,
                            bool(overridden)))
    uow.commit()
    return {"session_id": cmd.session_id, "sku_id": cmd.sku_id, "tier": cmd.tier,
            "price_fen": cmd.price_fen, "before_fen": before, "overridden": overridden}


def export_members(cmd: ExportMembers, uow: Any, ctx: Context) -> list[list[Any]]:
    rows = views.export_rows(uow.conn, tier_rules(), ctx.clock.now(), tier=cmd.tier,
                             segment=cmd.segment, see_personal=cmd.see_personal)
    uow.audit.record(ctx.actor, "members.export",
                     after={"rows": len(rows), "tier": cmd.tier, "segment": cmd.segment,
                            "format": cmd.format, "personal_data": cmd.see_personal})
    uow.commit()
    return rows


HANDLERS: dict[type, Any] = {
    EarnPoints: settle_points, ReversePoints: settle_points, SpendPoints: spend_points,
    SetPointsWindow: set_points_window, SetMemberPrice: set_member_price,
    ExportMembers: export_members, RestrictCoupon: restrict_coupon,
    SetConsent: set_consent, PlanReminders: plan_reminders, PostUgc: post_ugc,
    ReviewUgc: review_ugc, AcceptInvitation: accept_invitation,
    SettleInvitation: settle_invitation, ImportPurchases: import_purchases,
}
