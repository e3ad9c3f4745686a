from __future__ import annotations

from datetime import UTC, datetime, timedelta

from liveroom.orders.model import ReminderPolicy, incentive_due

SENT = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
PROMISE = ReminderPolicy().message(12000)


def test_the_incentive_applies_inside_its_window_only() -> None:
    assert incentive_due(12000, SENT, PROMISE, SENT + timedelta(minutes=30)) == 500
    assert incentive_due(12000, SENT, PROMISE, SENT + timedelta(minutes=31)) == 0


def test_no_reminder_or_a_skipped_one_promises_nothing() -> None:
    assert incentive_due(12000, None, PROMISE, SENT) == 0
    assert incentive_due(12000, SENT, {**PROMISE, "skipped": "paid"}, SENT) == 0


def test_the_incentive_never_makes_an_order_free() -> None:
    assert incentive_due(300, SENT, {**PROMISE, "incentive_fen": 500}, SENT) == 299
