"""Read side of members: purchase histories from paid orders, tiers, points balances, RFM,
the member list and one member's points history; the member price a buyer gets."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select

from liveroom.adapters.sql.schema_crm import member_points, member_prices
from liveroom.adapters.sql.schema_orders import orders
from liveroom.aftersales.views import mask_buyer
from liveroom.core.clock import as_aware
from liveroom.core.errors import Invalid, NotFound
from liveroom.crm.model import (
    SEGMENT_LABELS,
    BuyerHistory,
    PointsEntry,
    PointsKind,
    Segment,
    TierRules,
    replay,
    rfm_scores,
)
from liveroom.orders.model import mask_phone

EXPORT_COLUMNS = ["buyer", "buyer_id", "tier", "points", "segment", "r", "f", "m", "orders",
                  "spent_fen", "last_paid_at", "phone"]


def _net() -> Any:
    return orders.c.total_fen - orders.c.refunded_fen


def histories(conn: Any, rules: TierRules, now: datetime,
              buyer_id: str | None = None) -> dict[str, tuple[BuyerHistory, int, int]]:
    """Per buyer with a paid order not refunded in full: the lifetime history (for RFM) and
    the orders and fen within the tier window (for the tier)."""
    since = now - timedelta(days=rules.window_days)
    recent = orders.c.paid_at >= since
    q = (select(orders.c.buyer_id, func.max(orders.c.paid_at), func.count(),
                func.sum(_net()), func.sum(case((recent, 1), else_=0)),
                func.sum(case((recent, _net()), else_=0)))
         .where(orders.c.paid_at.is_not(None), _net() > 0, orders.c.test.is_(False))
         .group_by(orders.c.buyer_id))
    if buyer_id is not None:
        q = q.where(orders.c.buyer_id == buyer_id)
    return {r[0]: (BuyerHistory(r[0], as_aware(r[1]), int(r[2]), int(r[3])), int(r[4]), int(r[5]))
            for r in conn.execute(q)}


def buyer_tier(conn: Any, rules: TierRules, buyer_id: str, now: datetime) -> str | None:
    row = histories(conn, rules, now, buyer_id).get(buyer_id)
    return None if row is None else rules.tier_for(row[1], row[2])


def points_entries(conn: Any, buyer_ids: list[str]) -> dict[str, list[PointsEntry]]:
    p = member_points.c
    q = select(p.buyer_id, p.kind, p.order_id, p.points, p.at).where(p.buyer_id.in_(buyer_ids))
    out: dict[str, list[PointsEntry]] = defaultdict(list)
    for r in conn.execute(q):
        out[r.buyer_id].append(PointsEntry(r.kind, r.order_id, int(r.points), as_aware(r.at)))
    return out


def _contacts(conn: Any, buyer_ids: list[str]) -> dict[str, dict[str, Any] | None]:
    """Each buyer's latest contact (name, phone) from their orders."""
    out: dict[str, dict[str, Any] | None] = {}
    rows = conn.execute(select(orders.c.buyer_id, orders.c.contact)
                        .where(orders.c.buyer_id.in_(buyer_ids), orders.c.contact.is_not(None))
                        .order_by(orders.c.created_at))
    for r in rows:
        out[r.buyer_id] = r.contact
    return out


def _member(rules: TierRules, history: tuple[BuyerHistory, int, int], rfm: Any
            ) -> dict[str, Any]:
    h, window_orders, window_spent = history
    tier = rules.tier_for(window_orders, window_spent)
    return {"buyer_id": h.buyer_id, "tier": tier, "tier_label": rules.label(tier) if tier else None,
            "rfm": rfm.to_dict(),
            "segment_label": SEGMENT_LABELS[rfm.segment], "orders": h.orders,
            "spent_fen": h.spent_fen, "last_paid_at": h.last_paid_at.isoformat()}


def members(conn: Any, rules: TierRules, now: datetime, *, tier: str | None = None,
            segment: str | None = None) -> list[dict[str, Any]]:
    """Every member, filtered, most valuable first. RFM scores need the whole population,
    so the list is built in full and paginated by the caller."""
    if tier is not None:
        rules.rank(tier)
    if segment is not None and segment not in {s.value for s in Segment}:
        raise Invalid(f"segment must be one of {[s.value for s in Segment]}",
                      code="unknown_segment", field="segment")
    hist = histories(conn, rules, now)
    scores = rfm_scores([h[0] for h in hist.values()], now)
    out = [_member(rules, hist[b], scores[b]) for b in hist]
    out = [m for m in out if (tier is None or m["tier"] == tier)
           and (segment is None or m["rfm"]["segment"] == segment)]
    out.sort(key=lambda m: (-m["spent_fen"], m["buyer_id"]))
    return out


def _named(conn: Any, chosen: list[dict[str, Any]], now: datetime
           ) -> dict[str, dict[str, Any] | None]:
    """Adds each member's masked name and points balance (the ledger and the contacts are
    read for these members only); returns their contacts."""
    ids = [m["buyer_id"] for m in chosen]
    contacts = _contacts(conn, ids) if chosen else {}
    entries = points_entries(conn, ids) if chosen else {}
    for m in chosen:
        m["display_name"] = mask_buyer(m["buyer_id"], contacts.get(m["buyer_id"]))
        m["points"] = replay(entries.get(m["buyer_id"], []), now).points
    return contacts


def page(conn: Any, rules: TierRules, now: datetime, *, tier: str | None, segment: str | None,
         limit: int, offset: int) -> dict[str, Any]:
    everyone = members(conn, rules, now, tier=tier, segment=segment)
    items = everyone[offset:offset + limit]
    _named(conn, items, now)
    return {"items": items, "total": len(everyone), "limit": limit, "offset": offset}


def member(conn: Any, rules: TierRules, now: datetime, buyer_id: str) -> dict[str, Any]:
    hist = histories(conn, rules, now)
    if buyer_id not in hist:
        raise NotFound(f"no member {buyer_id}", code="member_not_found")
    scores = rfm_scores([h[0] for h in hist.values()], now)
    out = _member(rules, hist[buyer_id], scores[buyer_id])
    _named(conn, [out], now)
    entries = points_entries(conn, [buyer_id]).get(buyer_id, [])
    out["points_history"] = points_history(conn, buyer_id, entries, now)
    return out


def points_history(conn: Any, buyer_id: str, entries: list[PointsEntry],
                   now: datetime) -> list[dict[str, Any]]:
    """The ledger's rows and the lapses the replay found, newest first; signed points."""
    p = member_points.c
    rows = conn.execute(select(p.kind, p.order_id, p.points, p.multiplier, p.note, p.at)
                        .where(p.buyer_id == buyer_id)).all()
    sign = {PointsKind.EARN: 1, PointsKind.BONUS: 1, PointsKind.REVERSE: -1,
            PointsKind.SPEND: -1}
    out = [{"kind": r.kind, "ref": r.order_id, "points": sign[PointsKind(r.kind)] * int(r.points),
            "multiplier": r.multiplier, "note": r.note, "at": as_aware(r.at).isoformat()}
           for r in rows]
    out += [{"kind": "expire", "ref": e.ref, "points": -e.points, "multiplier": 1, "note": None,
             "at": e.at.isoformat()} for e in replay(entries, now).expired]
    out.sort(key=lambda x: x["at"], reverse=True)
    return out


def export_rows(conn: Any, rules: TierRules, now: datetime, *, tier: str | None,
                segment: str | None, see_personal: bool) -> list[list[Any]]:
    """One row per member; the name and phone masked unless the reader may see them."""
    out = []
    everyone = members(conn, rules, now, tier=tier, segment=segment)
    contacts = _named(conn, everyone, now)
    for m in everyone:
        contact = contacts.get(m["buyer_id"]) or {}
        phone = contact.get("phone") or ""
        name = (contact.get("name") or "") if see_personal else m["display_name"]
        out.append([name, m["buyer_id"], m["tier_label"] or "", m["points"], m["segment_label"],
                    m["rfm"]["r"], m["rfm"]["f"], m["rfm"]["m"], m["orders"], m["spent_fen"],
                    m["last_paid_at"], phone if see_personal else mask_phone(phone) or ""])
    return out


def member_prices_of(conn: Any, session_id: str) -> dict[str, dict[str, int]]:
    """sku_id -> {tier: price_fen} for a show."""
    mp = member_prices.c
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in conn.execute(select(mp.sku_id, mp.tier, mp.price_fen)
                          .where(mp.session_id == session_id)):
        out[r.sku_id][r.tier] = int(r.price_fen)
    return out


def price_for_tier(rules: TierRules, prices: dict[str, int], tier: str | None
                   ) -> tuple[str, int] | None:
    """The lowest member price a buyer of `tier` may take: a price set for a tier is for that
    tier and every higher one (a 钻石 member is a 金卡 member too). None: no member price."""
    if tier is None:
        return None
    mine = rules.rank(tier)
    known = [(p, t) for t, p in prices.items() if t in rules.codes and rules.rank(t) <= mine]
    if not known:
        return None
    price, which = min(known)
    return which, price


def new_vs_returning(conn: Any, session_id: str, since: datetime) -> dict[str, Any]:
    """The show's paying buyers split by whether they had paid before `since` (the show's
    start): returning members and new buyers, with the GMV each brought."""
    o = orders.c
    mine = conn.execute(select(o.buyer_id, func.sum(_net())).where(
        o.session_id == session_id, o.paid_at.is_not(None), _net() > 0)
        .group_by(o.buyer_id)).all()
    ids = [r[0] for r in mine]
    before = set(conn.execute(select(o.buyer_id).distinct().where(
        o.buyer_id.in_(ids), o.session_id != session_id, o.paid_at.is_not(None),
        o.paid_at < since, _net() > 0)).scalars()) if ids else set()
    out: dict[str, Any] = {"new": {"buyers": 0, "gmv_fen": 0},
                           "returning": {"buyers": 0, "gmv_fen": 0}}
    for buyer, fen in mine:
        side = out["returning" if buyer in before else "new"]
        side["buyers"] += 1
        side["gmv_fen"] += int(fen or 0)
    total = len(mine)
    out["returning_share"] = out["returning"]["buyers"] / total if total else None
    return out
