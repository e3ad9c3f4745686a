"""Working a 1-to-1 after-sales ticket: reply, assign, close.

Each action locks the ticket row, applies the pure transition from ``tickets.py``, keeps
what was said in ``ticket_messages``, writes the audit trail and an event, and commits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from liveroom.adapters.sql.tickets_repo import TicketsRepo, ticket_of
from liveroom.comments import commands as cmds
from liveroom.comments import tickets
from liveroom.comments.events import TicketChanged
from liveroom.comments.views import ticket_json
from liveroom.core.bus import Context

Transition = Callable[[tickets.Ticket], tickets.Ticket]


def _work(uow: Any, ctx: Context, ticket_id: str, action: str, body: str,
          transition: Transition) -> dict[str, Any]:
    repo = TicketsRepo(uow.conn)
    row = repo.get(ticket_id, lock=True)
    before = ticket_of(row)
    after = transition(before)
    repo.save(before, after)
    repo.add_message(ticket_id, action, body, ctx.actor.name, ctx.clock.now())
    uow.audit.record(ctx.actor, f"comments.ticket.{action}", session_id=row.session_id,
                     target=ticket_id,
                     before={"status": before.status, "assignee": before.assignee},
                     after={"status": after.status, "assignee": after.assignee, action: body})
    uow.emit(TicketChanged(row.session_id, ticket_id, action, after.status))
    uow.commit()
    return ticket_json(row, after)


def respond_ticket(cmd: cmds.RespondTicket, uow: Any, ctx: Context) -> dict[str, Any]:
    now = ctx.clock.now()
    return _work(uow, ctx, cmd.ticket_id, "respond", cmd.message,
                 lambda t: tickets.respond(t, now))


def assign_ticket(cmd: cmds.AssignTicket, uow: Any, ctx: Context) -> dict[str, Any]:
    return _work(uow, ctx, cmd.ticket_id, "assign", cmd.assignee,
                 lambda t: tickets.assign(t, cmd.assignee))


def close_ticket(cmd: cmds.CloseTicket, uow: Any, ctx: Context) -> dict[str, Any]:
    now = ctx.clock.now()
    return _work(uow, ctx, cmd.ticket_id, "close", cmd.resolution,
                 lambda t: tickets.close(t, cmd.resolution, now))


HANDLERS: dict[type, Any] = {
    cmds.RespondTicket: respond_ticket,
    cmds.AssignTicket: assign_ticket,
    cmds.CloseTicket: close_ticket,
}
