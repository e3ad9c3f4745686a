"""Fulfilment rules: the ship-by date promised from the SKUs' lead times, and the shipping
status that only moves forward. Plain Python."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from liveroom.core.errors import Conflict, Invalid


class ShippingStatus(StrEnum):
    PENDING = "pending"  # paid, not yet handed to a carrier
    SHIPPED = "shipped"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    RETURNED = "returned"  # refused or sent back by the buyer


S = ShippingStatus
# Where each status may go next. Skipping ahead is allowed (a sheet often says "delivered"
# for a parcel whose pick-up nobody recorded); going back never is.
FORWARD: dict[ShippingStatus, frozenset[ShippingStatus]] = {
    S.PENDING: frozenset({S.SHIPPED, S.IN_TRANSIT, S.DELIVERED}),
    S.SHIPPED: frozenset({S.IN_TRANSIT, S.DELIVERED, S.RETURNED}),
    S.IN_TRANSIT: frozenset({S.DELIVERED, S.RETURNED}),
    S.DELIVERED: frozenset({S.RETURNED}),
    S.RETURNED: frozenset(),
}
UNSHIPPED = (None, S.PENDING.value)


def parse_status(text: str) -> ShippingStatus:
    try:
        return ShippingStatus(text)
    except ValueError as exc:
        raise Invalid(f"unknown shipping status {text!r}", code="unknown_shipping_status",
                      field="status") from exc


def move(current: str | None, target: str, carrier: str, tracking_no: str,
         current_carrier: str | None = None, current_tracking: str | None = None) -> bool:
    """Check a shipping update against the current state. True: a real move to record;
    False: the same status with the same parcel (a re-sent sheet row), nothing to do.
    Anything else, backwards or sideways, is refused with `shipping_not_forward`."""
    to = parse_status(target)
    now = parse_status(current) if current else S.PENDING
    if to == now and (current is None or (carrier, tracking_no) == (
            current_carrier, current_tracking)):
        return current is None and to != S.PENDING
    if to not in FORWARD[now]:
        raise Conflict(f"shipping is {now.value}; it cannot go to {to.value}",
                       code="shipping_not_forward", current=now.value, target=to.value)
    return True


def ship_by(paid_at: datetime, lead_days: int, tz: str) -> date:
    """The day (shop-local) by which a paid order must be handed to a carrier: the paying
    day plus the slowest SKU's shipping lead time."""
    return paid_at.astimezone(ZoneInfo(tz)).date() + timedelta(days=max(lead_days, 0))


def is_overdue(due: date, shipping_status: str | None, now: datetime, tz: str) -> bool:
    """Not handed over and the ship-by day has passed (shop-local)."""
    return shipping_status in UNSHIPPED and now.astimezone(ZoneInfo(tz)).date() > due


def check_ship_by(chosen: date, paid_at: datetime, tz: str) -> None:
    """A merchant may move the date later or earlier, but not before the order was paid."""
    if chosen < paid_at.astimezone(ZoneInfo(tz)).date():
        raise Invalid("the ship-by date is before the order was paid",
                      code="ship_by_before_payment", field="ship_by")
