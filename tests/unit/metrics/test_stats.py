"""A/B statistics against known values, and verdicts on simulated arms with known effects
(and with none: the false-positive rate at p < 0.05 stays near 5 %)."""

from __future__ import annotations

import random

import pytest

from liveroom.metrics.stats import (
    bootstrap_ratio,
    normal_cdf,
    proportion_sample_size,
    two_proportions,
)


def test_normal_cdf_known_values():
    assert normal_cdf(0) == pytest.approx(0.5)
    assert normal_cdf(1.959963984540054) == pytest.approx(0.975, abs=1e-9)
    assert normal_cdf(-1) == pytest.approx(0.15865525393, abs=1e-9)


def test_two_proportions_matches_the_textbook_z_test():
    # 200/1000 vs 250/1000: pooled p = 0.225, z = 2.6774, two-sided p = 0.00742
    c = two_proportions(200, 1000, 250, 1000)
    assert c.p_value == pytest.approx(0.007419, abs=2e-5)
    assert c.effect == pytest.approx(0.05)
    # unpooled SE = sqrt(.2·.8/1000 + .25·.75/1000) = 0.018641; ± 1.96 SE
    assert (c.ci_low, c.ci_high) == pytest.approx((0.013464, 0.086536), abs=1e-5)
    assert c.verdict == "b_better"


def test_sample_size_for_a_proportion_matches_the_standard_formula():
    # 10 % → 12 %: about 3,841 per arm (two-sided 5 %, power 80 %)
    assert proportion_sample_size(0.10, 0.20) == pytest.approx(3841, abs=5)


def test_a_small_sample_says_not_enough_data_with_the_size_needed():
    c = two_proportions(3, 40, 5, 40)
    assert c.verdict == "not_enough_data" and c.needed_per_arm and c.needed_per_arm > 1000


def test_equal_large_arms_say_no_difference():
    c = two_proportions(10_000, 100_000, 10_050, 100_000)
    assert c.verdict == "no_difference" and c.needed_per_arm is None


def test_false_positive_rate_stays_near_five_percent():
    rng = random.Random(5)
    positives = 0
    runs = 600
    for _ in range(runs):
        n = 2000
        x_a = sum(rng.random() < 0.1 for _ in range(n))
        x_b = sum(rng.random() < 0.1 for _ in range(n))
        positives += two_proportions(x_a, n, x_b, n).p_value < 0.05
    assert 0.02 <= positives / runs <= 0.08


def test_bootstrap_finds_a_real_uplift_in_spend_per_viewer():
    rng = random.Random(9)
    a = [(rng.expovariate(1 / 100) if rng.random() < 0.2 else 0.0, 1.0) for _ in range(1500)]
    b = [(rng.expovariate(1 / 100) if rng.random() < 0.3 else 0.0, 1.0) for _ in range(1500)]
    c = bootstrap_ratio(a, b, iterations=200)
    assert c.verdict == "b_better" and c.p_value is not None and c.p_value < 0.05
    assert c.ci_low < c.effect < c.ci_high and c.ci_low > 0


@pytest.mark.slow
def test_bootstrap_false_positive_rate_stays_near_five_percent():
    rng = random.Random(3)
    runs = 200
    positives = 0
    for _ in range(runs):
        a = [(rng.gauss(100, 30), 1.0) for _ in range(100)]
        b = [(rng.gauss(100, 30), 1.0) for _ in range(100)]
        c = bootstrap_ratio(a, b, iterations=200, seed=rng.randrange(10**6))
        positives += c.p_value is not None and c.p_value < 0.05
    assert 0.02 <= positives / runs <= 0.09


def test_a_rate_of_one_still_gives_a_sample_size_instead_of_dividing_by_zero():
    # every viewer of a short window paid: p = 1 cannot rise by 10 %, so the size is for 0.9
    from liveroom.metrics.stats import proportion_sample_size, two_proportions
    assert proportion_sample_size(1.0, 0.10) == proportion_sample_size(1 - 1e-9, -0.10)
    assert two_proportions(3, 3, 2, 4).verdict == "not_enough_data"
