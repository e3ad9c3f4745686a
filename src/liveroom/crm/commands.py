"""Commands of members. Earning and reversing come from order events (the system actor);
the rest are operators' commands with their action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from liveroom.core.messages import Command


@dataclass(frozen=True)
class EarnPoints(Command):
    """A paid order's points (idempotent per order)."""

    order_id: str


@dataclass(frozen=True)
class ReversePoints(Command):
    """After a refund: the order's points taken back in proportion to what was paid back."""

    order_id: str


@dataclass(frozen=True)
class SpendPoints(Command):
    action: ClassVar[str] = "members.points"
    buyer_id: str
    points: int
    ref: str  # the redemption's own reference: spending it twice spends once
    note: str = ""


@dataclass(frozen=True)
class SetPointsWindow(Command):
    """倍积分: orders of the session paid within [starts_at, ends_at) earn × multiplier."""

    action: ClassVar[str] = "members.points_window"
    session_id: str
    multiplier: int = 2
    starts_at: datetime | None = None  # default: the session's scheduled show
    ends_at: datetime | None = None


@dataclass(frozen=True)
class SetMemberPrice(Command):
    action: ClassVar[str] = "members.price"
    session_id: str
    sku_id: str
    tier: str
    price_fen: int
    override: bool = False
    override_reason: str = ""


@dataclass(frozen=True)
class ExportMembers(Command):
    """The audited export: the rows are built inside the unit of work that records it."""

    action: ClassVar[str] = "members.export"
    tier: str | None = None
    segment: str | None = None
    see_personal: bool = False
    format: str = "csv"


@dataclass(frozen=True)
class RestrictCoupon(Command):
    """会员专享券: only members of min_tier or higher and/or of the segment may claim."""

    action: ClassVar[str] = "members.coupon"
    coupon_id: str
    min_tier: str | None = None
    segment: str | None = None


@dataclass(frozen=True)
class SetConsent(Command):
    """A buyer agrees to (or withdraws from) messages on one channel."""

    buyer_id: str
    channel: str
    granted: bool


@dataclass(frozen=True)
class PlanReminders(Command):
    """Queue what is due: repurchases, reserved shows, lapsed carts (each once)."""

    action: ClassVar[str] = "members.reach"


@dataclass(frozen=True)
class SendReminders(Command):
    """Send the queue's due rows under consent, quiet hours and one message a day."""

    action: ClassVar[str] = "members.reach"
    limit: int = 500


@dataclass(frozen=True)
class PostUgc(Command):
    """晒单: the buyer of a paid order posts a text and maybe a photo link."""

    buyer_id: str
    order_id: str
    text: str
    photo_url: str | None = None


@dataclass(frozen=True)
class ReviewUgc(Command):
    """Ops approve (granting points or a coupon, once) or reject a post."""

    action: ClassVar[str] = "members.ugc"
    post_id: str
    approve: bool
    points: int = 0
    coupon_id: str | None = None


@dataclass(frozen=True)
class AcceptInvitation(Command):
    """A new buyer arrives through an inviter's link (the first inviter wins)."""

    invitee_id: str
    inviter_id: str


@dataclass(frozen=True)
class SettleInvitation(Command):
    """After an order is paid or refunded: reward (or take back) the inviter's reward."""

    order_id: str


@dataclass(frozen=True)
class PastPurchase:
    """One paid order from before this system (the previous shop system's export)."""

    ref: str  # the old system's order number: importing it twice imports it once
    buyer_id: str
    sku_id: str
    quantity: int
    unit_price_fen: int
    paid_at: datetime


@dataclass(frozen=True)
class ImportPurchases(Command):
    """Members' history from before the first show: paid orders with their points."""

    action: ClassVar[str] = "members.import"
    purchases: tuple[PastPurchase, ...]
