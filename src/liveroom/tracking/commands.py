"""Commands of tracking, traffic sources and the warm-up campaign."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from liveroom.core.messages import Command


@dataclass(frozen=True)
class IngestEvents(Command):
    action: ClassVar[str] = "events.ingest"
    session_id: str
    events: list[Any]
    # True: one bad event rejects the whole batch (nothing stored). False (default): the
    # valid events are stored together in one transaction and the bad ones are listed.
    atomic: bool = False


@dataclass(frozen=True)
class CreateLink(Command):
    action: ClassVar[str] = "campaign.write"
    session_id: str
    channel: str
    base_url: str
    kind: str = "live"  # live | reservation
    koc: str | None = None
    team: str | None = None
    campaign: str = ""
    spend_fen: int = 0
    coupon_code: str | None = None


@dataclass(frozen=True)
class ConfigureCampaign(Command):
    action: ClassVar[str] = "campaign.write"
    session_id: str
    config: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reserve(Command):
    """A buyer's 预约; no operator permission (the buyer's JWT is the authority)."""

    session_id: str
    buyer_id: str
    link_code: str | None = None
    invited_by: str | None = None


@dataclass(frozen=True)
class RecordVisit(Command):
    """A visit to a viewer page (public: the page itself records it)."""

    session_id: str
    visitor: str
    page: str  # reserve | live
    link_code: str | None = None
    utm: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class QueueReminders(Command):
    action: ClassVar[str] = "campaign.write"
    session_id: str
    kind: str = "go_live"
    text: str = ""


@dataclass(frozen=True)
class CreateChannelCoupons(Command):
    action: ClassVar[str] = "campaign.write"
    session_id: str
    channels: list[str]
    discount_fen: int
    threshold_fen: int = 0
    total: int = 100
    override: bool = False  # of the price guard, as on the console's coupons
    override_reason: str = ""


@dataclass(frozen=True)
class TickWarmupTask(Command):
    """A person marks a warm-up task done (done=False takes the tick back)."""

    action: ClassVar[str] = "campaign.write"
    session_id: str
    task: str
    done: bool = True
    note: str = ""
