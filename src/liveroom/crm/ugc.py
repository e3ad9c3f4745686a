"""晒单 rewards and invitation fission. A post on a paid order is approved by ops once (the
pending → approved update is conditional), granting bonus points (one ledger row per post)
or a coupon. An invitation pays its inviter once per real new buyer: the invitee's first
paid order, from a buyer never seen before, not the inviter (nor the inviter's phone, nor a
phone seen on another buyer), and the reward is taken back if that order is refunded."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, select, update

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.db import dialect_insert, insert_ignoring_duplicates
from liveroom.adapters.sql.schema_crm import member_points, members
from liveroom.adapters.sql.schema_crm_reach import invitations, ugc_posts
from liveroom.adapters.sql.schema_orders import orders
from liveroom.core.bus import Context
from liveroom.core.errors import Conflict, Invalid, NotFound
from liveroom.core.ids import new_id
from liveroom.crm.commands import AcceptInvitation, PostUgc, ReviewUgc, SettleInvitation
from liveroom.crm.model import PointsKind

INVITE_POINTS = 200
MAX_UGC_POINTS = 10_000


def _bonus(uow: Any, buyer_id: str, ref: str, points: int, now: Any, note: str) -> None:
    uow.execute(insert_ignoring_duplicates(uow.conn, members).values(buyer_id=buyer_id,
                                                                     joined_at=now))
    uow.execute(insert_ignoring_duplicates(uow.conn, member_points).values(
        id=new_id(), buyer_id=buyer_id, order_id=ref, kind=PointsKind.BONUS.value,
        points=points, multiplier=1, note=note, at=now))


def post_ugc(cmd: PostUgc, uow: Any, ctx: Context) -> dict[str, Any]:
    row = uow.execute(select(orders.c.buyer_id, orders.c.paid_at, orders.c.status)
                      .where(orders.c.id == cmd.order_id)).first()
    if row is None or row.buyer_id != cmd.buyer_id:
        raise NotFound(f"no order {cmd.order_id}", code="order_not_found")
    if row.paid_at is None or row.status != "paid":
        raise Conflict("only a paid order can be shown off", code="invalid_order_state")
    if cmd.photo_url and not cmd.photo_url.startswith("https://"):
        raise Invalid("photo_url must be an https link", code="invalid_photo_url",
                      field="photo_url")
    pid = new_id()
    new = uow.execute(insert_ignoring_duplicates(uow.conn, ugc_posts).values(
        id=pid, order_id=cmd.order_id, buyer_id=cmd.buyer_id, text=cmd.text,
        photo_url=cmd.photo_url or None, status="pending", created_at=ctx.clock.now())
        .returning(ugc_posts.c.id)).first()
    if new is None:
        raise Conflict("this order has a post already", code="ugc_already_posted")
    uow.commit()
    return {"id": pid, "order_id": cmd.order_id, "status": "pending"}


def review_ugc(cmd: ReviewUgc, uow: Any, ctx: Context) -> dict[str, Any]:
    now = ctx.clock.now()
    post = uow.execute(select(ugc_posts).where(ugc_posts.c.id == cmd.post_id)).first()
    if post is None:
        raise NotFound(f"no post {cmd.post_id}", code="ugc_not_found")
    if cmd.approve and (cmd.points > 0) == (cmd.coupon_id is not None):
        raise Invalid("an approval grants points or a coupon (one of them)",
                      code="reward_required")
    if not 0 <= cmd.points <= MAX_UGC_POINTS:
        raise Invalid(f"points must be 0–{MAX_UGC_POINTS}", field="points")
    p = ugc_posts.c
    status = "approved" if cmd.approve else "rejected"
    took = uow.execute(update(ugc_posts).where(p.id == post.id, p.status == "pending").values(
        status=status, reviewed_by=ctx.actor.id, reviewed_at=now,
        reward_points=cmd.points or None if cmd.approve else None,
        reward_coupon_id=cmd.coupon_id if cmd.approve else None))
    if took.rowcount != 1:
        raise Conflict(f"the post is {post.status} already", code="ugc_already_reviewed")
    if cmd.approve and cmd.points:
        _bonus(uow, post.buyer_id, f"ugc:{post.id}", cmd.points, now, "晒单")
    elif cmd.approve and cmd.coupon_id:
        _grant_coupon(uow, cmd.coupon_id, post.buyer_id, now)
    uow.audit.record(ctx.actor, "members.ugc", target=post.id,
                     before={"status": post.status},
                     after={"status": status, "points": cmd.points, "coupon_id": cmd.coupon_id})
    uow.commit()
    return {"id": post.id, "status": status, "points": cmd.points if cmd.approve else 0,
            "coupon_id": cmd.coupon_id if cmd.approve else None}


def _grant_coupon(uow: Any, coupon_id: str, buyer_id: str, now: Any) -> None:
    c = t.coupons.c
    took = uow.execute(update(t.coupons).where(c.id == coupon_id, c.claimed < c.total,
                                                c.status == "issued")
                       .values(claimed=c.claimed + 1))
    if took.rowcount != 1:
        raise Conflict("the coupon is not issued or has none left", code="coupon_exhausted")
    cc = t.coupon_claims.c
    stmt = dialect_insert(uow.conn, t.coupon_claims).values(
        coupon_id=coupon_id, buyer_id=buyer_id, count=1, used=0, claimed_at=now)
    uow.execute(stmt.on_conflict_do_update(index_elements=[cc.coupon_id, cc.buyer_id],
                                           set_={"count": cc.count + 1}))


def accept_invitation(cmd: AcceptInvitation, uow: Any, ctx: Context) -> dict[str, Any]:
    if cmd.inviter_id == cmd.invitee_id:
        raise Invalid("a buyer cannot invite themselves", code="self_invite")
    seen = uow.execute(select(func.count()).select_from(orders)
                       .where(orders.c.buyer_id == cmd.invitee_id)).scalar_one()
    if seen:
        raise Conflict("only a buyer never seen before can be invited", code="not_new_buyer")
    new = uow.execute(insert_ignoring_duplicates(uow.conn, invitations).values(
        invitee_id=cmd.invitee_id, inviter_id=cmd.inviter_id, created_at=ctx.clock.now(),
        status="pending").returning(invitations.c.invitee_id)).first()
    uow.commit()
    return {"invitee_id": cmd.invitee_id, "accepted": new is not None}


def _phones(uow: Any, *conditions: Any) -> set[str]:
    rows = uow.execute(select(orders.c.contact).where(*conditions, orders.c.contact.is_not(None)))
    return {str(r.contact.get("phone")) for r in rows if r.contact and r.contact.get("phone")}


def _refusal(uow: Any, inv: Any, order: Any) -> str | None:
    """Why this paid order does not earn the inviter a reward (None: it does)."""
    o = orders.c
    earlier = uow.execute(select(func.count()).select_from(orders).where(
        o.buyer_id == order.buyer_id, o.id != order.id,
        (o.created_at < inv.created_at) | (o.paid_at < order.paid_at))).scalar_one()
    if earlier:
        return "not_first_order"
    mine = _phones(uow, o.id == order.id)
    if mine & _phones(uow, o.buyer_id == inv.inviter_id):
        return "same_person"
    if mine & _phones(uow, o.buyer_id != order.buyer_id, o.created_at < order.created_at):
        return "phone_seen"
    return None


def settle_invitation(cmd: SettleInvitation, uow: Any, ctx: Context) -> dict[str, Any]:
    now = ctx.clock.now()
    order = uow.execute(select(orders).where(orders.c.id == cmd.order_id)).first()
    if order is None or order.paid_at is None:
        return {"order_id": cmd.order_id, "status": "none"}
    i = invitations.c
    inv = uow.execute(select(invitations).where(i.invitee_id == order.buyer_id)
                      .with_for_update()).first()
    if inv is None:
        return {"order_id": cmd.order_id, "status": "none"}
    refunded = int(order.refunded_fen or 0) > 0
    ref = f"invite:{inv.invitee_id}"
    if inv.status == "rewarded" and inv.rewarded_order_id == order.id and refunded:
        p = member_points.c
        stmt = dialect_insert(uow.conn, member_points).values(
            id=new_id(), buyer_id=inv.inviter_id, order_id=ref, kind=PointsKind.REVERSE.value,
            points=INVITE_POINTS, multiplier=1, note="邀请订单已退款", at=now)
        uow.execute(stmt.on_conflict_do_nothing(index_elements=[p.buyer_id, p.order_id, p.kind]))
        uow.execute(update(invitations).where(i.invitee_id == inv.invitee_id)
                    .values(status="reversed", reason="refunded", decided_at=now))
        uow.commit()
        return {"order_id": order.id, "status": "reversed"}
    if inv.status != "pending":
        return {"order_id": order.id, "status": inv.status}
    reason = "refunded" if refunded else _refusal(uow, inv, order)
    if reason is not None:
        uow.execute(update(invitations).where(and_(i.invitee_id == inv.invitee_id,
                                                   i.status == "pending"))
                    .values(status="refused", reason=reason, decided_at=now))
        uow.commit()
        return {"order_id": order.id, "status": "refused", "reason": reason}
    uow.execute(update(invitations).where(i.invitee_id == inv.invitee_id).values(
        status="rewarded", rewarded_order_id=order.id, decided_at=now))
    _bonus(uow, inv.inviter_id, ref, INVITE_POINTS, now, "邀请新客")
    uow.commit()
    return {"order_id": order.id, "status": "rewarded", "points": INVITE_POINTS}


