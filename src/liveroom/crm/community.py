"""Community groups by interest (the categories a member bought) and repurchase due dates
(per product, the median interval between a buyer's repeat purchases). Pure: no I/O."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from statistics import median


@dataclass(frozen=True)
class Purchase:
    buyer_id: str
    product_id: str
    category: str
    at: datetime


@dataclass(frozen=True)
class Due:
    buyer_id: str
    product_id: str
    last_at: datetime
    interval: timedelta
    due_at: datetime


def interest_groups(purchases: Iterable[Purchase], min_orders: int = 1
                    ) -> dict[str, dict[str, int]]:
    """category -> {buyer: purchases in it}, for buyers with at least min_orders there."""
    groups: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p in purchases:
        groups[p.category][p.buyer_id] += 1
    return {cat: {b: n for b, n in members.items() if n >= min_orders}
            for cat, members in groups.items()
            if any(n >= min_orders for n in members.values())}


def repeat_intervals(purchases: Iterable[Purchase]) -> dict[str, timedelta]:
    """product -> the median gap between one buyer's consecutive purchases of it (buyers
    who bought it once add nothing; purchases less than a day apart are one purchase)."""
    days: dict[tuple[str, str], set[datetime]] = defaultdict(set)
    for p in purchases:
        days[(p.buyer_id, p.product_id)].add(p.at)
    gaps: dict[str, list[float]] = defaultdict(list)
    for (_, product), moments in days.items():
        ordered = sorted(moments)
        gaps[product] += [(b - a).total_seconds() for a, b in pairwise(ordered)
                          if (b - a) >= timedelta(days=1)]
    return {product: timedelta(seconds=median(g)) for product, g in gaps.items() if g}


def repurchase_due(purchases: Iterable[Purchase],
                   stated: dict[str, timedelta] | None = None) -> list[Due]:
    """For each buyer and product with a known interval (observed, else the product's stated
    usage period): the last purchase plus the interval, soonest first."""
    bought = list(purchases)
    intervals = {**(stated or {}), **repeat_intervals(bought)}
    last: dict[tuple[str, str], datetime] = {}
    for p in bought:
        key = (p.buyer_id, p.product_id)
        last[key] = max(last.get(key, p.at), p.at)
    out = [Due(b, prod, at, intervals[prod], at + intervals[prod])
           for (b, prod), at in last.items() if prod in intervals]
    return sorted(out, key=lambda d: (d.due_at, d.buyer_id, d.product_id))
