"""Read side of live metrics and traffic attribution.

Events are folded incrementally: each process keeps one aggregator per session with the
`seq` of the last event it has seen and reads only newer rows, so a dashboard polling every
second does not rescan the whole log. Orders are re-read each time (their status changes)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import polars as pl
from sqlalchemy import func, select

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.log_segments import LogSegments
from liveroom.adapters.sql.repositories import SessionRepo
from liveroom.adapters.sql.schema_comments import comments as comments_table
from liveroom.adapters.sql.schema_orders import orders as orders_table
from liveroom.adapters.sql.tracking_log import read_log
from liveroom.adapters.sql.tracking_repo import TrackingRepo
from liveroom.core.clock import as_aware
from liveroom.metrics.attribution import channel_table, channel_table_of
from liveroom.metrics.batch import fold_frame
from liveroom.metrics.counts import counts_frame
from liveroom.metrics.live import LiveAggregator, OrderFact, viewers
from liveroom.planning.model import LiveSession

READ_CHUNK = 20_000


@dataclass
class _Fold:
    agg: LiveAggregator = field(default_factory=LiveAggregator)
    settled: int = 0  # every event at or below this seq has been applied
    applied: set[int] = field(default_factory=set)  # applied seqs above `settled`
    lock: threading.Lock = field(default_factory=threading.Lock)


class MetricsCache:
    """Per-session aggregators for one process; safe to share between request threads.

    Each fold reads only events it has not applied. On PostgreSQL concurrent ingests can
    commit out of seq order, so an event is only taken as settled once it arrived more
    than `grace` ago; newer ones are re-read and skipped if already applied. SQLite commits
    one writer at a time, in seq order, and needs no grace."""

    def __init__(self, grace: timedelta = timedelta(seconds=5),
                 segments: LogSegments | None = None) -> None:
        self._lock = threading.Lock()
        self._folds: dict[str, _Fold] = {}
        self.grace = grace
        self.segments = segments

    @contextmanager
    def aggregator(self, conn: Any, sid: str, now: datetime) -> Iterator[LiveAggregator]:
        with self._lock:
            fold = self._folds.setdefault(sid, _Fold())
        grace = self.grace if conn.dialect.name == "postgresql" else timedelta(0)
        with fold.lock:
            horizon = now - grace if grace else None
            if fold.agg.seen == 0 and not fold.applied:
                _cold_start(fold, conn, sid, horizon, self.segments)
            after, settling = fold.settled, True
            while True:  # the new rows as the log stores them, straight from the cursor
                rows = read_log(conn, sid, after, horizon, READ_CHUNK)
                if rows.height == 0:
                    break
                for seq, etype, buyer, ts, channel, sku, num, counted, recent in rows.iter_rows():
                    if seq not in fold.applied:
                        fold.agg.fold(etype, buyer, ts, channel, sku, num, counted)
                        fold.applied.add(seq)
                    # Settle the prefix that arrived before the horizon; stop at the first
                    # recent row, since a lower seq may still be committing behind it.
                    settling = settling and not recent
                    if settling:
                        fold.settled = seq
                after = seq
            fold.applied = {seq for seq in fold.applied if seq > fold.settled}
            if self.segments is not None:
                self.segments.compact(conn, sid, fold.settled)
            yield fold.agg


def _cold_start(fold: _Fold, conn: Any, sid: str, horizon: datetime | None,
                segments: LogSegments | None) -> None:
    """Build the fold's state from the whole log at once with the batch engine; rows that
    arrived after the horizon are applied but not settled, as the incremental path does."""
    log = segments.read(conn, sid, horizon) if segments else read_log(conn, sid, 0, horizon)
    if log.height == 0:
        return
    fold.agg = fold_frame(log)
    recent = log.filter(pl.col("recent"))["seq"]
    first_recent = int(recent.min()) if recent.len() else None  # type: ignore[arg-type]
    settled = log.filter(pl.col("seq") < first_recent) if first_recent else log
    fold.settled = int(settled["seq"].max()) if settled.height else 0  # type: ignore[arg-type]
    fold.applied = set(log.filter(pl.col("seq") > fold.settled)["seq"])


def server_comments(conn: Any, sid: str) -> int:
    """Comments ingested through the comment API (a server fact, spam included: a comment
    is a comment whoever wrote it)."""
    c = comments_table.c
    return int(conn.execute(select(func.count()).select_from(comments_table)
                            .where(c.session_id == sid)).scalar_one())


def order_facts(conn: Any, sid: str) -> list[OrderFact]:
    o = orders_table.c
    rows = conn.execute(select(o.id, o.buyer_id, o.status, o.total_fen, o.created_at,
                               o.paid_at, o["items"], o.channel)
                        .where(o.session_id == sid, o.test.is_(False))
                        .order_by(o.created_at)).all()
    return [OrderFact(
        order_id=r.id, buyer_id=r.buyer_id, status=r.status, total_fen=int(r.total_fen),
        created_at=as_aware(r.created_at), paid_at=as_aware(r.paid_at) if r.paid_at else None,
        items=tuple((i["sku_id"], int(i["quantity"]), int(i["unit_price_fen"]))
                    for i in (r.items or [])),
        channel=r.channel) for r in rows]


def sku_names(conn: Any, sid: str) -> dict[str, str]:
    rows = conn.execute(
        select(t.skus.c.id, t.products.c.name, t.skus.c.spec)
        .select_from(t.lineup_items.join(t.skus, t.skus.c.id == t.lineup_items.c.sku_id)
                     .join(t.products, t.products.c.id == t.skus.c.product_id))
        .where(t.lineup_items.c.session_id == sid)).all()
    return {r.id: r.name for r in rows}


def live_metrics(conn: Any, cache: MetricsCache, sid: str, now: datetime) -> dict[str, Any]:
    session = SessionRepo(conn).get(sid)
    facts = order_facts(conn, sid)
    with cache.aggregator(conn, sid, now) as agg:
        snap = agg.snapshot(facts, now, sku_names(conn, sid),
                            since=session.started_at or session.scheduled_start,
                            server_comments=server_comments(conn, sid))
    snap.update({"session_id": sid, "status": session.status.value, "at": now.isoformat()})
    return snap


def channels(conn: Any, cache: MetricsCache, sid: str, now: datetime) -> dict[str, Any]:
    session = SessionRepo(conn).get(sid)
    facts = order_facts(conn, sid)
    with cache.aggregator(conn, sid, now) as agg:
        first = dict(agg.first_channel)
        # the same viewers as unique_viewers: everyone who entered, or ordered anyway
        entered = viewers(agg) | {f.buyer_id for f in facts}
    spend, reserved = _spend(conn, session)
    return channel_table(first, entered, facts, spend, reserved)


def closed_figures(conn: Any, sid: str, now: datetime, segments: LogSegments | None = None,
                   ) -> tuple[dict[str, Any], dict[str, Any]]:
    """`live_metrics` and `channels` of a session read once from its whole log with the
    counts-only engine (metrics.counts): the review's path, the same figures without the
    per-buyer state a live fold keeps to continue."""
    session = SessionRepo(conn).get(sid)
    facts = order_facts(conn, sid)
    log = segments.scan(conn, sid) if segments else read_log(conn, sid).lazy()
    agg = counts_frame(log, {f.buyer_id for f in facts})
    snap = agg.snapshot(facts, now, sku_names(conn, sid),
                        since=session.started_at or session.scheduled_start,
                        server_comments=server_comments(conn, sid))
    snap.update({"session_id": sid, "status": session.status.value, "at": now.isoformat()})
    spend, reserved = _spend(conn, session)
    return snap, channel_table_of(agg.channel_viewers(facts), agg.first_channel, facts,
                                  spend, reserved)


def _spend(conn: Any, session: LiveSession) -> tuple[dict[str, int], dict[str, int]]:
    """Spend per channel (the session's budget plus link spend) and reservations."""
    repo = TrackingRepo(conn)
    spend: dict[str, int] = dict(session.channel_budget)
    for link in repo.links(session.id):
        if link.spend_fen:
            spend[link.channel] = spend.get(link.channel, 0) + int(link.spend_fen)
    reserved: dict[str, int] = {}
    for r in repo.reservations(session.id):
        reserved[r.channel] = reserved.get(r.channel, 0) + 1
    return spend, reserved


def viewer_path(conn: Any, sid: str, buyer_id: str,
                segments: LogSegments | None = None) -> dict[str, Any]:
    """One viewer's path: the link they came through, then every step to the order. The
    log has no index by buyer (it made every ingested event cost a random page write): the
    compacted segments tell which of their rows are the buyer's, and only the rows after
    them are scanned."""
    repo = TrackingRepo(conn)
    seqs, after = segments.seqs_of(sid, buyer_id) if segments else ([], 0)
    steps = [e.to_json() for _, e in [*repo.events_at(sid, seqs),
                                      *repo.events(sid, after, buyer_id=buyer_id)]]
    steps.sort(key=lambda e: e["ts"])
    # `lc` comes from the client: a stale or garbled code must not hide the rest of the path
    codes = {s["props"].get("lc") for s in steps if isinstance(s["props"].get("lc"), str)}
    links = [dict(r._mapping) for r in repo.links_by_code(codes)]
    reservation = repo.reservation(sid, buyer_id)
    facts = [f for f in order_facts(conn, sid) if f.buyer_id == buyer_id]
    return {
        "buyer_id": buyer_id,
        "links": [{"code": lk["code"], "channel": lk["channel"], "koc": lk["koc"],
                   "kind": lk["kind"], "utm": lk["utm"]} for lk in links],
        "reservation": None if reservation is None else {
            "channel": reservation.channel, "link_code": reservation.link_code,
            "at": as_aware(reservation.created_at).isoformat()},
        "events": [{"ts": s["ts"], "type": s["type"], "channel": s["channel"],
                    "sku_id": s["sku_id"], "utm_source": s["utm_source"],
                    "utm_content": s["utm_content"]} for s in steps],
        "orders": [{"order_id": f.order_id, "status": f.status, "total_fen": f.total_fen,
                    "channel": f.channel, "created_at": f.created_at.isoformat()}
                   for f in facts],
    }
