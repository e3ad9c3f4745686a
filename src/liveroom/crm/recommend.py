"""Personalised recommendations from purchase history: co-purchase (products bought by the
same buyers, cosine-normalised so that a best-seller does not co-occur with everything) and
category affinity (the buyer's share of purchases in a category times the product's
popularity inside it), with overall popularity as the fallback and as the baseline the
offline evaluation compares against. Pure: no I/O."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import sqrt

from liveroom.crm.community import Purchase

PRIOR_PURCHASES = 4.0  # how many purchases' worth of the overall category mix a taste starts from
CO_PURCHASE_WEIGHT = 0.2  # co-purchase beside the taste estimate; see docs/benchmarks.md


@dataclass(frozen=True)
class Suggestion:
    product_id: str
    score: float
    reason: str  # co_purchase | category | popular


@dataclass
class Recommender:
    """Fitted once from every purchase. A buyer's next purchase is scored as
    P(category | buyer) × P(product | category), the buyer's category shares smoothed
    towards the overall mix by PRIOR_PURCHASES (a buyer with no history gets popularity),
    plus the cosine co-purchase similarity to what the buyer has bought."""

    popularity: Counter[str]
    category_of: dict[str, str]
    co_bought: dict[str, Counter[str]]
    buyers_of: Counter[str]  # product -> distinct buyers
    ranked: list[tuple[str, int]]  # best sellers first
    category_share: dict[str, float]  # of all purchases
    share_in_category: dict[str, float]  # product -> its share of its category's purchases
    prior: float = PRIOR_PURCHASES
    co_weight: float = CO_PURCHASE_WEIGHT

    @classmethod
    def fit(cls, purchases: Iterable[Purchase], prior: float = PRIOR_PURCHASES,
            co_weight: float = CO_PURCHASE_WEIGHT) -> Recommender:
        popularity: Counter[str] = Counter()
        category_of: dict[str, str] = {}
        baskets: dict[str, set[str]] = defaultdict(set)
        for p in purchases:
            popularity[p.product_id] += 1
            category_of[p.product_id] = p.category
            baskets[p.buyer_id].add(p.product_id)
        co_bought: dict[str, Counter[str]] = defaultdict(Counter)
        buyers_of: Counter[str] = Counter()
        for basket in baskets.values():
            for a in basket:
                buyers_of[a] += 1
                for b in basket:
                    if a != b:
                        co_bought[a][b] += 1
        per_category: Counter[str] = Counter()
        for product, n in popularity.items():
            per_category[category_of[product]] += n
        total = sum(popularity.values()) or 1
        return cls(popularity, category_of, dict(co_bought), buyers_of,
                   sorted(popularity.items(), key=lambda kv: (-kv[1], kv[0])),
                   {c: n / total for c, n in per_category.items()},
                   {p: n / per_category[category_of[p]] for p, n in popularity.items()},
                   prior, co_weight)

    def popular(self, k: int, exclude: Iterable[str] = ()) -> list[Suggestion]:
        """The baseline: the best-selling products the buyer has not bought."""
        skip = set(exclude)
        out: list[Suggestion] = []
        for p, n in self.ranked:
            if p not in skip:
                out.append(Suggestion(p, float(n), "popular"))
                if len(out) == k:
                    break
        return out

    def recommend(self, history: Sequence[str], k: int = 5) -> list[Suggestion]:
        """Top k products the buyer has not bought, from their purchased product ids."""
        owned = set(history)
        if not owned:
            return self.popular(k)
        mine = Counter(self.category_of[p] for p in history if p in self.category_of)
        known = sum(mine.values())
        taste = {c: (mine[c] + self.prior * share) / (known + self.prior)
                 for c, share in self.category_share.items()}
        scores = {p: taste[self.category_of[p]] * share
                  for p, share in self.share_in_category.items() if p not in owned}
        reasons = {p: "category" if mine[self.category_of[p]] else "popular" for p in scores}
        for a in owned:
            for b, n in self.co_bought.get(a, {}).items():
                if b not in owned:
                    scores[b] += self.co_weight * n / sqrt(self.buyers_of[a]
                                                               * self.buyers_of[b]) / len(owned)
                    reasons[b] = "co_purchase"
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [Suggestion(p, round(s, 4), reasons[p]) for p, s in ranked]


@dataclass(frozen=True)
class Evaluation:
    buyers: int
    hits: int
    baseline_hits: int
    repeats: int  # held-out purchases of a product the buyer already had (a miss for both)

    @property
    def hit_rate(self) -> float:
        return self.hits / self.buyers if self.buyers else 0.0

    @property
    def baseline_hit_rate(self) -> float:
        return self.baseline_hits / self.buyers if self.buyers else 0.0


def holdout(purchases: Sequence[Purchase]) -> tuple[list[Purchase], dict[str, Purchase]]:
    """Leave-last-out: each buyer's latest purchase is hidden when they have two or more;
    returns (what the model may see, the hidden purchase per buyer)."""
    by_buyer: dict[str, list[Purchase]] = defaultdict(list)
    for p in purchases:
        by_buyer[p.buyer_id].append(p)
    seen: list[Purchase] = []
    hidden: dict[str, Purchase] = {}
    for buyer, bought in by_buyer.items():
        ordered = sorted(bought, key=lambda p: (p.at, p.product_id))
        if len(ordered) >= 2:
            hidden[buyer] = ordered[-1]
            ordered = ordered[:-1]
        seen += ordered
    return seen, hidden


def evaluate(purchases: Sequence[Purchase], k: int = 5, prior: float = PRIOR_PURCHASES,
             co_weight: float = CO_PURCHASE_WEIGHT) -> Evaluation:
    """Hit rate at k of `recommend` and of `popular` on the held-out last purchases; the
    model is fitted on the visible purchases only (never on what it must guess)."""
    seen, hidden = holdout(purchases)
    model = Recommender.fit(seen, prior, co_weight)
    history: dict[str, list[str]] = defaultdict(list)
    for p in seen:
        history[p.buyer_id].append(p.product_id)
    hits = base = repeats = 0
    for buyer, target in hidden.items():
        mine = history[buyer]
        repeats += target.product_id in mine
        hits += any(s.product_id == target.product_id for s in model.recommend(mine, k))
        base += any(s.product_id == target.product_id for s in model.popular(k, mine))
    return Evaluation(len(hidden), hits, base, repeats)
