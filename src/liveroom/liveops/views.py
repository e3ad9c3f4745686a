"""Read side of live-ops intelligence: the console's suggestions (heat-map order, abandoned
carts, bundles, the half-hour host sync) and what the interventions recovered, loaded from
the database and handed to the pure rules of this package."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.schema_liveops import cart_interventions
from liveroom.adapters.sql.schema_orders import orders as orders_table
from liveroom.adapters.sql.schema_tracking import tracking_events
from liveroom.console.pricing import CouponRule, PriceContext
from liveroom.core.clock import as_aware
from liveroom.liveops import abandonment, bundles, heatmap, hostsync
from liveroom.metrics.live import OrderFact
from liveroom.metrics.views import order_facts
from liveroom.tracking.model import EventType

HISTORY_ORDERS = 20_000  # earlier shows' paid orders the bundle rules learn from


def _facts(facts: Sequence[OrderFact]) -> list[abandonment.OrderFact]:
    return [abandonment.OrderFact(o.order_id, o.buyer_id, o.created_at, o.total_fen, o.paid)
            for o in facts]


def abandoned_now(conn: Any, sid: str, now: datetime,
                  after: timedelta) -> list[abandonment.Abandoned]:
    e = tracking_events.c
    carts = [abandonment.Cart(r.buyer_id, r.sku_id, as_aware(r.ts)) for r in conn.execute(
        select(e.buyer_id, e.sku_id, e.ts).where(
            e.session_id == sid, e.type == EventType.ADD_TO_CART.value))]
    return abandonment.abandoned(carts, _facts(order_facts(conn, sid)), now, after)


def to_answer(conn: Any, sid: str, now: datetime,
              after: timedelta) -> list[abandonment.Abandoned]:
    """Abandoned carts no intervention has answered yet."""
    done = [abandonment.Intervention(i["at"], frozenset(i["buyer_ids"]))
            for i in interventions(conn, sid)]
    return abandonment.not_yet_targeted(abandoned_now(conn, sid, now, after), done)


def interventions(conn: Any, sid: str) -> list[dict[str, Any]]:
    c = cart_interventions.c
    return [{"id": r.id, "kind": r.kind, "buyers": len(r.buyer_ids), "buyer_ids": r.buyer_ids,
             "coupon_id": r.coupon_id, "discount_fen": r.discount_fen, "minutes": r.minutes,
             "at": as_aware(r.created_at)}
            for r in conn.execute(select(cart_interventions).where(c.session_id == sid)
                                  .order_by(c.created_at))]


def recovery(conn: Any, sid: str, facts: Sequence[OrderFact] | None = None) -> dict[str, Any]:
    done = interventions(conn, sid)
    gmv, count = abandonment.recovered(
        [abandonment.Intervention(i["at"], frozenset(i["buyer_ids"])) for i in done],
        _facts(order_facts(conn, sid) if facts is None else facts))
    return {"interventions": len(done), "targeted": sum(i["buyers"] for i in done),
            "recovered_gmv_fen": gmv, "recovered_orders": count,
            "last": done[-1] if done else None}


def _last_explained(conn: Any, sid: str) -> dict[str, datetime]:
    a = t.audit_log.c
    out: dict[str, datetime] = {}
    for r in conn.execute(select(a.at, a.after).where(a.session_id == sid,
                                                      a.action == "console.explain")):
        sku = (r.after or {}).get("sku_id")
        if sku:
            out[sku] = max(out.get(sku, as_aware(r.at)), as_aware(r.at))
    return out


def heat(conn: Any, detail: dict[str, Any], metrics: dict[str, Any],
         now: datetime) -> list[dict[str, Any]]:
    per = {p["sku_id"]: p for p in metrics.get("per_product", [])}
    explained = _last_explained(conn, detail["id"])
    products = [heatmap.ProductHeat(
        i["sku_id"], int(per.get(i["sku_id"], {}).get("clicks", 0)),
        int(per.get(i["sku_id"], {}).get("carts", 0)),
        int(per.get(i["sku_id"], {}).get("orders", 0)), int(i["stock"]),
        explained.get(i["sku_id"])) for i in detail["lineup"]]
    names = {i["sku_id"]: f'{i["name"]} {i["spec"]}'.strip() for i in detail["lineup"]}
    return [{"sku_id": s.sku_id, "name": names[s.sku_id], "rank": s.rank, "score": s.score,
             "clicks": s.clicks, "waiting_carts": s.waiting_carts, "reasons": list(s.reasons)}
            for s in heatmap.suggest_order(products, now, detail.get("explaining_sku_id"))]


def host_sync(conn: Any, sid: str, metrics: dict[str, Any], now: datetime,
              tz: str) -> dict[str, Any]:
    timeline = [{**r, "minute": datetime.fromisoformat(r["minute"])}
                for r in metrics.get("timeline", [])]
    lines = [(sku, o.paid_at, qty * unit) for o in order_facts(conn, sid)
             if o.paid and o.paid_at is not None for sku, qty, unit in o.items]
    sync = hostsync.summarise(timeline, lines, now.astimezone(ZoneInfo(tz)))
    return {"start": sync.start, "end": sync.end, "figures": sync.figures,
            "change": {k: sync.change(k) for k in hostsync.SUMMED},
            "online_end": sync.online_end, "top_skus": list(sync.top_skus),
            "next": hostsync.next_sync(now.astimezone(ZoneInfo(tz)))}


def _baskets(conn: Any, sid: str, skus: set[str]) -> list[tuple[frozenset[str], int]]:
    """Paid orders of this show and the latest of earlier ones: (SKUs, total)."""
    o = orders_table.c
    rows = conn.execute(select(o.session_id, o["items"], o.total_fen)
                        .where(o.status.in_(("paid", "refunded")), o.paid_at.is_not(None))
                        .order_by(o.created_at.desc()).limit(HISTORY_ORDERS)).all()
    out = []
    for r in rows:
        basket = frozenset(i["sku_id"] for i in r.items or [])
        if basket & skus:
            out.append((basket, int(r.total_fen)))
    return out


def bundle_suggestions(conn: Any, detail: dict[str, Any], limit: int = 3,
                       ) -> list[dict[str, Any]]:
    lineup = {i["sku_id"]: i for i in detail["lineup"]}
    baskets = _baskets(conn, detail["id"], set(lineup))
    c = t.coupons.c
    coupons = tuple(CouponRule(r.id, int(r.discount_fen), int(r.threshold_fen), r.sku_id)
                    for r in conn.execute(select(c.id, c.discount_fen, c.threshold_fen,
                                                 c.sku_id).where(c.session_id == detail["id"],
                                                                 c.status == "issued")))
    out = []
    for rule in bundles.rules(b for b, _ in baskets):
        if not set(rule.skus) <= set(lineup):
            continue
        items = [lineup[s] for s in rule.skus]
        priced = [bundles.PricedSku(i["sku_id"], int(i["live_price_fen"]), PriceContext(
            int(i["list_price_fen"]), int(i["cost_fen"]), int(i["planned_price_fen"]),
            i["floor_price_fen"], int(detail["max_price_drop_pct"])),
            tuple(cp for cp in coupons if cp.sku_id in (None, i["sku_id"]))) for i in items]
        price = bundles.bundle_price(priced)
        if not price.price_fen:
            continue
        with_pair, without, uplift = bundles.aov_uplift(baskets, rule.skus)
        out.append({"skus": list(rule.skus), "names": [i["name"] for i in items],
                    "support": rule.support, "confidence": rule.confidence,
                    "lift": rule.lift, "together": rule.together,
                    "list_total_fen": price.list_total_fen, "price_fen": price.price_fen,
                    "discount_pct": price.discount_pct, "aov_with_fen": with_pair,
                    "aov_without_fen": without, "aov_uplift": uplift})
        if len(out) == limit:
            break
    return out
