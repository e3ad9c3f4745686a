"""The comment pipeline in the server's event loop: requests enqueue validated comments and
await a future; one flusher task groups whatever arrived in the last ``linger_ms`` into one
flush: per room, analyse the batch (one analyzer call), feed the question queue, alerts,
games and auto-replies in memory, then write every comment, alert, entry and event in one
transaction. The future resolves (HTTP 202) only after that commit.

What the 202 promises: the comments are committed to the database (with their analysis) —
the same durability as any other write here (SQLite WAL with synchronous=NORMAL survives a
process crash, not a power cut; PostgreSQL per its fsync settings). The in-memory queue and
alert windows are derived state and are rebuilt from those rows when a process starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from liveroom.adapters.sql.comments_repo import CommentsRepo, comment_row
from liveroom.comments.events import AutoReplySent, CommentAlertRaised, CommentsIngested
from liveroom.comments.handlers import card_json
from liveroom.comments.ingest import IncomingComment
from liveroom.comments.pipeline import CommentAnalyzer
from liveroom.comments.ports import IngestOutcome
from liveroom.comments.room import Room, RoomBatch
from liveroom.comments.rooms import CommentSettings, Rooms
from liveroom.connectors.replies import ReplyHub
from liveroom.core.errors import DomainError
from liveroom.core.messages import Event
from liveroom.core.tasks import stop_tasks
from liveroom.runtime import Core

log = logging.getLogger(__name__)


class StoreUnavailable(DomainError):
    status = 503
    code = "comments_store_unavailable"


@dataclass
class Pending:
    session_id: str
    items: list[IncomingComment]
    source: str
    arrived: float = field(default_factory=time.perf_counter)
    future: asyncio.Future[Any] | None = None
    entry_id: str | None = None  # the log entry it came from (distributed mode)


class FlushHooks:
    """What a room owner adds to a flush's transaction (comments/owner.py): the
    session's state before a room is fed, its fence before the writes, the
    applied-entry record after each batch, the question queue view before the commit.
    The embedded pipeline adds nothing."""

    def before_room(self, conn: Any, session_id: str, batch: list[Pending]) -> None:
        """Raise a DomainError to refuse this room's batches."""

    def before_write(self, conn: Any, session_id: str) -> None:
        """Called in the transaction after the analysis, before the room's first write."""

    def written(self, conn: Any, pending: Pending, outcome: IngestOutcome) -> None:
        """Called in the transaction, after the batch's rows."""

    def room_done(self, conn: Any, session_id: str, room: Room) -> None:
        """Called in the transaction, before the commit."""


NO_HOOKS = FlushHooks()


class CommentPipeline:
    def __init__(self, c: Core, rooms: Rooms, hub: ReplyHub,
                 knobs: CommentSettings) -> None:
        self.c = c
        self.rooms = rooms
        self.hub = hub
        self.knobs = knobs
        self._pending: list[Pending] = []
        self._count = 0
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._values_task: asyncio.Task[None] | None = None
        self._publishing: asyncio.Task[None] | None = None
        self._unpublished = False
        # (seconds from arrival to queued, comments) and (… to committed, comments)
        self.to_queue: deque[tuple[float, int]] = deque(maxlen=100_000)
        self.to_commit: deque[tuple[float, int]] = deque(maxlen=100_000)

    # -- async side --------------------------------------------------------------------
    async def start(self) -> None:
        self._ensure_started()

    def _ensure_started(self) -> None:
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run())
        if self._values_task is None or self._values_task.done():
            self._values_task = asyncio.get_running_loop().create_task(self._refresh_values())

    async def stop(self) -> None:
        await stop_tasks([self._task, self._values_task, self._publishing])
        self._task = self._values_task = self._publishing = None

    def publish_soon(self) -> None:
        """After a flush commits: its notices (new comments, questions, alerts) leave now
        instead of on the relay's next tick, so open consoles show them within one render.
        One drain at a time, again if more was committed meanwhile; the flusher never
        waits for it."""
        self._unpublished = True
        if self._publishing is None or self._publishing.done():
            self._publishing = asyncio.get_running_loop().create_task(self._publish())

    async def _publish(self) -> None:
        while self._unpublished:
            self._unpublished = False
            try:
                await asyncio.to_thread(self.c.relay.drain)
            except SQLAlchemyError:  # the relay's timer publishes them on its next tick
                log.warning("comment notices not published yet", exc_info=True)
                return

    async def _refresh_values(self) -> None:
        """Re-read paid GMV per buyer for the loaded rooms every few seconds, off the flush
        thread so ingest never waits on the orders table."""
        while True:
            await asyncio.sleep(self.knobs.buyer_value_refresh_s)
            try:
                await asyncio.to_thread(self.refresh_buyer_values)
            except SQLAlchemyError:
                log.warning("buyer values not refreshed; next try in %.0f s",
                            self.knobs.buyer_value_refresh_s, exc_info=True)

    def refresh_buyer_values(self) -> None:
        with self.c.read() as conn:
            repo = CommentsRepo(conn)
            for sid in self.rooms.loaded_ids():
                values = repo.paid_by_buyer(sid)
                room = self.rooms.loaded(sid)
                if room is not None:
                    room.set_buyer_values(values)

    def enqueue(self, session_id: str, items: list[IncomingComment],
                source: str) -> asyncio.Future[Any]:
        """Queue a validated batch (in arrival order); the future gives an IngestOutcome."""
        self._ensure_started()
        pending = Pending(session_id, items, source,
                          future=asyncio.get_running_loop().create_future())
        self._pending.append(pending)
        self._count += len(items)
        assert self._wake is not None
        self._wake.set()
        assert pending.future is not None
        return pending.future

    async def submit(self, session_id: str, items: list[IncomingComment],
                     source: str = "api") -> IngestOutcome:
        out: IngestOutcome = await self.enqueue(session_id, items, source)
        return out

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            await self._wake.wait()
            self._wake.clear()
            if self.knobs.linger_ms > 0 and self._count < self.knobs.max_batch:
                await asyncio.sleep(self.knobs.linger_ms / 1000)
            batch, self._pending, self._count = self._pending, [], 0
            if not batch:
                continue
            try:
                results, replies = await asyncio.to_thread(self.flush, batch)
            except Exception as exc:  # a bug must fail these requests, not the flusher
                log.exception("comment flush failed")
                results, replies = [exc] * len(batch), []
            for pending, result in zip(batch, results, strict=True):
                future = pending.future
                if future is None or future.done():
                    continue
                if isinstance(result, BaseException):
                    future.set_exception(result)
                else:
                    future.set_result(result)
            for session_id, message in replies:
                self.hub.send(session_id, message)
            self.publish_soon()

    # -- the flush (a worker thread, or called directly by tests and benchmarks) ---------
    def flush(self, batch: list[Pending], hooks: FlushHooks = NO_HOOKS
              ) -> tuple[list[IngestOutcome | BaseException], list[tuple[str, Any]]]:
        results: list[IngestOutcome | BaseException] = [StoreUnavailable("not flushed")] * len(
            batch)
        replies: list[tuple[str, Any]] = []
        touched: set[str] = set()
        now = self.c.clock.now()
        try:
            with self.c.uow() as uow, contextlib.ExitStack() as locks:
                repo = CommentsRepo(uow.conn)
                held: set[str] = set()
                for sid in sorted({p.session_id for p in batch}):
                    locks.enter_context(self.rooms.lock(sid))
                    held.add(sid)
                try:
                    done: list[tuple[int, Pending, RoomBatch]] = []
                    rooms: dict[str, Room] = {}
                    by_room: dict[str, list[int]] = {}
                    for index, pending in enumerate(batch):
                        by_room.setdefault(pending.session_id, []).append(index)
                    for sid, indexes in by_room.items():
                        try:
                            hooks.before_room(uow.conn, sid, [batch[i] for i in indexes])
                            room = self.rooms.get(sid, uow.conn)
                        except DomainError as exc:
                            for index in indexes:
                                results[index] = exc
                            continue
                        touched.add(sid)
                        rooms[sid] = room
                        # One analyzer call per room and flush (cheaper per comment than one
                        # per request), in arrival order.
                        room_batches = room.process_many([batch[i].items for i in indexes])
                        queued_at = time.perf_counter()
                        for index, room_batch in zip(indexes, room_batches, strict=True):
                            pending = batch[index]
                            self.to_queue.append((queued_at - pending.arrived, len(pending.items)))
                            done.append((index, pending, room_batch))
                    done.sort(key=lambda entry: entry[0])
                    for sid in sorted(rooms):
                        hooks.before_write(uow.conn, sid)
                    for _, pending, room_batch in done:
                        self._write(uow, repo, pending, room_batch, now, replies)
                        hooks.written(uow.conn, pending, outcome_of(room_batch))
                    for sid, room in rooms.items():
                        hooks.room_done(uow.conn, sid, room)
                    uow.commit()
                except BaseException:
                    # The rooms saw comments that were not committed: rebuild them from
                    # the database (still under their locks), whatever went wrong.
                    for sid in touched:
                        self.rooms.drop(sid)
                    raise
        except SQLAlchemyError as exc:
            log.exception("comment flush could not be stored; rooms will rebuild")
            failed = StoreUnavailable(f"comments not stored: {exc.__class__.__name__}")
            failed.__cause__ = exc  # a lost database, or a row it refused (comments/poison.py)
            return [failed] * len(batch), []
        finished = time.perf_counter()
        for index, pending, room_batch in done:
            self.to_commit.append((finished - pending.arrived, len(pending.items)))
            results[index] = outcome_of(room_batch)
        return results, replies

    def questions(self, session_id: str, limit: int) -> dict[str, Any]:
        """The host's queue from this process's room (the embedded mode's one process)."""
        # A read-only connection: building a room only reads, and must not queue behind
        # writers.
        with self.c.read() as conn, self.rooms.lock(session_id):
            room = self.rooms.get(session_id, conn)
            cards = room.open_cards()
            items = [card_json(room, card) for card in cards[:limit]]
        return {"items": items, "total": len(cards)}

    def _write(self, uow: Any, repo: CommentsRepo, pending: Pending, batch: RoomBatch,
               now: Any, replies: list[tuple[str, Any]]) -> None:
        sid = pending.session_id
        repo.add_comments([comment_row(p, now, pending.source) for p in batch.processed])
        alert_ids = repo.add_alerts(sid, batch.alerts, now)
        repo.add_entries(batch.entries)
        events: list[Event] = []
        if batch.processed:
            analyses = [p.analysis for p in batch.processed]
            events.append(CommentsIngested(
                sid, len(analyses), sum(a.is_question for a in analyses),
                sum(a.sensitive for a in analyses), sum(a.purchase_intent for a in analyses),
                sum(a.sentiment == "neg" for a in analyses)))
        events.extend(CommentAlertRaised(sid, alert_id, alert.kind, alert.severity,
                                         alert.message, list(alert.comment_ids))
                      for alert_id, alert in zip(alert_ids, batch.alerts, strict=True))
        for reply in batch.replies:
            events.append(AutoReplySent(sid, reply.faq_id, reply.text, reply.reply_to))
            replies.append((sid, {"type": "reply", "session_id": sid, "text": reply.text,
                                  "faq_id": reply.faq_id, "reply_to": reply.reply_to,
                                  "buyer_id": reply.buyer_id, "ts": reply.ts.isoformat()}))
        uow.emit_all(events)


def outcome_of(batch: RoomBatch) -> IngestOutcome:
    return IngestOutcome(len(batch.processed), batch.duplicates,
                         [p.comment.id for p in batch.processed])


def model_dir_of(c: Core, knobs: CommentSettings) -> Path:
    return knobs.model_dir or c.settings.var_dir / "models"


def build_analyzer_factory(c: Core, knobs: CommentSettings) -> Any:
    model_dir = model_dir_of(c, knobs)

    def factory() -> CommentAnalyzer:
        return CommentAnalyzer(use_model=knobs.use_model, use_encoder=knobs.use_encoder,
                               model_dir=model_dir)

    return factory
