"""The database side of room ownership: the fencing epoch, applied log entries and the
question queue as the owner keeps it for every process to read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from liveroom.adapters.sql.schema_comment_log import (
    comment_log_applied,
    comment_queue_views,
    comment_room_owners,
)

o, a, v = comment_room_owners.c, comment_log_applied.c, comment_queue_views.c


def bound_idle(conn: Connection, ms: int) -> None:
    """On PostgreSQL, end this transaction if its client falls silent for `ms`. A process
    cut off from the network in the middle of a transaction may never be heard of again:
    without this, the server keeps the transaction (and its row locks: the fence's row, a
    session's) open until TCP keepalive notices, two hours by default."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"SET LOCAL idle_in_transaction_session_timeout = {int(ms)}"))


class RoomOwnerRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def take(self, session_id: str, owner: str, now: datetime) -> int:
        """A new epoch for a new owner (the caller commits). From its commit on, the
        previous owner's writes match no row."""
        bumped = self.conn.execute(update(comment_room_owners)
                                   .where(o.session_id == session_id)
                                   .values(epoch=o.epoch + 1, owner=owner, taken_at=now))
        if bumped.rowcount == 0:
            try:
                with self.conn.begin_nested():
                    self.conn.execute(insert(comment_room_owners).values(
                        session_id=session_id, epoch=1, owner=owner, taken_at=now))
            except IntegrityError:  # another process inserted it first: take it from them
                self.conn.execute(update(comment_room_owners)
                                  .where(o.session_id == session_id)
                                  .values(epoch=o.epoch + 1, owner=owner, taken_at=now))
        return int(self.conn.execute(select(o.epoch).where(o.session_id == session_id))
                   .scalar_one())

    def epoch(self, session_id: str) -> int | None:
        value = self.conn.execute(select(o.epoch).where(o.session_id == session_id)
                                  ).scalar_one_or_none()
        return None if value is None else int(value)

    def fence(self, session_id: str, epoch: int) -> bool:
        """True while `epoch` is current. On PostgreSQL the update also locks the row to the
        commit, so a new owner's `take` waits for this transaction, not the other way round."""
        held = self.conn.execute(update(comment_room_owners)
                                 .where(o.session_id == session_id, o.epoch == epoch)
                                 .values(epoch=epoch))
        return held.rowcount == 1

    def applied(self, session_id: str, entry_ids: Iterable[str]) -> dict[str, Any]:
        ids = list(entry_ids)
        if not ids:
            return {}
        rows = self.conn.execute(select(a.entry_id, a.outcome).where(
            a.session_id == session_id, a.entry_id.in_(ids)))
        return {r.entry_id: r.outcome for r in rows}

    def record(self, session_id: str, entry_id: str, outcome: Any, now: datetime) -> None:
        self.conn.execute(insert(comment_log_applied).values(
            session_id=session_id, entry_id=entry_id, outcome=outcome, applied_at=now))

    def save_queue(self, session_id: str, cards: list[dict[str, Any]], total: int,
                   epoch: int, now: datetime) -> None:
        values = {"cards": cards, "total": total, "epoch": epoch, "updated_at": now}
        saved = self.conn.execute(update(comment_queue_views)
                                  .where(v.session_id == session_id).values(**values))
        if saved.rowcount == 0:
            # Only the fenced owner writes this row: no other insert can race it.
            self.conn.execute(insert(comment_queue_views).values(session_id=session_id,
                                                                 **values))

    def queue(self, session_id: str) -> tuple[list[dict[str, Any]], int]:
        row = self.conn.execute(select(v.cards, v.total).where(v.session_id == session_id)
                                ).first()
        return ([], 0) if row is None else (list(row.cards), int(row.total))
