"""What a viewer sees in the live room's product bag (小黄车): listed products at their
live price, "仅剩 N 件" when stock runs low, running flash sales with what remains, the
issued coupons, the product being explained and the pinned announcement."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.repositories import SessionRepo
from liveroom.comments.views import recent_replies
from liveroom.core.clock import as_aware
from liveroom.crm.pricing import MemberPricing
from liveroom.planning.model import Status
from liveroom.planning.views import lineup_view

LOW_STOCK = 50  # below this the bag shows the count, as the platforms do


def stock_label(stock: int, safety: int = 0) -> str:
    if stock <= 0:
        return "已抢光 sold out"
    if stock <= max(LOW_STOCK, safety):
        return f"仅剩 {stock} 件 only {stock} left"
    return "现货 in stock"


def units_left(stock: int) -> int | None:
    """The count the bag shows ("仅剩 N 件"), or None while there is plenty."""
    return max(0, stock) if stock <= LOW_STOCK else None


def _iso(at: datetime | None) -> str | None:
    return None if at is None else as_aware(at).isoformat()


def shelf(conn: Any, sid: str, remaining: dict[str, int], buyer_id: str | None = None,
          now: datetime | None = None) -> dict[str, Any]:
    """`remaining` maps live flash sales to what the stock ledger says is left. A signed-in
    buyer also sees the member price of their tier, where one beats the live price."""
    session = SessionRepo(conn).get(sid)
    lineup = lineup_view(conn, sid)
    names = {i["sku_id"]: i["name"] for i in lineup}
    if session.status in (Status.PLANNED, Status.REHEARSAL):
        items: list[dict[str, Any]] = []
    else:
        items = [{"sku_id": i["sku_id"], "name": i["name"], "spec": i["spec"],
                  "price_fen": i["live_price_fen"], "list_price_fen": i["list_price_fen"],
                  "stock_label": stock_label(i["stock"]), "left": units_left(i["stock"]),
                  "position": i["position"],
                  "explaining": i["sku_id"] == session.explaining_sku_id
                  and session.status != Status.ENDED}
                 for i in lineup if i["listed"]]
        if buyer_id is not None and now is not None:
            _member_prices(conn, sid, buyer_id, now, items)
    fs = t.flash_sales.c
    flash: list[dict[str, Any]] = []
    upcoming: list[dict[str, Any]] = []
    for r in conn.execute(select(t.flash_sales).where(
            fs.session_id == sid, fs.status.in_(("live", "created"))).order_by(fs.created_at)):
        if r.status == "created" and (r.starts_at is None or now is None
                                      or as_aware(r.starts_at) <= now):
            continue  # not announced: no time to count down to
        left = remaining.get(r.id, r.quantity - r.sold)
        sale = {"id": r.id, "sku_id": r.sku_id, "name": names.get(r.sku_id, ""),
                "price_fen": r.price_fen, "per_buyer_limit": r.per_buyer_limit,
                "quantity": r.quantity, "remaining": left, "stock_label": stock_label(left),
                "left": units_left(left), "started_at": _iso(r.started_at),
                "starts_at": _iso(r.starts_at)}
        (flash if r.status == "live" else upcoming).append(sale)
    c = t.coupons.c
    coupons = [{"id": r.id, "name": r.name, "kind": r.kind, "threshold_fen": r.threshold_fen,
                "discount_fen": r.discount_fen, "left": max(0, r.total - r.claimed),
                "valid_until": _iso(r.valid_until)}
               for r in conn.execute(select(t.coupons).where(
                   c.session_id == sid, c.status == "issued", c.code.is_(None))).all()]
    a = t.announcements.c
    pinned = conn.execute(select(a.text).where(a.session_id == sid, a.pinned.is_(True))
                          .order_by(a.created_at.desc()).limit(1)).scalar()
    return {"session_id": sid, "title": session.title, "status": session.status.value,
            "items": items, "flash_sales": flash, "flash_upcoming": upcoming,
            "coupons": coupons,
            "announcement": pinned,
            # the operators' latest answers, said in the room (who asked, what, the answer)
            "replies": [{"nickname": r["nickname"], "question": r["comment_text"],
                         "text": r["text"], "at": r["created_at"]}
                        for r in recent_replies(conn, sid, 5)]}


def _member_prices(conn: Any, sid: str, buyer_id: str, now: datetime,
                   items: list[dict[str, Any]]) -> None:
    member = MemberPricing(conn, sid, buyer_id, now)
    for item in items:
        found = member.offer(item["sku_id"], item["price_fen"])
        if found is not None:
            item.update(member_price_fen=found[1], member_tier=found[0],
                        member_label=member.tier_label(found[0]))
