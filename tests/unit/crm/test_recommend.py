"""Recommendations: co-purchase and category affinity over purchase history, against the
popularity baseline, and the leave-last-out evaluation that never shows the model the
purchase it must guess."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from liveroom.crm.community import Purchase
from liveroom.crm.recommend import Recommender, evaluate, holdout

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def bought(buyer: str, *products: str, day: int = 0) -> list[Purchase]:
    return [Purchase(buyer, p, p.split("-")[0], T0 + timedelta(days=day + i))
            for i, p in enumerate(products)]


def test_co_purchase_beats_a_best_seller_the_buyer_has_no_link_to() -> None:
    # given tea is the best seller, and everyone who bought a kettle bought cups too
    history = ([p for i in range(4) for p in bought(f"k{i}", "kit-kettle", "kit-cups")]
               + [p for i in range(6) for p in bought(f"t{i}", "food-tea")])
    model = Recommender.fit(history)
    # when a new kettle buyer asks
    top = model.recommend(["kit-kettle"], k=1)
    # then the cups come first, for co-purchase; popularity alone would say tea
    assert [(s.product_id, s.reason) for s in top] == [("kit-cups", "co_purchase")]
    assert model.popular(1, ["kit-kettle"])[0].product_id == "food-tea"


def test_category_affinity_prefers_the_buyers_own_category() -> None:
    # given two categories, the food one more popular overall
    history = ([p for i in range(4) for p in bought(f"f{i}", "food-tea")]
               + [p for i in range(3) for p in bought(f"m{i}", "makeup-lipstick")])
    model = Recommender.fit(history + bought("m9", "makeup-mascara"))
    # when a buyer who only bought mascara asks
    top = model.recommend(["makeup-mascara"], k=2)
    # then the lipstick (her category) ranks above the tea, and nothing she owns is offered
    assert [s.product_id for s in top] == ["makeup-lipstick", "food-tea"]


def test_a_buyer_without_history_gets_the_best_sellers() -> None:
    model = Recommender.fit(bought("a", "x-1", "x-2") + bought("b", "x-2"))
    assert [s.product_id for s in model.recommend([], k=5)] == ["x-2", "x-1"]


def test_holdout_hides_each_repeat_buyers_last_purchase_only() -> None:
    # given a buyer with three purchases and one with one
    seen, hidden = holdout(bought("a", "x-1", "x-2", "x-3") + bought("b", "x-1"))
    # then a's last is hidden, b is kept whole and not evaluated
    assert hidden["a"].product_id == "x-3" and "b" not in hidden
    assert sorted(p.product_id for p in seen) == ["x-1", "x-1", "x-2"]


def test_evaluation_counts_hits_of_both_methods() -> None:
    # given kettle-and-cups buyers (some also bought tea last), and tea the best seller
    history = [p for i in range(4) for p in bought(f"a{i}", "kit-kettle", "kit-cups")]
    history += [p for i in range(8)
                for p in bought(f"b{i}", "kit-kettle", "kit-cups", "food-tea")]
    history += [p for i in range(20) for p in bought(f"t{i}", "food-tea")]
    # when each repeat buyer's last purchase is hidden, k=1
    ev = evaluate(history, k=1)
    # then co-purchase finds the cups of the a-buyers, popularity offers them tea; the
    # b-buyers' hidden tea is the only thing left to offer, found by both
    assert (ev.buyers, ev.hits, ev.baseline_hits, ev.repeats) == (12, 12, 8, 0)
    assert ev.hit_rate == 1.0 and round(ev.baseline_hit_rate, 3) == 0.667
