"""The SLA breach job: every open case past a deadline becomes one alert row.

Rows are claimed, not remembered: each run selects the overdue cases that have no alert of
that kind yet, locking them with SKIP LOCKED (PostgreSQL; SQLite's writer lock serialises
runs), and inserts with ON CONFLICT DO NOTHING on (case, kind). Any number of processes
may run it; each breach is recorded once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, select

from liveroom.adapters.sql.db import insert_ignoring_duplicates
from liveroom.adapters.sql.schema_aftersales import after_sales, sla_breaches
from liveroom.adapters.sql.schema_comments import aftersales_tickets
from liveroom.aftersales.commands import SweepSlaBreaches
from liveroom.aftersales.events import SlaBreached
from liveroom.comments.tickets import COMPLETION_SLA, FIRST_RESPONSE_SLA
from liveroom.core.bus import Context
from liveroom.core.clock import as_aware
from liveroom.core.ids import new_id

DEADLINES = {"first_response": ("first_response_at", FIRST_RESPONSE_SLA),
             "completion": ("completed_at", COMPLETION_SLA)}


def sweep_sla_breaches(cmd: SweepSlaBreaches, uow: Any, ctx: Context) -> dict[str, int]:
    now = ctx.clock.now()
    a, tk, b = after_sales.c, aftersales_tickets.c, sla_breaches.c
    found = 0
    for kind, (column, limit) in DEADLINES.items():
        already = exists().where(and_(b.case_id == a.id, b.kind == kind))
        rows = uow.execute(
            select(a.id, a.order_id, tk.created_at)
            .join(aftersales_tickets, tk.id == a.ticket_id)
            .where(tk[column].is_(None), tk.created_at < now - limit, ~already)
            .order_by(tk.created_at).limit(cmd.limit)
            .with_for_update(of=after_sales, skip_locked=True)).all()
        for row in rows:
            due = as_aware(row.created_at) + limit
            added = uow.execute(insert_ignoring_duplicates(uow.conn, sla_breaches).values(
                id=new_id(), case_id=row.id, kind=kind, due_at=due, detected_at=now)
                .returning(sla_breaches.c.id)).first()
            if added is not None:
                found += 1
                uow.emit(SlaBreached(row.id, row.order_id, kind, due.isoformat()))
    uow.commit()
    return {"breaches": found}
