"""Returning members for the demo: part of the simulated audience bought before, in the
previous shop system, over the year before the show. Each member leans on one or two
categories of the demo catalogue, buys 1 + Geometric(0.35) orders, and buys consumables
again every 3–8 weeks; the history is imported (crm/history.py) before the show starts."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from liveroom.crm.commands import PastPurchase
from liveroom.simulator import demo_data as d

RETURNING_SHARE = 0.15
CONSUMABLES = {"食品", "零食", "饮料", "美妆", "家居"}


def past_purchases(prefix: str, viewers: int, sku_ids: list[str], show_start: datetime,
                   seed: int, share: float = RETURNING_SHARE) -> list[PastPurchase]:
    rng = random.Random(seed * 7919 + 13)
    catalogue = list(zip(sku_ids, d.CATALOGUE, strict=False))
    by_category: dict[str, list[tuple[str, int]]] = {}
    for sku, (_, category, _, _, _, _, live) in catalogue:
        by_category.setdefault(category, []).append((sku, d.fen(live)))
    categories = sorted(by_category)
    out: list[PastPurchase] = []
    for i in rng.sample(range(viewers), int(viewers * share)):
        buyer = f"{prefix}-{i:05d}"
        liked = rng.sample(categories, k=min(len(categories), rng.choice((1, 1, 2))))
        n = 1
        while rng.random() > 0.35 and n < 12:
            n += 1
        at = show_start - timedelta(days=rng.uniform(30, 360))
        for k in range(n):
            sku, price = rng.choice(by_category[rng.choice(liked)])
            out.append(PastPurchase(f"{buyer}-{k}", buyer, sku, 1, price, at))
            category = next(c for c, items in by_category.items() if (sku, price) in items)
            gap = rng.uniform(21, 56) if category in CONSUMABLES else rng.uniform(40, 120)
            at += timedelta(days=gap)
            if at >= show_start - timedelta(days=1):
                break
    return out
