from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from liveroom.core.errors import Conflict, Invalid
from liveroom.fulfilment.model import (
    FORWARD,
    ShippingStatus,
    check_ship_by,
    is_overdue,
    move,
    ship_by,
)

TZ = "Asia/Shanghai"


def test_shipping_moves_forward_and_may_skip_ahead() -> None:
    assert move(None, "shipped", "SF", "SF1") is True
    assert move("shipped", "in_transit", "SF", "SF1", "SF", "SF1") is True
    assert move("shipped", "delivered", "SF", "SF1", "SF", "SF1") is True
    assert move("delivered", "returned", "SF", "SF1", "SF", "SF1") is True


@pytest.mark.parametrize("current,target", [
    ("delivered", "shipped"), ("in_transit", "shipped"), ("returned", "delivered"),
    ("shipped", "pending"), ("delivered", "in_transit")])
def test_shipping_never_moves_back(current: str, target: str) -> None:
    with pytest.raises(Conflict) as err:
        move(current, target, "SF", "SF1", "SF", "SF1")
    assert err.value.code == "shipping_not_forward"


def test_the_same_row_sent_twice_changes_nothing() -> None:
    assert move("shipped", "shipped", "SF", "SF1", "SF", "SF1") is False
    assert move(None, "pending", "SF", "SF1") is False


def test_another_parcel_at_the_same_status_is_refused() -> None:
    with pytest.raises(Conflict):
        move("shipped", "shipped", "YTO", "YT9", "SF", "SF1")


def test_an_unknown_status_is_invalid() -> None:
    with pytest.raises(Invalid) as err:
        move(None, "lost", "SF", "SF1")
    assert err.value.code == "unknown_shipping_status"


def test_returned_is_final_and_every_status_has_a_rule() -> None:
    assert set(FORWARD) == set(ShippingStatus)
    assert FORWARD[ShippingStatus.RETURNED] == frozenset()


def test_ship_by_counts_lead_days_from_the_local_paying_day() -> None:
    # 2026-11-28 17:30 UTC is already 2026-11-29 01:30 in Shanghai
    paid = datetime(2026, 11, 28, 17, 30, tzinfo=UTC)
    assert ship_by(paid, 2, TZ) == date(2026, 12, 1)
    assert ship_by(paid, 0, TZ) == date(2026, 11, 29)


def test_an_order_is_overdue_only_after_its_day_and_while_unshipped() -> None:
    due = date(2026, 12, 1)
    late_evening = datetime(2026, 12, 1, 15, 59, tzinfo=UTC)  # 23:59 local on the day
    next_morning = datetime(2026, 12, 1, 16, 1, tzinfo=UTC)  # 00:01 local the day after
    assert not is_overdue(due, None, late_evening, TZ)
    assert is_overdue(due, None, next_morning, TZ)
    assert is_overdue(due, "pending", next_morning, TZ)
    assert not is_overdue(due, "shipped", next_morning, TZ)


def test_a_ship_by_date_cannot_precede_payment() -> None:
    paid = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)
    check_ship_by(date(2026, 11, 29), paid, TZ)
    with pytest.raises(Invalid):
        check_ship_by(date(2026, 11, 28), paid, TZ)
