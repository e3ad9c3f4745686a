"""Handlers of live-ops interventions. Load, act, commit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import insert, update

from liveroom.adapters.sql.schema_liveops import cart_interventions
from liveroom.adapters.sql.schema_tracking import campaign_notifications
from liveroom.console.commands import CreateCoupon
from liveroom.console.handlers import create_coupon
from liveroom.core.bus import Context
from liveroom.core.errors import Conflict, Invalid
from liveroom.core.ids import new_id
from liveroom.liveops import views
from liveroom.liveops.commands import CartsIntervened, InterveneCarts
from liveroom.planning.model import Status

KINDS = ("coupon", "message")
MAX_MINUTES = 120


def intervene(cmd: InterveneCarts, uow: Any, ctx: Context) -> dict[str, Any]:
    if cmd.kind not in KINDS:
        raise Invalid("kind is coupon or message", code="unknown_kind", field="kind")
    if not 1 <= cmd.minutes <= MAX_MINUTES or not 1 <= cmd.after_minutes <= MAX_MINUTES:
        raise Invalid(f"minutes: 1–{MAX_MINUTES}", code="invalid_minutes", field="minutes")
    if cmd.kind == "coupon" and cmd.discount_fen <= 0:
        raise Invalid("a coupon takes something off", code="invalid_discount",
                      field="discount_fen")
    session = uow.sessions.get(cmd.session_id)
    session.require(Status.LIVE)
    now = ctx.clock.now()
    found = views.to_answer(uow.conn, session.id, now, timedelta(minutes=cmd.after_minutes))
    if not found:
        raise Conflict("no abandoned carts to answer", code="no_abandoned_carts")
    buyers = sorted(a.buyer_id for a in found)
    iid = new_id()
    who = f"{ctx.actor.role.value}:{ctx.actor.id}"
    uow.execute(insert(cart_interventions).values(
        id=iid, session_id=session.id, kind=cmd.kind, buyer_ids=buyers, coupon_id=None,
        discount_fen=cmd.discount_fen, minutes=cmd.minutes, created_by=who, created_at=now))
    uow.audit.record(ctx.actor, "liveops.carts", session_id=session.id, target=iid,
                     after={"kind": cmd.kind, "buyers": len(buyers),
                            "discount_fen": cmd.discount_fen, "minutes": cmd.minutes})
    uow.emit(CartsIntervened(session.id, iid, cmd.kind, len(buyers)))
    coupon_id = None
    if cmd.kind == "coupon":
        # create_coupon runs the price guard and commits: the intervention row and its
        # audit go in the same transaction as the coupon, or neither does.
        coupon_id = create_coupon(CreateCoupon(
            session_id=session.id, name=f"限时挽回券 {cmd.minutes}′", kind="fixed",
            discount_fen=cmd.discount_fen, total=len(buyers), valid_from=now,
            valid_until=now + timedelta(minutes=cmd.minutes), issue_now=True), uow, ctx)["id"]
        uow.execute(update(cart_interventions).where(cart_interventions.c.id == iid)
                    .values(coupon_id=coupon_id))
    else:
        text = cmd.text or "您加购的宝贝还在购物车里，直播间限时福利进行中，快回来下单吧！"
        uow.execute(insert(campaign_notifications), [
            {"id": new_id(), "session_id": session.id, "buyer_id": b,
             "kind": f"cart_{iid[-16:]}", "channel": "", "text": text, "status": "queued",
             "created_at": now} for b in buyers])
    uow.commit()
    return {"id": iid, "kind": cmd.kind, "buyers": len(buyers), "coupon_id": coupon_id}


HANDLERS = {InterveneCarts: intervene}
