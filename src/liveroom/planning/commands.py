from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from liveroom.core.messages import Command, Event


@dataclass(frozen=True)
class CreateSession(Command):
    action: ClassVar[str] = "session.create"
    title: str
    scheduled_start: datetime
    duration_minutes: int
    theme: str = ""
    targets: dict[str, float] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    channel_budget: dict[str, int] = field(default_factory=dict)
    max_price_drop_pct: int | None = None


@dataclass(frozen=True)
class LineupEntry:
    sku_id: str
    live_price_fen: int
    floor_price_fen: int | None = None
    flash_quantity: int = 0
    talking_points: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SetLineup(Command):
    action: ClassVar[str] = "session.plan"
    session_id: str
    items: list[LineupEntry]
    override: bool = False
    override_reason: str = ""


@dataclass(frozen=True)
class SegmentEntry:
    kind: str
    start_minute: int
    duration_minutes: int
    title: str = ""
    sku_id: str | None = None
    giveaway: bool = False
    script: str = ""
    contingency: str = ""


@dataclass(frozen=True)
class SetSegments(Command):
    action: ClassVar[str] = "session.plan"
    session_id: str
    segments: list[SegmentEntry]


@dataclass(frozen=True)
class TransitionSession(Command):
    action: ClassVar[str] = "session.transition"
    session_id: str
    to: str  # rehearse | start | end


@dataclass(frozen=True)
class TickChecklist(Command):
    action: ClassVar[str] = "checklist.tick"
    session_id: str
    item: str
    ok: bool = True
    note: str = ""


@dataclass(frozen=True)
class SessionCreated(Event):
    session_id: str
    title: str
    scheduled_start: datetime


@dataclass(frozen=True)
class SessionStatusChanged(Event):
    session_id: str
    before: str
    after: str
    at: datetime


@dataclass(frozen=True)
class UpdateSession(Command):
    """Edit a planned session; only the fields given (not None) change. `targets` and
    `channel_budget` replace the whole mapping; `sku_targets` are units per SKU id."""

    action: ClassVar[str] = "session.create"
    session_id: str
    title: str | None = None
    theme: str | None = None
    scheduled_start: datetime | None = None
    duration_minutes: int | None = None
    targets: dict[str, float] | None = None
    sku_targets: dict[str, int] | None = None
    channel_budget: dict[str, int] | None = None


@dataclass(frozen=True)
class SetContingency(Command):
    """The contingency scripts (应急预案) per kind of trouble; replaces the whole set."""

    action: ClassVar[str] = "session.plan"
    session_id: str
    scripts: dict[str, str]
