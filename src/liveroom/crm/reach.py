"""Member reminders as rules (私域触达): which channel a buyer agreed to, quiet hours in the
shop's time zone, the local day that the one-message-per-day key counts, and the words each
reminder sends. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from liveroom.core.errors import Invalid

CHANNELS = ("wecom", "official_account", "sms")  # preferred first


class ReminderKind(StrEnum):
    REPURCHASE = "repurchase"  # a consumable is due again
    RESERVATION = "reservation"  # the show the buyer reserved starts soon
    GO_LIVE = "go_live"  # the show the buyer reserved is live now
    CART = "cart"  # a reserved order lapsed unpaid (加购未付)


TEXTS = {
    ReminderKind.REPURCHASE: "您常买的「{name}」差不多该补货了，今晚直播间有会员价。",
    ReminderKind.RESERVATION: "您预约的直播「{name}」将于 {when} 开播，记得来直播间哦。",
    ReminderKind.GO_LIVE: "您预约的直播「{name}」已开播，点击进入直播间。",
    ReminderKind.CART: "您看中的「{name}」还在等您，库存有限，回直播间看看吧。",
}


def reminder_text(kind: ReminderKind, name: str, when: str = "") -> str:
    return TEXTS[kind].format(name=name, when=when)


def check_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise Invalid(f"channel must be one of {list(CHANNELS)}", code="unknown_channel",
                      field="channel")
    return channel


def preferred_channel(granted: Iterable[str]) -> str | None:
    """The first channel in CHANNELS the buyer agreed to; None without any consent."""
    mine = set(granted)
    return next((c for c in CHANNELS if c in mine), None)


@dataclass(frozen=True)
class QuietHours:
    """No message between `start` and `end` local time (the window may span midnight)."""

    start: time = time(22, 0)
    end: time = time(8, 0)
    zone: str = "Asia/Shanghai"

    def local(self, at: datetime) -> datetime:
        return at.astimezone(ZoneInfo(self.zone))

    def quiet(self, at: datetime) -> bool:
        t = self.local(at).time()
        if self.start <= self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end

    def next_allowed(self, at: datetime) -> datetime:
        """`at` itself outside quiet hours, else the end of the quiet window (UTC)."""
        if not self.quiet(at):
            return at
        here = self.local(at)
        end = datetime.combine(here.date(), self.end, here.tzinfo)
        if end <= here:
            end += timedelta(days=1)
        return end.astimezone(at.tzinfo)

    def day(self, at: datetime) -> date:
        """The local day the one-message-per-day rule counts."""
        return self.local(at).date()

    def next_day(self, at: datetime) -> datetime:
        """The first moment messages may go out on the local day after `at`."""
        here = self.local(at)
        start = datetime.combine(here.date() + timedelta(days=1), self.end, here.tzinfo)
        return start.astimezone(at.tzinfo)
