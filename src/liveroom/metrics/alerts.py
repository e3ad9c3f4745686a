"""Dynamic-threshold alerts (动态阈值告警) over the per-minute timeline. Pure functions: the
baseline is the session's own recent past, not a fixed number, because a 500-viewer
morning show and a 20,000-viewer evening show need different absolute thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AlertRules:
    lookback_minutes: int = 15  # compare with the last 15 minutes
    recent_minutes: int = 5  # … the most recent 5
    viewer_drop_pct: float = 20.0  # online below the lookback average by this much
    min_online: int = 20  # too few viewers to call a trend
    conversion_drop_ratio: float = 0.5  # recent conversion under half of the baseline
    min_enters: int = 30
    failure_rate_floor: float = 0.05  # a payment failure rate worth waking someone for
    failure_ratio: float = 3.0  # … and this many times the baseline
    default_failure_baseline: float = 0.015  # 1.5% when the session has no history yet
    min_attempts: int = 10
    cart_failure_floor: float = 0.3  # a share of recent carts never paid worth acting on
    cart_failure_ratio: float = 2.0  # … and this many times the baseline
    default_cart_failure_baseline: float = 0.1
    min_carts: int = 10

# What the console offers as the one-click answer to each kind (docs/console.md).
SUGGESTED_ACTION = {"viewer_drop": "lucky_bag", "conversion_drop": "explain",
                    "payment_failure_rate": "announce", "cart_failure_rate": "coupon"}


def _pct(a: float, b: float) -> float:
    return round(100.0 * a / b, 1) if b else 0.0


def viewer_drop(timeline: list[dict[str, Any]], rules: AlertRules) -> dict[str, Any] | None:
    if len(timeline) < 2:
        return None
    now = timeline[-1]["online"]
    window = [m["online"] for m in timeline[-1 - rules.lookback_minutes:-1]]
    baseline = sum(window) / len(window)
    if baseline < rules.min_online:
        return None
    drop = _pct(baseline - now, baseline)
    if drop < rules.viewer_drop_pct:
        return None
    return {"code": "viewer_drop", "severity": "warning" if drop < 40 else "critical",
            "value": now, "baseline": round(baseline, 1), "change_pct": -drop,
            "message": f"在线人数较近{rules.lookback_minutes}分钟均值下降{drop:.0f}% "
                       f"(online fell {drop:.0f}%: {now} vs {baseline:.0f})",
            "suggestion": "发福袋/抽奖留人，主播互动提问 launch a lucky bag (福袋) and ask a "
                          "question to hold viewers"}


def conversion_drop(timeline: list[dict[str, Any]],
                    rules: AlertRules) -> dict[str, Any] | None:
    recent = timeline[-rules.recent_minutes:]
    earlier = timeline[-rules.lookback_minutes - rules.recent_minutes:-rules.recent_minutes]
    r_enters = sum(m["enters"] for m in recent)
    e_enters = sum(m["enters"] for m in earlier)
    if r_enters < rules.min_enters or e_enters < rules.min_enters:
        return None
    r_rate = sum(m["paid_orders"] for m in recent) / r_enters
    e_rate = sum(m["paid_orders"] for m in earlier) / e_enters
    if e_rate <= 0 or r_rate >= e_rate * rules.conversion_drop_ratio:
        return None
    return {"code": "conversion_drop", "severity": "warning", "value": round(r_rate, 4),
            "baseline": round(e_rate, 4), "change_pct": -_pct(e_rate - r_rate, e_rate),
            "message": f"近{rules.recent_minutes}分钟转化率 {r_rate:.1%}，此前 {e_rate:.1%} "
                       f"(conversion dropped)",
            "suggestion": "逼单：限时券/库存倒计时，切换到引流款 push with a time-limited "
                          "coupon or switch to a traffic item"}


def payment_failures(timeline: list[dict[str, Any]],
                     rules: AlertRules) -> dict[str, Any] | None:
    recent = timeline[-rules.recent_minutes:]
    earlier = timeline[:-rules.recent_minutes]
    fails = sum(m["payment_failures"] for m in recent)
    attempts = fails + sum(m["paid_orders"] for m in recent)
    if attempts < rules.min_attempts:
        return None
    rate = fails / attempts
    e_fails = sum(m["payment_failures"] for m in earlier)
    e_attempts = e_fails + sum(m["paid_orders"] for m in earlier)
    baseline = (e_fails / e_attempts if e_attempts >= rules.min_attempts
                else rules.default_failure_baseline)
    if rate < rules.failure_rate_floor or rate < baseline * rules.failure_ratio:
        return None
    return {"code": "payment_failure_rate", "severity": "critical", "value": round(rate, 4),
            "baseline": round(baseline, 4), "change_pct": _pct(rate - baseline, baseline),
            "message": f"支付失败率 {rate:.1%}，基线 {baseline:.1%} "
                       f"(payment failures {rate:.1%} vs {baseline:.1%})",
            "suggestion": "置顶公告说明支付问题并检查支付通道 pin an announcement and check "
                          "the payment channel"}


def cart_failures(timeline: list[dict[str, Any]],
                  rules: AlertRules) -> dict[str, Any] | None:
    """Carts that fail: orders (reservations) of the recent minutes that lapsed, expired or
    cancelled without payment, as a share of the orders placed, against the show's own
    earlier share."""
    recent = timeline[-rules.recent_minutes:]
    earlier = timeline[:-rules.recent_minutes]
    placed = sum(m.get("orders", 0) for m in recent)
    if placed < rules.min_carts:
        return None
    rate = sum(m.get("lapsed_orders", 0) for m in recent) / placed
    e_placed = sum(m.get("orders", 0) for m in earlier)
    baseline = (sum(m.get("lapsed_orders", 0) for m in earlier) / e_placed
                if e_placed >= rules.min_carts else rules.default_cart_failure_baseline)
    if rate < rules.cart_failure_floor or rate < baseline * rules.cart_failure_ratio:
        return None
    return {"code": "cart_failure_rate", "severity": "critical" if rate >= 0.5 else "warning",
            "value": round(rate, 4), "baseline": round(baseline, 4),
            "change_pct": _pct(rate - baseline, baseline),
            "message": f"近{rules.recent_minutes}分钟下单未支付 {rate:.1%}，基线 {baseline:.1%} "
                       f"(carts failing {rate:.1%} vs {baseline:.1%})",
            "suggestion": "发券促成交并检查库存与支付 push a coupon, check stock and payment"}


def evaluate(timeline: list[dict[str, Any]], rules: AlertRules | None = None,
             ) -> list[dict[str, Any]]:
    """Every alert that fires on this timeline, most severe first."""
    rules = rules or AlertRules()
    checks = (payment_failures, cart_failures, viewer_drop, conversion_drop)
    fired = [a for check in checks
             if (a := check(timeline, rules)) is not None]
    if fired:
        at = timeline[-1]["minute"]
        for a in fired:
            a["at"] = at
    return sorted(fired, key=lambda a: a["severity"] != "critical")
