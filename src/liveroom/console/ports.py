"""The console's live feed: what changed in a show, fanned out to every open page.

A `Broadcaster` carries small change notices (which parts of a show moved), never the
truth itself: a page that receives one re-reads those parts, and a page that (re)connects
reads everything. So a lost or coalesced notice costs a refresh, not a wrong number.
The in-process adapter serves one server process; a Redis pub/sub adapter slots in behind
the same port for several."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Protocol

# The parts of a show a page can redraw on its own.
PARTS = frozenset({"status", "lineup", "flash", "metrics", "comments", "questions", "alerts",
                   "announcements", "audit", "lotteries", "coupons", "incidents",
                   "hostsync"})


@dataclass(frozen=True)
class Change:
    """Some parts of one show changed; `resync` asks the page to redraw everything;
    `urgent` says a person did it (a console action): it goes out at once, while the
    audience's stream of changes (comments, orders, metrics) is paced."""

    parts: frozenset[str] = field(default_factory=frozenset)
    resync: bool = False
    urgent: bool = False

    def merge(self, other: Change) -> Change:
        return Change(self.parts | other.parts, self.resync or other.resync,
                      self.urgent or other.urgent)


class Subscription(Protocol):
    def changes(self, timeout: float) -> AsyncIterator[Change]: ...

    def close(self) -> None: ...


class Broadcaster(Protocol):
    def publish(self, session_id: str, event: Change) -> None:
        """Thread-safe; never blocks the publisher (a slow page is resynced, not waited for)."""

    def subscribe(self, session_id: str) -> Subscription: ...

    def subscribers(self, session_id: str) -> int: ...


# Events a person caused (an operator's action, a status change): out at once.
URGENT_EVENTS = frozenset({
    "PriceChanged", "ProductListed", "ExplainingChanged", "CouponStatusChanged",
    "FlashSaleCreated", "FlashSaleStatusChanged", "Announced", "SessionStatusChanged",
    "QuestionCardChanged", "BuyerModerated", "CommentHidden", "TicketOpened", "LotteryCreated",
    "LotteryDrawn", "IncidentOpened", "IncidentResolved", "AlertAcknowledged",
    "CommentReplied"})

# Which parts an outbox event moves. Events not named here move nothing on the pages.
PARTS_OF_EVENT: dict[str, frozenset[str]] = {
    "PriceChanged": frozenset({"lineup", "audit"}),
    "ProductListed": frozenset({"lineup", "audit"}),
    "ExplainingChanged": frozenset({"lineup", "audit", "status"}),
    "CouponStatusChanged": frozenset({"coupons", "audit"}),
    "FlashSaleCreated": frozenset({"flash", "lineup", "audit"}),
    "FlashSaleStatusChanged": frozenset({"flash", "lineup", "audit"}),
    "Announced": frozenset({"announcements", "audit"}),
    "SessionStatusChanged": PARTS,
    "OrderReserved": frozenset({"lineup", "flash", "metrics"}),
    "OrderPaid": frozenset({"lineup", "metrics"}),
    "PaymentFailed": frozenset({"metrics"}),
    "OrderExpired": frozenset({"lineup", "flash", "metrics"}),
    "OrderCancelled": frozenset({"lineup", "flash", "metrics"}),
    "OrderRefunded": frozenset({"lineup", "metrics"}),
    "SafetyStockReached": frozenset({"lineup"}),
    "CommentsIngested": frozenset({"comments", "questions"}),
    "CommentAlertRaised": frozenset({"alerts"}),
    "QuestionCardChanged": frozenset({"questions", "audit"}),
    "BuyerModerated": frozenset({"comments", "audit"}),
    "CommentHidden": frozenset({"comments", "audit"}),
    "TicketOpened": frozenset({"comments", "audit"}),
    "LotteryCreated": frozenset({"lotteries", "audit"}),
    "LotteryDrawn": frozenset({"lotteries", "audit"}),
    "IncidentOpened": frozenset({"incidents", "audit"}),
    "IncidentResolved": frozenset({"incidents", "audit"}),
    "MetricAlertRaised": frozenset({"alerts"}),
    "MetricAlertCleared": frozenset({"alerts"}),
    "AlertAcknowledged": frozenset({"alerts", "audit"}),
    "CommentReplied": frozenset({"comments", "audit"}),
}
