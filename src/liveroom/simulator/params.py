"""Simulator parameters: documented defaults in defaults.json, overridable by a file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

DEFAULTS = Path(__file__).with_name("defaults.json")


@dataclass(frozen=True)
class SimParams:
    viewers: int = 5000
    enter_rate: float = 0.4
    channel_mix: dict[str, float] = field(default_factory=dict)
    channel_spend_fen: dict[str, int] = field(default_factory=dict)
    reservation_rate: float = 0.3
    reservation_no_show: float = 0.35
    warmup_days: int = 3
    opening_peak: float = 6.0
    long_segment_minutes: int = 8
    long_segment_dip: float = 0.55
    giveaway_boost: float = 2.0
    closing_factor: float = 0.5
    median_dwell_seconds: float = 150
    dwell_sigma: float = 1.0
    product_impression_rate: float = 0.9
    click_rate: float = 0.25
    cart_rate: float = 0.45
    order_rate: float = 0.32
    price_elasticity: float = 1.5
    tier_factor: dict[str, float] = field(default_factory=dict)
    coupon_claim_rate: float = 0.55
    coupon_boost: float = 1.2
    flash_rush_rate: float = 0.55
    flash_rush_seconds: float = 3.0
    payment_failure_rate: float = 0.03
    payment_retry_success: float = 0.6
    comment_rate: float = 0.35
    like_rate: float = 0.3
    share_rate: float = 0.05
    follow_rate: float = 0.09
    fan_group_rate: float = 0.03
    return_rate: float = 0.04
    tick_seconds: int = 10
    event_batch: int = 1000
    concurrency: int = 24

    @classmethod
    def load(cls, path: Path | None = None, **overrides: Any) -> SimParams:
        data = _plain(json.loads(DEFAULTS.read_text(encoding="utf-8")))
        if path is not None:
            data.update(_plain(json.loads(Path(path).read_text(encoding="utf-8"))))
        data.update({k: v for k, v in overrides.items() if v is not None})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown simulator parameters: {', '.join(unknown)}")
        return cls(**data)


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """Drop the documentation keys (those starting with an underscore)."""
    return {k: v for k, v in data.items() if not k.startswith("_")}
