"""Order status moves, expiry, reminder timing and personal-data masking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from liveroom.core.errors import Conflict
from liveroom.orders.model import (
    OrderStatus,
    ReminderPolicy,
    is_expired,
    mask_address,
    mask_name,
    mask_phone,
    require_move,
)

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_only_allowed_moves_pass() -> None:
    require_move("reserved", OrderStatus.PAID)
    require_move("paid", OrderStatus.REFUNDED)
    for current, target in [("paid", OrderStatus.CANCELLED), ("expired", OrderStatus.PAID),
                            ("reserved", OrderStatus.REFUNDED)]:
        with pytest.raises(Conflict):
            require_move(current, target)


def test_expiry_is_at_the_deadline() -> None:
    assert not is_expired("reserved", T0, T0 - timedelta(seconds=1))
    assert is_expired("reserved", T0, T0)
    assert not is_expired("paid", T0, T0 + timedelta(days=1))


def test_reminder_after_two_hours_or_before_a_shorter_reservation_lapses() -> None:
    policy = ReminderPolicy(after_minutes=120, lead_minutes=5, incentive_fen=500)
    assert policy.due_at(T0, T0 + timedelta(hours=24)) == T0 + timedelta(hours=2)
    assert policy.due_at(T0, T0 + timedelta(minutes=15)) == T0 + timedelta(minutes=10)
    assert policy.due_at(T0, T0 + timedelta(minutes=2)) == T0
    msg = policy.message(total_fen=9900)
    assert msg["incentive_fen"] == 500 and "¥5.00" in str(msg["text"])


def test_masking_keeps_only_what_identifies_nothing() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("12345") == "*****"
    assert mask_address("浙江省杭州市西湖区文三路 100 号") == "浙江省杭州市****"
    assert mask_phone(None) is None and mask_address("") == ""


def test_names_are_masked_to_the_family_name():
    assert mask_name("王小明") == "王**"
    assert mask_name("李") == "李*"
    assert mask_name(None) is None and mask_name("") == ""
