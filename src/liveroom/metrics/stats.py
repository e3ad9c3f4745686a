"""Statistics for A/B verdicts, pure and dependency-free (math only).

Rates (conversion, click rate) use the two-proportion z-test; money per unit (UV value,
AOV, GPM) uses a bootstrap of the ratio Σy / Σw over units (a mean when every w is 1).
A verdict says which arm is better only at p < alpha; "no_difference" only when the
sample was large enough to see the smallest effect that matters (`mde`, relative);
otherwise "not_enough_data" with the sample per arm that would be needed."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

Z_95 = 1.959963984540054  # two-sided 95 %
Z_80_POWER = 0.8416212335729143  # one-sided 80 % power
MIN_UNITS = 30


def normal_cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


@dataclass(frozen=True)
class Comparison:
    value_a: float
    value_b: float
    n_a: int
    n_b: int
    effect: float  # b − a
    ci_low: float
    ci_high: float
    p_value: float | None
    verdict: str  # a_better | b_better | no_difference | not_enough_data
    needed_per_arm: int | None

    def to_json(self) -> dict[str, object]:
        return {"effect": round(self.effect, 6), "ci": [round(self.ci_low, 6),
                                                          round(self.ci_high, 6)],
                "p_value": None if self.p_value is None else round(self.p_value, 6),
                "verdict": self.verdict, "needed_per_arm": self.needed_per_arm}


def verdict(p_value: float | None, effect: float, enough: bool, alpha: float) -> str:
    if p_value is None:
        return "not_enough_data"
    if p_value < alpha:
        return "b_better" if effect > 0 else "a_better"
    return "no_difference" if enough else "not_enough_data"


def proportion_sample_size(p: float, mde: float, alpha_z: float = Z_95,
                           power_z: float = Z_80_POWER) -> int:
    """Units per arm to detect p → p × (1 + mde) (two-sided alpha, given power); a rate too
    close to 1 to rise by mde is asked to fall by it instead (p = 1 used to divide by 0)."""
    p = min(max(p, 1e-9), 1 - 1e-9)
    p2 = p * (1 + mde) if p * (1 + mde) < 1 - 1e-9 else p * (1 - mde)
    p2 = max(p2, 1e-9)
    bar = (p + p2) / 2
    num = (alpha_z * math.sqrt(2 * bar * (1 - bar))
           + power_z * math.sqrt(p * (1 - p) + p2 * (1 - p2))) ** 2
    return math.ceil(num / (p2 - p) ** 2)


def two_proportions(x_a: int, n_a: int, x_b: int, n_b: int, alpha: float = 0.05,
                    mde: float = 0.10) -> Comparison:
    """Two-proportion z-test (pooled standard error for the test, unpooled for the CI)."""
    p_a = x_a / n_a if n_a else 0.0
    p_b = x_b / n_b if n_b else 0.0
    effect = p_b - p_a
    small = min(n_a, n_b) < MIN_UNITS or min(x_a + x_b, n_a + n_b - x_a - x_b) < 5
    needed = proportion_sample_size(p_a or (x_a + x_b + 1) / (n_a + n_b + 2), mde)
    if small:
        return Comparison(p_a, p_b, n_a, n_b, effect, -1.0, 1.0, None, "not_enough_data",
                          needed)
    pooled = (x_a + x_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    p_value = 2 * (1 - normal_cdf(abs(effect) / se)) if se else 1.0
    se_ci = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    enough = min(n_a, n_b) >= needed
    return Comparison(p_a, p_b, n_a, n_b, effect, effect - Z_95 * se_ci,
                      effect + Z_95 * se_ci, p_value, verdict(p_value, effect, enough, alpha),
                      None if enough else needed)


def _ratio(ys: Sequence[float], ws: Sequence[float]) -> float:
    total = sum(ws)
    return sum(ys) / total if total else 0.0


def bootstrap_ratio(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]],
                    alpha: float = 0.05, mde: float = 0.10, iterations: int = 2000,
                    seed: int = 12) -> Comparison:
    """Units are (y, w); the statistic is Σy / Σw per arm (a mean when w = 1). The CI is
    the percentile interval of the bootstrap distribution of b − a; the p-value is twice the
    smaller share of that distribution on one side of 0."""
    value_a = _ratio([y for y, _ in a], [w for _, w in a])
    value_b = _ratio([y for y, _ in b], [w for _, w in b])
    effect = value_b - value_a
    needed = _mean_sample_size(a, value_a, mde)
    if min(len(a), len(b)) < MIN_UNITS:
        return Comparison(value_a, value_b, len(a), len(b), effect, -math.inf, math.inf,
                          None, "not_enough_data", needed)
    rng = random.Random(seed)
    diffs = []
    for _ in range(iterations):
        ra = rng.choices(a, k=len(a))
        rb = rng.choices(b, k=len(b))
        diffs.append(_ratio([y for y, _ in rb], [w for _, w in rb])
                     - _ratio([y for y, _ in ra], [w for _, w in ra]))
    diffs.sort()
    low = diffs[int(iterations * alpha / 2)]
    high = diffs[min(iterations - 1, int(iterations * (1 - alpha / 2)))]
    below = sum(1 for d in diffs if d <= 0) / iterations
    above = sum(1 for d in diffs if d >= 0) / iterations
    p_value = min(1.0, 2 * min(below, above))
    enough = needed is not None and min(len(a), len(b)) >= needed
    return Comparison(value_a, value_b, len(a), len(b), effect, low, high, p_value,
                      verdict(p_value, effect, enough, alpha), None if enough else needed)


def _mean_sample_size(units: Sequence[tuple[float, float]], value: float,
                      mde: float) -> int | None:
    """Units per arm to detect value → value × (1 + mde), by the normal approximation of
    the ratio's per-unit residuals y − value·w."""
    if len(units) < 2 or value == 0:
        return None
    mean_w = sum(w for _, w in units) / len(units)
    resid = [y - value * w for y, w in units]
    var = sum(r * r for r in resid) / (len(resid) - 1) / (mean_w * mean_w or 1.0)
    delta = abs(value * mde)
    return math.ceil(2 * (Z_95 + Z_80_POWER) ** 2 * var / (delta * delta))
