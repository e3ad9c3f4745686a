"""1-to-1 after-sales tickets opened from a comment: pure transitions and SLA figures.

DOMAIN item 14: first response within 2 h, completion within 48 h (target ≥ 95 %). A ticket
counts towards a share once it is *due*: responded/completed, or past its deadline without
it. Tickets still inside their window are neither met nor missed yet, so a fresh queue does
not read as a failing one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from liveroom.core.errors import Conflict

TicketStatus = Literal["open", "in_progress", "completed"]
FIRST_RESPONSE_SLA = timedelta(hours=2)
COMPLETION_SLA = timedelta(hours=48)
COMPLETION_TARGET = 0.95


class TicketClosed(Conflict):
    code = "ticket_closed"


@dataclass(frozen=True, slots=True)
class Ticket:
    id: str
    status: TicketStatus
    assignee: str | None
    created_at: datetime
    first_response_at: datetime | None = None
    completed_at: datetime | None = None
    resolution: str | None = None


def _require_open(ticket: Ticket, action: str) -> None:
    if ticket.status == "completed":
        raise TicketClosed(f"ticket {ticket.id} is completed: cannot {action}",
                           ticket_id=ticket.id)


def respond(ticket: Ticket, now: datetime) -> Ticket:
    """A reply to the buyer; only the first one sets ``first_response_at``."""
    _require_open(ticket, "respond")
    return replace(ticket, status="in_progress",
                   first_response_at=ticket.first_response_at or now)


def assign(ticket: Ticket, assignee: str) -> Ticket:
    _require_open(ticket, "assign")
    return replace(ticket, assignee=assignee,
                   status="in_progress" if ticket.status == "open" else ticket.status)


def close(ticket: Ticket, resolution: str, now: datetime) -> Ticket:
    """Completed with a resolution. Closing without a reply counts the resolution as the
    first response: the buyer did hear back, with the outcome."""
    _require_open(ticket, "close")
    return replace(ticket, status="completed", completed_at=now, resolution=resolution,
                   first_response_at=ticket.first_response_at or now)


@dataclass(frozen=True, slots=True)
class SlaFigures:
    total: int
    open: int
    in_progress: int
    completed: int
    first_response_due: int
    first_response_met: int
    completion_due: int
    completion_met: int

    @property
    def first_response_share(self) -> float | None:
        return _share(self.first_response_met, self.first_response_due)

    @property
    def completion_share(self) -> float | None:
        return _share(self.completion_met, self.completion_due)

    def as_json(self) -> dict[str, object]:
        completion = self.completion_share
        return {
            "total": self.total, "open": self.open, "in_progress": self.in_progress,
            "completed": self.completed,
            "first_response_within_2h": {"due": self.first_response_due,
                                         "met": self.first_response_met,
                                         "share": self.first_response_share},
            "completed_within_48h": {"due": self.completion_due, "met": self.completion_met,
                                     "share": completion, "target": COMPLETION_TARGET,
                                     "on_target": None if completion is None
                                     else completion >= COMPLETION_TARGET},
        }


def _share(met: int, due: int) -> float | None:
    return round(met / due, 4) if due else None


def _within(start: datetime, end: datetime | None, limit: timedelta,
            now: datetime) -> tuple[bool, bool]:
    """(due, met) for one deadline."""
    if end is not None:
        return True, end - start <= limit
    return now - start > limit, False


def sla(tickets: Iterable[Ticket], now: datetime) -> SlaFigures:
    counts = {"open": 0, "in_progress": 0, "completed": 0}
    fr_due = fr_met = done_due = done_met = 0
    for t in tickets:
        counts[t.status] += 1
        due, met = _within(t.created_at, t.first_response_at, FIRST_RESPONSE_SLA, now)
        fr_due, fr_met = fr_due + due, fr_met + met
        due, met = _within(t.created_at, t.completed_at, COMPLETION_SLA, now)
        done_due, done_met = done_due + due, done_met + met
    return SlaFigures(sum(counts.values()), counts["open"], counts["in_progress"],
                      counts["completed"], fr_due, fr_met, done_due, done_met)
