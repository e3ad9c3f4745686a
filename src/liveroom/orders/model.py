"""Order rules: the status machine, expiry, reminders, masking. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from liveroom.core.errors import Conflict


class OrderStatus(StrEnum):
    RESERVED = "reserved"  # stock held until expires_at
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


# Statuses whose units count as sold (they hold stock).
HOLDS_STOCK = (OrderStatus.RESERVED.value, OrderStatus.PAID.value)

MOVES: dict[OrderStatus, set[OrderStatus]] = {
    OrderStatus.PAID: {OrderStatus.RESERVED},
    OrderStatus.EXPIRED: {OrderStatus.RESERVED},
    OrderStatus.CANCELLED: {OrderStatus.RESERVED},
    OrderStatus.REFUNDED: {OrderStatus.PAID},
}

SHIPPING_STATUSES = ("pending", "shipped", "in_transit", "delivered", "returned")


def require_move(current: str, target: OrderStatus) -> None:
    if OrderStatus(current) not in MOVES[target]:
        raise Conflict(f"order is {current}; cannot become {target.value}",
                       code="invalid_order_state", status=current)


def is_expired(status: str, expires_at: datetime, now: datetime) -> bool:
    return status == OrderStatus.RESERVED and now >= expires_at


@dataclass(frozen=True)
class ReminderPolicy:
    """催付: remind an unpaid buyer, with an incentive ("pay within 30 min, save ¥5")."""

    after_minutes: int = 120
    lead_minutes: int = 5  # remind at the latest this long before the reservation lapses
    incentive_fen: int = 500
    incentive_window_minutes: int = 30

    def due_at(self, reserved_at: datetime, expires_at: datetime) -> datetime:
        """When to remind. The handbook says 2 h after the order; a reservation that lapses
        sooner (the default is 15 min) is reminded shortly before it lapses instead, or the
        reminder would never be useful."""
        due = reserved_at + timedelta(minutes=self.after_minutes)
        latest = expires_at - timedelta(minutes=self.lead_minutes)
        return max(reserved_at, min(due, latest))

    def message(self, total_fen: int) -> dict[str, object]:
        return {"text": f"您的订单还未支付，{self.incentive_window_minutes} 分钟内支付立减 "
                        f"¥{self.incentive_fen / 100:.2f}",
                "incentive_fen": min(self.incentive_fen, max(total_fen - 1, 0)),
                "window_minutes": self.incentive_window_minutes}


def incentive_due(total_fen: int, reminded_at: datetime | None, promise: dict[str, object],
                  now: datetime) -> int:
    """What the reminder promised off this order if it is paid now: the promised amount
    while its window (counted from when the reminder went out) is open, else 0. Never
    the whole order: at least 1 fen is charged."""
    if reminded_at is None or promise.get("skipped"):
        return 0
    window = timedelta(minutes=int(str(promise.get("window_minutes", 0))))
    if now > reminded_at + window:
        return 0
    return max(0, min(int(str(promise.get("incentive_fen", 0))), total_fen - 1))


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name: str | None) -> str | None:
    """王小明 → 王**: the family name is enough to address a parcel query."""
    if not name:
        return name
    return name[0] + "*" * max(1, len(name) - 1)


def mask_address(address: str | None) -> str | None:
    if not address:
        return address
    keep = min(6, max(len(address) // 3, 1))
    return address[:keep] + "****"
