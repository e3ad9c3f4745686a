"""Offline evaluation of the member recommendations (crm/recommend.py): for every buyer with
two or more purchases the last one is hidden, five products are recommended from the rest,
and a hit is the hidden product among them. Popularity (the best sellers the buyer has not
bought) is the baseline.

The purchase history is generated, in two worlds, from a seed:
- `taste`: the usual latent-taste model of shop data. 10 categories × 12 products; product
  popularity is Zipf (s = 1.1) inside its category and categories differ in size (Zipf
  s = 0.7); each buyer draws category tastes from a Dirichlet (α = 0.3, so most buyers lean
  on one to three categories) and a number of purchases from 1 + Geometric(0.3); every
  purchase picks a category from the buyer's taste, then a product by popularity, and 15 %
  of purchases repeat a product the buyer already has (consumables). No product pairs are
  planted: whatever co-purchase the recommender finds comes from shared taste only.
- `uniform`: the same, but every buyer's taste is the overall category mix (no personal
  taste at all): a control where personalisation has nothing to find and should not beat
  popularity by much.

    .venv/bin/python -m bench.recommend_eval --buyers 5000 --seed 7
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta

from liveroom.crm.community import Purchase
from liveroom.crm.recommend import CO_PURCHASE_WEIGHT, PRIOR_PURCHASES, evaluate

START = datetime(2026, 1, 1, tzinfo=UTC)
CATEGORIES = 10
PER_CATEGORY = 12
# the shipped blend, and each half alone (ablation): a prior of 1e9 purchases means no
# personal taste (the overall mix), so only co-purchase personalises
VARIANTS = {
    "blend (shipped)": {"prior": PRIOR_PURCHASES, "co_weight": CO_PURCHASE_WEIGHT},
    "category only": {"prior": PRIOR_PURCHASES, "co_weight": 0.0},
    "co-purchase only": {"prior": 1e9, "co_weight": CO_PURCHASE_WEIGHT},
}


def _zipf(n: int, s: float) -> list[float]:
    return [1 / (i + 1) ** s for i in range(n)]


def generate(buyers: int, seed: int, personal: bool) -> list[Purchase]:
    rng = random.Random(seed)
    cat_weight = _zipf(CATEGORIES, 0.7)
    in_cat = _zipf(PER_CATEGORY, 1.1)
    # products are shuffled inside each category so that ids carry no rank
    names = {c: rng.sample(range(PER_CATEGORY), PER_CATEGORY) for c in range(CATEGORIES)}
    out: list[Purchase] = []
    for b in range(buyers):
        if personal:
            raw = [rng.gammavariate(0.3, 1) for _ in range(CATEGORIES)]
            taste = [r * w for r, w in zip(raw, cat_weight, strict=True)]
        else:
            taste = cat_weight
        n = 1
        while rng.random() > 0.3:
            n += 1
        at = START + timedelta(days=rng.uniform(0, 60))
        owned: list[str] = []
        for _ in range(n):
            if owned and rng.random() < 0.15:
                product = rng.choice(owned)
                cat = product.split("-")[0]
            else:
                c = rng.choices(range(CATEGORIES), weights=taste)[0]
                rank = rng.choices(range(PER_CATEGORY), weights=in_cat)[0]
                cat, product = f"c{c}", f"c{c}-p{names[c][rank]}"
            owned.append(product)
            out.append(Purchase(f"b{b}", product, cat, at))
            at += timedelta(days=rng.uniform(1, 40))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--buyers", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    print(f"{'world':8} {'variant':16} {'buyers≥2':>9} {'hit@5':>7} {'popular@5':>10} "
          f"{'repeats':>8} {'s':>6}")
    for world, personal in (("taste", True), ("uniform", False)):
        purchases = generate(args.buyers, args.seed, personal)
        for variant, weights in VARIANTS.items():
            t0 = time.perf_counter()
            ev = evaluate(purchases, 5, **weights)
            took = time.perf_counter() - t0
            print(f"{world:8} {variant:16} {ev.buyers:9d} {ev.hit_rate:7.3f} "
                  f"{ev.baseline_hit_rate:10.3f} {ev.repeats / ev.buyers:8.3f} {took:6.2f}")


if __name__ == "__main__":
    main()
