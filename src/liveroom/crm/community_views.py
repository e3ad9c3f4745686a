"""Read side of the community team's lists: interest groups by category bought, the
repurchase reminders coming due (from the pure rules in community.py) and a member's
recommended products (recommend.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.schema_orders import orders
from liveroom.aftersales.views import mask_buyer
from liveroom.core.clock import as_aware
from liveroom.crm.community import Purchase, interest_groups, repurchase_due
from liveroom.crm.recommend import Recommender


def _purchases(conn: Any) -> tuple[list[Purchase], dict[str, str], dict[str, Any]]:
    """Every SKU line of a paid order not refunded in full, as a purchase of its product;
    with product names and each buyer's latest contact (for the masked name)."""
    rows = conn.execute(select(orders.c.buyer_id, orders.c["items"], orders.c.paid_at,
                               orders.c.contact)
                        .where(orders.c.paid_at.is_not(None), orders.c.test.is_(False),
                               orders.c.total_fen > orders.c.refunded_fen)
                        .order_by(orders.c.paid_at)).all()
    sku_ids = {i["sku_id"] for r in rows for i in r.items if i.get("sku_id")}
    products = {r.id: (r.product_id, r.name, r.category) for r in conn.execute(
        select(t.skus.c.id, t.skus.c.product_id, t.products.c.name, t.products.c.category)
        .join(t.products, t.products.c.id == t.skus.c.product_id)
        .where(t.skus.c.id.in_(sku_ids)))} if sku_ids else {}
    bought, names, contacts = [], {}, {}
    for r in rows:
        if r.contact:
            contacts[r.buyer_id] = r.contact
        for item in r.items:
            found = products.get(item.get("sku_id"))
            if found is not None:
                bought.append(Purchase(r.buyer_id, found[0], found[2], as_aware(r.paid_at)))
                names[found[0]] = found[1]
    return bought, names, contacts


def groups(conn: Any, min_orders: int = 1) -> list[dict[str, Any]]:
    bought, _, contacts = _purchases(conn)
    out = []
    for category, members in interest_groups(bought, min_orders).items():
        people = sorted(members.items(), key=lambda kv: (-kv[1], kv[0]))
        out.append({"category": category, "size": len(people), "members": [
            {"buyer_id": b, "display_name": mask_buyer(b, contacts.get(b)), "purchases": n}
            for b, n in people]})
    return sorted(out, key=lambda g: (-g["size"], g["category"]))


def reminders(conn: Any, now: datetime, within_days: int) -> list[dict[str, Any]]:
    """Repurchase reminders due before now + within_days (overdue ones included)."""
    bought, names, contacts = _purchases(conn)
    until = now + timedelta(days=within_days)
    return [{"buyer_id": d.buyer_id, "display_name": mask_buyer(d.buyer_id,
                                                                 contacts.get(d.buyer_id)),
             "product_id": d.product_id, "product_name": names[d.product_id],
             "last_bought_at": d.last_at.isoformat(),
             "interval_days": round(d.interval.total_seconds() / 86400, 1),
             "due_at": d.due_at.isoformat(), "overdue": d.due_at < now}
            for d in repurchase_due(bought) if d.due_at <= until]


def recommendations(conn: Any, buyer_id: str, k: int = 5) -> list[dict[str, Any]]:
    """Products to offer this member next (crm/recommend.py), fitted on every paid purchase;
    a buyer without history gets the best sellers."""
    bought, names, _ = _purchases(conn)
    model = Recommender.fit(bought)
    history = [p.product_id for p in bought if p.buyer_id == buyer_id]
    return [{"product_id": s.product_id, "product_name": names[s.product_id],
             "category": model.category_of[s.product_id], "score": s.score, "reason": s.reason}
            for s in model.recommend(history, k)]
