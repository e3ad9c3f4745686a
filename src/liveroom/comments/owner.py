"""The owner of a live session's comment room when several processes serve one show.

Whichever process first finds a session's log without an owner takes its lease in Redis,
bumps the session's epoch in the database (the fence), rebuilds the room from PostgreSQL,
claims the entries a previous owner left unacknowledged, then reads the log in order: runs
of comment batches go through today's flush (comments/room.py, one transaction for
comments, cards, alerts, entries and events), console actions through their handlers, each
transaction sealed with the fence and a record of the applied entry. Then it answers the
waiting requests and acknowledges. A stale owner (paused past its lease, cut off) fails the
fence at its next commit and steps down; its rooms are rebuilt by whoever owns them now.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from liveroom.adapters.redis.comment_log_redis import (
    COMMENTS,
    LogEntry,
    RedisCommentStreams,
)
from liveroom.adapters.sql.comment_log_repo import RoomOwnerRepo, bound_idle
from liveroom.adapters.sql.dead_letters import (
    DeadLetter,
    describe,
    insert_dead_letters,
    log_dead_letters,
)
from liveroom.adapters.sql.repositories import SessionRepo
from liveroom.comments.handlers import card_json
from liveroom.comments.log_codec import (
    LeaseLost,
    decode_command,
    decode_items,
    error_json,
)
from liveroom.comments.poison import (
    Answer,
    DeadLettered,
    OwnerStoreFailed,
    apply_isolating,
)
from liveroom.comments.ports import IngestOutcome
from liveroom.comments.room import Room
from liveroom.comments.rooms import ACCEPTING, SessionClosed
from liveroom.comments.worker import FlushHooks, Pending, StoreUnavailable
from liveroom.connectors.replies import ReplyHub
from liveroom.core.bus import Context
from liveroom.core.errors import DomainError
from liveroom.core.tasks import stop_tasks

if TYPE_CHECKING:
    from liveroom.comments.rooms import CommentSettings, Rooms
    from liveroom.comments.worker import CommentPipeline
    from liveroom.runtime import Core

log = logging.getLogger(__name__)
QUEUE_KEPT = 200  # the most cards GET /questions returns


def queue_view(room: Room) -> tuple[list[dict[str, Any]], int]:
    cards = room.open_cards()
    return [card_json(room, card) for card in cards[:QUEUE_KEPT]], len(cards)


def fence(conn: Any, session_id: str, epoch: int, lease_ms: int) -> RoomOwnerRepo:
    """Checked in every owner transaction before it writes. The fence's row lock is held to the
    commit; should this process stall in the middle (paused, cut off), PostgreSQL ends its
    transaction after two leases' time, so the next owner's epoch bump is not held up.
    Taken after the analysis, just before the writes: the lock is held for milliseconds."""
    bound_idle(conn, 2 * lease_ms)
    repo = RoomOwnerRepo(conn)
    if not repo.fence(session_id, epoch):
        raise LeaseLost(session_id)
    return repo


class OwnerHooks(FlushHooks):
    """The owner's additions to a flush transaction: fence, session state, applied
    entries and the question queue view."""

    def __init__(self, epoch: int, now: Any, lease_ms: int) -> None:
        self.epoch = epoch
        self.now = now
        self.lease_ms = lease_ms

    def before_room(self, conn: Any, session_id: str, batch: list[Pending]) -> None:
        status = SessionRepo(conn).get(session_id).status.value
        if status not in ACCEPTING:  # ordered by the database: /end committed first
            raise SessionClosed(f"session {session_id} is {status}: comments are closed",
                                status=status)

    def before_write(self, conn: Any, session_id: str) -> None:
        fence(conn, session_id, self.epoch, self.lease_ms)

    def written(self, conn: Any, pending: Pending, outcome: IngestOutcome) -> None:
        assert pending.entry_id is not None
        RoomOwnerRepo(conn).record(pending.session_id, pending.entry_id, asdict(outcome),
                                   self.now)

    def room_done(self, conn: Any, session_id: str, room: Room) -> None:
        cards, total = queue_view(room)
        RoomOwnerRepo(conn).save_queue(session_id, cards, total, self.epoch, self.now)


class SealedUnitOfWork:
    """A handler's unit of work whose commit first checks the fence and records the applied
    entry (and the queue view), in the same transaction."""

    def __init__(self, uow: Any, seal: Callable[[Any], None]) -> None:
        self._uow = uow
        self._seal = seal

    def commit(self) -> None:
        self._seal(self._uow.conn)
        self._uow.commit()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._uow, name)


class RoomOwner:
    """One per process: owns the rooms it took and finds rooms nobody owns."""

    def __init__(self, c: Core, streams: RedisCommentStreams, pipeline: CommentPipeline,
                 rooms: Rooms, handlers: dict[type, Any], hub: ReplyHub,
                 knobs: CommentSettings) -> None:
        self.c = c
        self.streams = streams
        self.pipeline = pipeline
        self.rooms = rooms
        self.handlers = handlers
        self.hub = hub
        self.knobs = knobs
        self.me = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._owned: dict[str, asyncio.Task[None]] = {}
        self._valid_until: dict[str, float] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False

    @property
    def lease_s(self) -> float:
        return self.knobs.lease_ms / 1000

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = False
        self._tasks = [asyncio.create_task(self._scan(), name="comment-room-scan"),
                       asyncio.create_task(self._replies(), name="comment-replies-in")]

    async def stop(self) -> None:
        self._stopping = True  # a late poke or first batch must not start a new owner task
        await stop_tasks([*self._tasks, *self._owned.values()])
        self._tasks = []

    def owns(self, session_id: str) -> bool:
        return session_id in self._owned

    def poke(self, session_id: str) -> None:
        """From a worker thread: try to own this room now (a console action waits on it)."""
        if self._loop is not None and not self._loop.is_closed():
            asyncio.run_coroutine_threadsafe(self.claim(session_id), self._loop)

    async def claim(self, session_id: str) -> bool:
        if session_id in self._owned:
            return True
        if self._stopping or not await self.streams.try_lease(session_id, self.me):
            return False
        self._valid_until[session_id] = time.monotonic() + self.lease_s * 0.8
        self._owned[session_id] = asyncio.create_task(self._own(session_id),
                                                      name=f"comment-room-{session_id}")
        return True

    async def _scan(self) -> None:
        """Rooms with entries waiting and no owner (a crashed owner's, or never owned)."""
        while True:
            await asyncio.sleep(self.lease_s / 4)
            try:
                for sid in await self.streams.rooms():
                    if (sid not in self._owned and not await self.streams.has_owner(sid)
                            and await self.streams.waiting(sid)):
                        await self.claim(sid)
            except (RedisError, OSError):
                log.warning("comment room scan failed; next try in %.1f s", self.lease_s / 4,
                            exc_info=True)

    async def _replies(self) -> None:
        """Auto-replies from any owner go to the connectors attached to this process."""
        while True:
            try:
                async for sid, message in self.streams.replies():
                    self.hub.send(sid, message)
            except (RedisError, OSError):
                log.warning("auto-reply channel lost; resubscribing", exc_info=True)
                await asyncio.sleep(1)

    async def _renew(self, sid: str, tenure: asyncio.Task[Any] | None) -> None:
        # Ends with its tenure even if the cancellation from `_own` was lost (core/tasks.py).
        while self._owned.get(sid) is tenure:
            await asyncio.sleep(self.lease_s / 3)
            if not await self.streams.renew(sid, self.me):
                log.warning("comment room %s: lease lost", sid)
                self._valid_until[sid] = 0.0
                return
            if self._owned.get(sid) is tenure:
                self._valid_until[sid] = time.monotonic() + self.lease_s * 0.8

    def _valid(self, sid: str) -> bool:
        return time.monotonic() < self._valid_until.get(sid, 0.0)

    async def _own(self, sid: str) -> None:
        # Renewed from the start: rebuilding a big room (or loading the model) may take
        # longer than the lease.
        renewer = asyncio.create_task(self._renew(sid, asyncio.current_task()))
        try:
            epoch = await asyncio.to_thread(self._take, sid)
            await self.streams.ensure_group(sid)
            await self._apply(sid, epoch, await self.streams.claim_pending(sid, self.me, 500),
                              recovering=True)
            reclaimed = time.monotonic()
            while self._valid(sid) and not renewer.done():
                entries = await self.streams.read(sid, self.me, self.knobs.owner_read_count,
                                                  self.knobs.owner_block_ms)
                await self._apply(sid, epoch, entries, recovering=False)
                if time.monotonic() - reclaimed > self.lease_s:
                    # entries a stale owner read after it lost the room, left pending
                    reclaimed = time.monotonic()
                    await self._apply(sid, epoch, await self.streams.claim_pending(
                        sid, self.me, 500, min_idle_ms=self.knobs.lease_ms), recovering=True)
        except LeaseLost:
            log.warning("comment room %s: fenced off (another process owns it)", sid)
        except DomainError as exc:
            log.warning("comment room %s not owned: %s", sid, exc)
        except (RedisError, SQLAlchemyError, OSError, OwnerStoreFailed):
            log.exception("comment room %s: owner stops; another process takes over", sid)
        except Exception:  # a bug must not leave the room ownerless until the lease ends
            log.exception("comment room %s: owner failed; its entries stay pending", sid)
            raise
        finally:
            renewer.cancel()  # at once: the awaits below may be cut short by a stop
            self.rooms.drop(sid)
            self._owned.pop(sid, None)
            self._valid_until.pop(sid, None)
            with contextlib.suppress(RedisError, OSError):
                await self.streams.release(sid, self.me)
            await stop_tasks([renewer])

    def _take(self, sid: str) -> int:
        with self.c.uow() as uow:  # the bump locks the fence's row: bounded as the fence is
            bound_idle(uow.conn, 2 * self.knobs.lease_ms)
            epoch = RoomOwnerRepo(uow.conn).take(sid, self.me, self.c.clock.now())
            uow.commit()
        self.rooms.drop(sid)
        with self.c.read() as conn, self.rooms.lock(sid):
            self.rooms.get(sid, conn)  # rebuilt from what the database holds
        log.info("comment room %s owned by %s at epoch %s", sid, self.me, epoch)
        return epoch

    # -- applying entries ----------------------------------------------------------------
    async def _apply(self, sid: str, epoch: int, entries: list[LogEntry],
                     recovering: bool) -> None:
        if not entries:
            return
        answers: list[tuple[str, Any]] = []
        if recovering:  # a previous owner may have committed some and died before the ack
            applied = await asyncio.to_thread(self._applied, sid, [e.id for e in entries])
            answers += [(e.request, applied[e.id]) for e in entries if e.id in applied]
            fresh = [e for e in entries if e.id not in applied]
        else:
            fresh = entries
        run: list[LogEntry] = []
        for entry in [*fresh, None]:
            if entry is not None and entry.kind == COMMENTS:
                run.append(entry)
                continue
            if run:
                answers += await self._isolating(sid, epoch, run, self._flush)
                run = []
            if entry is not None:
                answers += await self._isolating(sid, epoch, [entry], self._controls)
        await self.streams.finish(sid, answers, [e.id for e in entries])

    async def _isolating(self, sid: str, epoch: int, entries: list[LogEntry],
                         apply: Callable[[str, int, list[LogEntry]], Any]) -> list[Answer]:
        """Applied, or set aside when one keeps failing (comments/poison.py)."""
        async def set_aside(entry: LogEntry, exc: BaseException, tries: int) -> Answer:
            self._check(sid)
            return entry.request, await asyncio.to_thread(self._dead_letter, sid, epoch,
                                                          entry, exc, tries)

        return await apply_isolating(entries, lambda run: apply(sid, epoch, run), set_aside,
                                     self.knobs.poison_retries,
                                     self.knobs.poison_pause_ms / 1000)

    def _check(self, sid: str) -> None:
        if not self._valid(sid):
            raise LeaseLost(sid)

    def _applied(self, sid: str, ids: list[str]) -> dict[str, Any]:
        with self.c.read() as conn:
            return RoomOwnerRepo(conn).applied(sid, ids)

    async def _flush(self, sid: str, epoch: int, run: list[LogEntry]) -> list[Answer]:
        self._check(sid)
        pendings = [Pending(sid, decode_items(e.body), e.source, entry_id=e.id) for e in run]
        hooks = OwnerHooks(epoch, self.c.clock.now(), self.knobs.lease_ms)
        results, replies = await asyncio.to_thread(self.pipeline.flush, pendings, hooks)
        failed = next((r for r in results if isinstance(r, StoreUnavailable)), None)
        if failed is not None:
            # Nothing was committed: the entries stay pending (unanswered, unacknowledged)
            # for the next owner, unless the cause was an entry (comments/poison.py).
            raise OwnerStoreFailed(sid) from failed.__cause__
        if replies:
            await self.streams.publish_replies(replies)
        self.pipeline.publish_soon()
        return [(e.request, asdict(r) if isinstance(r, IngestOutcome) else error_json(r))
                for e, r in zip(run, results, strict=True)]

    async def _controls(self, sid: str, epoch: int, entries: list[LogEntry]
                        ) -> list[Answer]:
        self._check(sid)
        return [(e.request, await asyncio.to_thread(self._control, sid, epoch, e))
                for e in entries]

    def _dead_letter(self, sid: str, epoch: int, entry: LogEntry, exc: BaseException,
                     tries: int) -> dict[str, Any]:
        """Set the entry aside and record its answer, fenced, in one transaction."""
        now = self.c.clock.now()
        letter = DeadLetter("comment_log", entry.id, describe(exc), {
            "session_id": sid, "kind": entry.kind, "source": entry.source,
            "body": entry.body})
        with self.c.uow() as uow:
            repo = fence(uow.conn, sid, epoch, self.knobs.lease_ms)
            [row] = insert_dead_letters(uow.conn, [letter], now)
            answer = error_json(DeadLettered(
                f"this {'batch' if entry.kind == COMMENTS else 'action'} could not be applied "
                f"after {tries} tries and was set aside (dead letter {row['id']}); the "
                "session goes on; sending it again unchanged will fail the same way",
                dead_letter_id=row["id"], tries=tries, error=exc.__class__.__name__))
            repo.record(sid, entry.id, answer, now)
            uow.commit()
        log_dead_letters([row])
        return answer

    def _control(self, sid: str, epoch: int, entry: LogEntry) -> Any:
        cmd, actor = decode_command(entry.body)
        handler = self.handlers[type(cmd)]

        def seal(conn: Any) -> None:
            repo = fence(conn, sid, epoch, self.knobs.lease_ms)
            repo.record(sid, entry.id, {"applied": True}, self.c.clock.now())
            room = self.rooms.loaded(sid)
            if room is not None:
                cards, total = queue_view(room)
                repo.save_queue(sid, cards, total, epoch, self.c.clock.now())

        try:
            with self.c.uow() as uow:
                bound_idle(uow.conn, 2 * self.knobs.lease_ms)  # handlers lock rows early
                result = handler(cmd, SealedUnitOfWork(uow, seal),
                                 Context(actor, self.c.clock, self.c.settings))
        except DomainError as exc:
            return error_json(exc)
        self.c.relay.drain()
        return {"result": result}
