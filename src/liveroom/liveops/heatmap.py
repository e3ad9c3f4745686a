"""Heat-map ordering (热度排品): which products the host should explain next, in which
order, and why, from the live clicks and carts per product. Pure.

A product's heat is its clickers plus three times its *waiting carts* (buyers who carted it
but have not ordered it: the host's explanation is what converts them). A product never
explained yet weighs half as much again (nobody has heard its pitch); one explained in the
last `RECENT` minutes weighs half (its pitch is fresh). The product on screen now and those
sold out are not suggested."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

CART_WEIGHT = 3
NEVER_EXPLAINED_BOOST = 1.5
RECENTLY_EXPLAINED_DAMPING = 0.5
RECENT = timedelta(minutes=10)
# reason codes, most important first (labels in entrypoints/api/web_labels.py)
REASONS = ("carts_waiting", "many_clicks", "never_explained", "explained_recently")


@dataclass(frozen=True)
class ProductHeat:
    sku_id: str
    clicks: int  # buyers who clicked the product
    carts: int  # buyers who carted it
    orders: int  # buyers who ordered it
    stock: int | None = None  # units left; None = not tracked
    last_explained: datetime | None = None


@dataclass(frozen=True)
class Suggestion:
    sku_id: str
    rank: int
    score: float
    waiting_carts: int
    clicks: int
    reasons: tuple[str, ...]


def waiting_carts(p: ProductHeat) -> int:
    return max(0, p.carts - p.orders)


def score(p: ProductHeat, now: datetime) -> float:
    base = float(p.clicks + CART_WEIGHT * waiting_carts(p))
    if p.last_explained is None:
        return base * NEVER_EXPLAINED_BOOST
    if now - p.last_explained < RECENT:
        return base * RECENTLY_EXPLAINED_DAMPING
    return base


def _reasons(p: ProductHeat, now: datetime) -> tuple[str, ...]:
    out = []
    waiting = waiting_carts(p)
    if waiting:
        out.append("carts_waiting")
    if p.clicks > CART_WEIGHT * waiting:  # the clicks weigh more than the waiting carts
        out.append("many_clicks")
    if p.last_explained is None:
        out.append("never_explained")
    elif now - p.last_explained < RECENT:
        out.append("explained_recently")
    return tuple(out)


def suggest_order(products: Sequence[ProductHeat], now: datetime, on_screen: str | None,
                  limit: int = 5) -> list[Suggestion]:
    """The next products to explain, hottest first (ties: more waiting carts, then the
    lineup's order). Products nobody has clicked or carted are not suggested."""
    candidates = [(i, p) for i, p in enumerate(products)
                  if p.sku_id != on_screen and (p.stock is None or p.stock > 0)
                  and (p.clicks or p.carts)]
    ranked = sorted(candidates, key=lambda ip: (-score(ip[1], now), -waiting_carts(ip[1]),
                                                ip[0]))
    return [Suggestion(p.sku_id, rank, round(score(p, now), 2), waiting_carts(p), p.clicks,
                       _reasons(p, now))
            for rank, (_, p) in enumerate(ranked[:limit], start=1)]
