"""Warm-up tasks are due at times computed from the slot, and their state follows the
clock and the ticks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from liveroom.tracking.warmup import Tick, timeline

SLOT = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)  # 19:00 in Shanghai


def due(rows: list[dict], task: str) -> dict:  # type: ignore[type-arg]
    return next(r for r in rows if r["task"] == task)


def test_due_times_follow_the_handbook() -> None:
    rows = timeline(SLOT, {}, SLOT - timedelta(days=10))
    assert due(rows, "short_video")["due_at"] == SLOT - timedelta(days=3)
    assert due(rows, "ads_placed")["opens_at"] == SLOT - timedelta(hours=5)
    assert due(rows, "ads_placed")["due_at"] == SLOT - timedelta(hours=3)
    assert due(rows, "ads_running")["due_at"] == SLOT - timedelta(hours=1)
    assert due(rows, "preview_loop")["due_at"] == SLOT - timedelta(minutes=30)
    assert {r["state"] for r in rows} == {"upcoming"}


def test_states_follow_the_clock_and_the_ticks() -> None:
    now = SLOT - timedelta(hours=4)
    ticks = {"short_video": Tick("lin", SLOT - timedelta(days=2)),
             "reservation_links": Tick("lin", SLOT - timedelta(days=3))}
    rows = timeline(SLOT, ticks, now)
    assert due(rows, "short_video")["state"] == "done_late"
    assert due(rows, "reservation_links")["state"] == "done"
    assert due(rows, "reservation_links")["done_by"] == "lin"
    assert due(rows, "ads_placed")["state"] == "due_now"
    assert due(rows, "ads_running")["state"] == "upcoming"
    assert due(timeline(SLOT, {}, SLOT - timedelta(hours=2)), "ads_placed")["state"] == "overdue"
