"""Ticket transitions and SLA figures (DOMAIN item 14: reply ≤ 2 h, done ≤ 48 h)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from liveroom.comments.tickets import Ticket, TicketClosed, assign, close, respond, sla


def _ticket(t0, hours_ago: float = 0.0, **extra: object) -> Ticket:
    fields: dict[str, object] = {"id": "t", "status": "open", "assignee": None,
                                 "created_at": t0 - timedelta(hours=hours_ago), **extra}
    return Ticket(**fields)  # type: ignore[arg-type]


def test_only_the_first_reply_sets_first_response_at(t0) -> None:
    # given an open ticket
    ticket = _ticket(t0)
    # when it is answered twice
    once = respond(ticket, t0 + timedelta(minutes=5))
    twice = respond(once, t0 + timedelta(minutes=50))
    # then the first reply's time stays and the ticket is being worked
    assert twice.first_response_at == t0 + timedelta(minutes=5)
    assert twice.status == "in_progress"


def test_a_closed_ticket_refuses_more_work(t0) -> None:
    done = close(assign(_ticket(t0), "客服小王"), "已退款", t0)
    assert (done.status, done.completed_at, done.resolution) == ("completed", t0, "已退款")
    assert done.first_response_at == t0  # the resolution reached the buyer
    for action in (lambda: respond(done, t0), lambda: assign(done, "x"),
                   lambda: close(done, "again", t0)):
        with pytest.raises(TicketClosed):
            action()


def test_sla_counts_only_due_tickets(t0) -> None:
    # given: answered in 1 h and done in 10 h; answered in 3 h, still open after 50 h;
    # silent for 3 h; and a fresh one still inside both windows
    h = timedelta(hours=1)
    tickets = [
        _ticket(t0, 20, first_response_at=t0 - 19 * h, completed_at=t0 - 10 * h,
                status="completed"),
        _ticket(t0, 50, first_response_at=t0 - 47 * h, status="in_progress"),
        _ticket(t0, 3),
        _ticket(t0, 0.5),
    ]
    # when the figures are computed now
    figures = sla(tickets, t0)
    # then 1 of 3 due first replies was in time, 1 of 2 due completions
    assert (figures.first_response_due, figures.first_response_met) == (3, 1)
    assert (figures.completion_due, figures.completion_met) == (2, 1)
    out = figures.as_json()
    assert out["completed_within_48h"] == {"due": 2, "met": 1, "share": 0.5, "target": 0.95,
                                           "on_target": False}
    assert (out["open"], out["in_progress"], out["completed"]) == (2, 1, 1)
    assert sla([], t0).first_response_share is None
