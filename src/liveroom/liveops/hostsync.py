"""The 30-minute host sync (半小时复盘同步, DOMAIN item 9): a one-screen summary of the
last half hour for the host and the console, at :00 and :30. Pure.

The window is the last completed half hour in the show's time zone: at 20:47 it is
20:00–20:30, compared with 19:30–20:00. Figures come from the per-minute timeline of the
metrics (docs/metrics.md): GMV and paid orders by payment time, enters, orders created,
payment failures, and online at the end of the window."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

HALF_HOUR = timedelta(minutes=30)
SUMMED = ("gmv_fen", "paid_orders", "orders", "enters", "payment_failures")


def window_end(now: datetime) -> datetime:
    """The latest :00 or :30 at or before now (in now's own time zone)."""
    return now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)


def next_sync(now: datetime) -> datetime:
    return window_end(now) + HALF_HOUR


@dataclass(frozen=True)
class Sync:
    start: datetime
    end: datetime
    figures: dict[str, int]
    previous: dict[str, int]
    online_end: int
    top_skus: tuple[tuple[str, int], ...]  # (sku, GMV fen) of the window, best first

    def change(self, key: str) -> float | None:
        before = self.previous.get(key, 0)
        return round((self.figures[key] - before) / before, 4) if before else None


def _sum(rows: Sequence[dict[str, Any]], lo: datetime, hi: datetime) -> dict[str, int]:
    return {k: sum(int(r.get(k, 0)) for r in rows if lo <= r["minute"] < hi) for k in SUMMED}


def summarise(timeline: Sequence[dict[str, Any]], sku_gmv: Sequence[tuple[str, datetime, int]],
              now: datetime) -> Sync:
    """timeline: rows with an aware `minute` and the SUMMED keys plus `online`; sku_gmv:
    (sku, paid at, fen) of paid order lines."""
    end = window_end(now)
    start = end - HALF_HOUR
    inside = [r for r in timeline if start <= r["minute"] < end]
    online = int(max(inside, key=lambda r: r["minute"])["online"]) if inside else 0
    by_sku: dict[str, int] = {}
    for sku, at, fen in sku_gmv:
        if start <= at < end:
            by_sku[sku] = by_sku.get(sku, 0) + fen
    top = tuple(sorted(by_sku.items(), key=lambda kv: (-kv[1], kv[0]))[:3])
    return Sync(start, end, _sum(timeline, start, end), _sum(timeline, start - HALF_HOUR, start),
                online, top)
