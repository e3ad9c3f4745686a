"""会员专享券: a coupon restricted to a tier (and up) and/or an RFM segment. The restriction
is set by ops before anyone has claimed the coupon; every claim checks it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.schema_crm_reach import member_coupons
from liveroom.core.bus import Context
from liveroom.core.errors import Conflict, Invalid, NotFound
from liveroom.crm import views
from liveroom.crm.commands import RestrictCoupon
from liveroom.crm.model import Segment, TierRules, rfm_scores
from liveroom.crm.priority import check_coupon_audience
from liveroom.crm.rules import tier_rules


def audience_of(conn: Any, rules: TierRules, buyer_id: str, now: datetime
                ) -> tuple[str | None, str | None]:
    """The buyer's tier and RFM segment (None, None for a buyer who is not a member)."""
    hist = views.histories(conn, rules, now)
    if buyer_id not in hist:
        return None, None
    scores = rfm_scores([h[0] for h in hist.values()], now)
    _, orders, spent = hist[buyer_id]
    return rules.tier_for(orders, spent), scores[buyer_id].segment.value


def require_audience(conn: Any, coupon_id: str, buyer_id: str, now: datetime) -> None:
    """Raises MembersOnly (403 members_only) if the coupon is for members the buyer is not."""
    mc = member_coupons.c
    row = conn.execute(select(mc.min_tier, mc.segment).where(mc.coupon_id == coupon_id)).first()
    if row is None:
        return
    rules = tier_rules()
    tier, segment = audience_of(conn, rules, buyer_id, now)
    check_coupon_audience(rules, tier, segment, row.min_tier, row.segment)


def restrict_coupon(cmd: RestrictCoupon, uow: Any, ctx: Context) -> dict[str, Any]:
    if cmd.min_tier is None and cmd.segment is None:
        raise Invalid("give min_tier, segment or both", code="audience_required")
    if cmd.min_tier is not None:
        tier_rules().rank(cmd.min_tier)
    if cmd.segment is not None and cmd.segment not in {s.value for s in Segment}:
        raise Invalid("unknown segment", code="unknown_segment", field="segment")
    c = t.coupons.c
    coupon = uow.execute(select(c.id, c.session_id, c.claimed).where(c.id == cmd.coupon_id)
                         .with_for_update()).first()
    if coupon is None:
        raise NotFound(f"no coupon {cmd.coupon_id}", code="coupon_not_found")
    if coupon.claimed:
        raise Conflict("buyers have claimed this coupon already; its audience is fixed",
                       code="coupon_already_claimed")
    uow.execute(member_coupons.delete().where(member_coupons.c.coupon_id == coupon.id))
    uow.execute(member_coupons.insert().values(
        coupon_id=coupon.id, min_tier=cmd.min_tier, segment=cmd.segment,
        created_by=ctx.actor.id, created_at=ctx.clock.now()))
    uow.audit.record(ctx.actor, "members.coupon", session_id=coupon.session_id,
                     target=coupon.id, after={"min_tier": cmd.min_tier, "segment": cmd.segment})
    uow.commit()
    return {"coupon_id": coupon.id, "min_tier": cmd.min_tier, "segment": cmd.segment}
