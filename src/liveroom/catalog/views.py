"""Read side of the catalogue: products with their SKUs and selection scores."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import func, select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.product_stats_repo import ProductStatsRepo
from liveroom.adapters.sql.repositories import CatalogRepo
from liveroom.catalog.history import combined, per_show
from liveroom.catalog.model import Product, selection_score
from liveroom.core.clock import as_aware


def product_dict(p: Product, seen: dict[str, int] | None = None) -> dict[str, Any]:
    """`seen` is what our own shows observed; it adds to the imported history."""
    score = selection_score(replace(p, history=combined(p.history, seen)))
    return {
        "id": p.id, "name": p.name, "category": p.category, "tier": p.tier.value,
        "tier_zh": p.tier.zh, "brand": p.brand, "merchant": p.merchant,
        "description": p.description,
        "shipping_regions": p.shipping_regions, "ship_lead_days": p.ship_lead_days,
        "restock_lead_days": p.restock_lead_days, "qualification_docs": p.qualification_docs,
        "needs_qualification": p.needs_qualification, "history": p.history,
        "observed": seen or {},
        "created_at": p.created_at.isoformat(),
        "score": score.value, "score_parts": score.parts, "score_reasons": score.reasons,
        "skus": [{"id": s.id, "code": s.code, "spec": s.spec, "price_fen": s.price_fen,
                  "cost_fen": s.cost_fen, "stock": s.stock, "presale_stock": s.presale_stock,
                  "safety_stock": s.safety_stock} for s in p.skus],
    }


def list_products(conn: Any, *, tier: str | None, category: str | None, limit: int,
                  offset: int, sort: str = "score",
                  merchant: str | None = None) -> dict[str, Any]:
    q = select(t.products.c.id)
    if tier:
        q = q.where(t.products.c.tier == tier)
    if category:
        q = q.where(t.products.c.category == category)
    if merchant:
        q = q.where(t.products.c.merchant == merchant)
    total = conn.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    ids = [r.id for r in conn.execute(q.order_by(t.products.c.created_at, t.products.c.id))]
    seen = ProductStatsRepo(conn).load(ids)
    products = [product_dict(p, seen.get(p.id)) for p in CatalogRepo(conn).load_many(ids)]
    if sort == "score":  # the score is derived, so the sort is too
        products.sort(key=lambda p: -p["score"])
    return {"items": products[offset:offset + limit], "total": total, "limit": limit,
            "offset": offset}


def get_product(conn: Any, product_id: str) -> dict[str, Any]:
    seen = ProductStatsRepo(conn).load([product_id]).get(product_id)
    return product_dict(CatalogRepo(conn).get(product_id), seen)


def trials(conn: Any) -> list[dict[str, Any]]:
    """Which products were tried in which shows and how they did, newest show first."""
    li, ls, sk = t.lineup_items.c, t.live_sessions.c, t.skus.c
    rows = conn.execute(
        select(sk.product_id, li.sku_id, li.live_price_fen, ls.id.label("session_id"),
               ls.title, ls.status, ls.scheduled_start)
        .join(t.lineup_items, li.sku_id == sk.id).join(t.live_sessions,
                                                        ls.id == li.session_id)
        .order_by(ls.scheduled_start.desc(), ls.id)).all()
    if not rows:
        return []
    repo = ProductStatsRepo(conn)
    owner = {r.sku_id: r.product_id for r in rows}
    sold = per_show(repo.sold_lines(sorted({r.session_id for r in rows})), owner)
    shows: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        key = (r.product_id, r.session_id)
        if key not in shows:
            shows[key] = {"product_id": r.product_id, "session_id": r.session_id,
                          "title": r.title, "status": r.status,
                          "scheduled_start": as_aware(r.scheduled_start).isoformat(),
                          "live_price_fen": r.live_price_fen,
                          **sold.get(key, {"orders": 0, "returns": 0, "units": 0,
                                           "amount_fen": 0})}
    for s in shows.values():
        s["return_rate"] = s["returns"] / s["orders"] if s["orders"] else None
    return list(shows.values())
