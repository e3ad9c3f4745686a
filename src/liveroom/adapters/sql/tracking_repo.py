"""Storage of tracking events, tracked links, reservations and campaign messages.
Inserts are upserts on unique keys (event_id, session+buyer), never check-then-act."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql import schema_tracking as tt
from liveroom.adapters.sql.db import insert_ignoring_duplicates
from liveroom.core.clock import as_aware
from liveroom.core.errors import NotFound
from liveroom.tracking.model import SERVER_SOURCE, EventType, TrackingEvent

_SQLITE_INSERT = (
    "INSERT OR IGNORE INTO tracking_events (event_id, session_id, type, version, buyer_id,"
    " ts, channel, utm_source, utm_medium, utm_campaign, utm_content, sku_id, props,"
    " received_at, sender)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def _sqlite_time(at: datetime) -> str:
    """A UTC time as SQLAlchemy's SQLite DateTime stores it (so both paths read alike)."""
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def row_to_event(r: Any) -> TrackingEvent:
    return TrackingEvent(
        event_id=r.event_id, type=EventType(r.type), session_id=r.session_id,
        buyer_id=r.buyer_id, ts=as_aware(r.ts), channel=r.channel, utm_source=r.utm_source,
        utm_medium=r.utm_medium, utm_campaign=r.utm_campaign, utm_content=r.utm_content,
        sku_id=r.sku_id, props=r.props or {}, version=r.version)


class TrackingRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def lineup_skus(self, sid: str) -> frozenset[str]:
        rows = self.conn.execute(select(t.lineup_items.c.sku_id)
                                 .where(t.lineup_items.c.session_id == sid)).all()
        return frozenset(r.sku_id for r in rows)

    def add_events(self, events: Sequence[TrackingEvent], received_at: datetime,
                   sender: str) -> set[str]:
        """Store the events not seen before; returns the event_ids actually inserted."""
        if not events:
            return set()
        if self.conn.dialect.name == "sqlite":
            return self._add_events_sqlite(events, received_at, sender)
        stmt = insert_ignoring_duplicates(self.conn, tt.tracking_events).returning(
            tt.tracking_events.c.event_id)
        rows = self.conn.execute(stmt, [{**e.to_row(), "received_at": received_at,
                                         "sender": sender} for e in events]).all()
        return {r.event_id for r in rows}

    def _add_events_sqlite(self, events: Sequence[TrackingEvent], received_at: datetime,
                           sender: str) -> set[str]:
        """The batch-ingest hot path on SQLite, straight through the DB-API: the unit of
        work holds SQLite's write lock (BEGIN IMMEDIATE), so nobody else inserts between
        the statements here, and the batch itself carries no repeated id. Duplicates are
        rare, so the batch is inserted first (a repeated event_id is skipped by the unique
        index); only when fewer rows went in than were sent are the new ones looked up:
        those past the highest seq before the insert."""
        cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute("SELECT coalesce(max(seq), 0) FROM tracking_events")
            row = cursor.fetchone()
            last_seq = row[0] if row else 0
            arrived = _sqlite_time(received_at)
            times: dict[datetime, str] = {}  # a client batch shares few distinct stamps
            cursor.executemany(_SQLITE_INSERT, [
                (e.event_id, e.session_id, e.type.value, e.version, e.buyer_id,
                 times.get(e.ts) or times.setdefault(e.ts, _sqlite_time(e.ts)), e.channel,
                 e.utm_source, e.utm_medium, e.utm_campaign, e.utm_content, e.sku_id,
                 json.dumps(e.props) if e.props else "{}", arrived, sender)
                for e in events])
            if cursor.rowcount == len(events):  # rows inserted (summed over the batch)
                return {e.event_id for e in events}
            cursor.execute("SELECT event_id FROM tracking_events WHERE seq > ?", (last_seq,))
            return {r[0] for r in cursor.fetchall()}
        finally:
            cursor.close()

    def add_server_fact(self, event: TrackingEvent, at: datetime) -> None:
        """A fact the server saw itself (a declined payment): it counts in live metrics at
        once, without waiting for a client to report it."""
        self.add_events([event], at, SERVER_SOURCE)

    def events(self, sid: str, after_seq: int = 0, limit: int | None = None,
               buyer_id: str | None = None) -> list[tuple[int, TrackingEvent]]:
        q = (select(tt.tracking_events).where(tt.tracking_events.c.session_id == sid,
                                              tt.tracking_events.c.seq > after_seq)
             .order_by(tt.tracking_events.c.seq))
        if buyer_id is not None:
            q = q.where(tt.tracking_events.c.buyer_id == buyer_id)
        if limit:
            q = q.limit(limit)
        return [(r.seq, row_to_event(r)) for r in self.conn.execute(q).all()]

    def events_at(self, sid: str, seqs: Sequence[int]) -> list[tuple[int, TrackingEvent]]:
        """The session's events with these seqs, in seq order (primary-key lookups)."""
        e = tt.tracking_events.c
        out: list[tuple[int, TrackingEvent]] = []
        for at in range(0, len(seqs), 500):
            q = (select(tt.tracking_events)
                 .where(e.session_id == sid, e.seq.in_(list(seqs[at:at + 500])))
                 .order_by(e.seq))
            out.extend((r.seq, row_to_event(r)) for r in self.conn.execute(q).all())
        return out

    # -- tracked links ------------------------------------------------------------------
    def add_link(self, values: dict[str, Any]) -> None:
        self.conn.execute(insert(tt.tracked_links).values(values))

    def link(self, code: str) -> Any:
        row = self.conn.execute(select(tt.tracked_links)
                                .where(tt.tracked_links.c.code == code)).first()
        if row is None:
            raise NotFound(f"no tracked link {code}", code="link_not_found")
        return row

    def links_by_code(self, codes: Iterable[str]) -> list[Any]:
        """The known links among these codes (clients may send any), ordered by code."""
        return list(self.conn.execute(select(tt.tracked_links)
                                      .where(tt.tracked_links.c.code.in_(list(codes)))
                                      .order_by(tt.tracked_links.c.code)).all())

    def links(self, sid: str) -> list[Any]:
        return list(self.conn.execute(select(tt.tracked_links)
                                      .where(tt.tracked_links.c.session_id == sid)
                                      .order_by(tt.tracked_links.c.created_at)).all())

    # -- campaign -----------------------------------------------------------------------
    def campaign(self, sid: str) -> dict[str, Any]:
        row = self.conn.execute(select(tt.campaigns.c.config)
                                .where(tt.campaigns.c.session_id == sid)).first()
        return dict(row.config) if row else {}

    def save_campaign(self, sid: str, config: dict[str, Any], at: datetime) -> None:
        self.conn.execute(tt.campaigns.delete().where(tt.campaigns.c.session_id == sid))
        self.conn.execute(insert(tt.campaigns).values(session_id=sid, config=config,
                                                      updated_at=at))

    def reserve(self, values: dict[str, Any]) -> bool:
        """One reservation per buyer and session; False when the buyer had one already."""
        stmt = insert_ignoring_duplicates(self.conn, tt.reservations).returning(
            tt.reservations.c.seq)
        return self.conn.execute(stmt, [values]).first() is not None

    def reservation(self, sid: str, buyer_id: str) -> Any:
        return self.conn.execute(select(tt.reservations).where(
            tt.reservations.c.session_id == sid,
            tt.reservations.c.buyer_id == buyer_id)).first()

    def reservation_rank(self, sid: str, seq: int) -> int:
        return int(self.conn.execute(select(func.count()).where(
            tt.reservations.c.session_id == sid, tt.reservations.c.seq <= seq)).scalar_one())

    def invites(self, sid: str, buyer_id: str) -> int:
        return int(self.conn.execute(select(func.count()).where(
            tt.reservations.c.session_id == sid,
            tt.reservations.c.invited_by == buyer_id)).scalar_one())

    def reservation_count(self, sid: str) -> int:
        return int(self.conn.execute(select(func.count()).where(
            tt.reservations.c.session_id == sid)).scalar_one())

    def reservations(self, sid: str) -> list[Any]:
        return list(self.conn.execute(select(tt.reservations)
                                      .where(tt.reservations.c.session_id == sid)
                                      .order_by(tt.reservations.c.seq)).all())

    # -- warm-up tasks ------------------------------------------------------------------
    def warmup_ticks(self, sid: str) -> dict[str, Any]:
        w = tt.warmup_ticks.c
        return {r.task: r for r in self.conn.execute(
            select(tt.warmup_ticks).where(w.session_id == sid)).all()}

    def tick_warmup(self, sid: str, task: str, by: str, at: datetime, note: str) -> None:
        """Replace the task's tick (the latest person to tick it is the one on record)."""
        self.untick_warmup(sid, task)
        self.conn.execute(insert(tt.warmup_ticks).values(
            session_id=sid, task=task, done_by=by, done_at=at, note=note))

    def untick_warmup(self, sid: str, task: str) -> None:
        w = tt.warmup_ticks.c
        self.conn.execute(tt.warmup_ticks.delete().where(w.session_id == sid, w.task == task))

    def queue_messages(self, rows: Iterable[dict[str, Any]]) -> int:
        rows = list(rows)
        if not rows:
            return 0
        stmt = insert_ignoring_duplicates(self.conn, tt.campaign_notifications).returning(
            tt.campaign_notifications.c.id)
        return len(self.conn.execute(stmt, rows).all())
