"""Storage of 1-to-1 after-sales tickets and what was done on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from liveroom.adapters.sql import schema_comments as tc
from liveroom.comments.tickets import Ticket
from liveroom.core.clock import as_aware
from liveroom.core.errors import Conflict, NotFound
from liveroom.core.ids import new_id

_T = tc.aftersales_tickets


def _aware(value: datetime | None) -> datetime | None:
    return as_aware(value) if value is not None else None


def ticket_of(row: Any) -> Ticket:
    return Ticket(row.id, row.status, row.assignee, as_aware(row.created_at),
                  _aware(row.first_response_at), _aware(row.completed_at), row.resolution)


class TicketsRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, ticket_id: str, *, lock: bool = False) -> Any:
        q = select(_T).where(_T.c.id == ticket_id)
        row = self.conn.execute(q.with_for_update() if lock else q).first()
        if row is None:
            raise NotFound(f"no ticket {ticket_id}", code="ticket_not_found")
        return row

    def save(self, before: Ticket, after: Ticket) -> None:
        """Write a transition; conditional on the status read, so a concurrent one that got
        there first makes this one fail instead of being overwritten."""
        result = self.conn.execute(
            update(_T).where(_T.c.id == before.id, _T.c.status == before.status).values(
                status=after.status, assignee=after.assignee,
                first_response_at=after.first_response_at, completed_at=after.completed_at,
                resolution=after.resolution))
        if result.rowcount != 1:
            raise Conflict(f"ticket {before.id} changed meanwhile; retry",
                           code="ticket_changed", ticket_id=before.id)

    def add_message(self, ticket_id: str, kind: str, body: str, actor: str,
                    now: datetime) -> str:
        message_id = new_id()
        self.conn.execute(insert(tc.ticket_messages).values(
            id=message_id, ticket_id=ticket_id, kind=kind, body=body, actor=actor,
            created_at=now))
        return message_id

    def for_session(self, session_id: str) -> list[Any]:
        return list(self.conn.execute(select(_T).where(_T.c.session_id == session_id)
                                      .order_by(_T.c.created_at, _T.c.id)).all())

    def messages(self, ticket_ids: list[str]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {t: [] for t in ticket_ids}
        if ticket_ids:
            m = tc.ticket_messages
            for row in self.conn.execute(select(m).where(m.c.ticket_id.in_(ticket_ids))
                                         .order_by(m.c.created_at, m.c.id)):
                out[row.ticket_id].append(row)
        return out
