"""The per-process registry of live rooms: one in-memory Room per session, built on first
use from the database (FAQ, settings, moderation, open games, then every stored comment and
card action replayed in seq order) and dropped when a write fails, so the next use rebuilds
it from what was actually committed.

Lock order everywhere: open the database transaction first, then take the room lock (SQLite
serialises writers at BEGIN; taking them the other way round could deadlock).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic_settings import BaseSettings, SettingsConfigDict

from liveroom.adapters.sql.comments_repo import CommentsRepo, faq_entries
from liveroom.adapters.sql.repositories import SessionRepo
from liveroom.comments.pipeline import CommentAnalyzer
from liveroom.comments.room import Room
from liveroom.core.clock import as_aware
from liveroom.core.errors import Conflict
from liveroom.planning.model import Status

log = logging.getLogger(__name__)
ACCEPTING = frozenset({Status.PLANNED.value, Status.REHEARSAL.value, Status.LIVE.value})


class CommentSettings(BaseSettings):
    """Knobs of the comment pipeline (LIVEROOM_COMMENTS_*)."""

    model_config = SettingsConfigDict(env_prefix="LIVEROOM_COMMENTS_", extra="ignore")
    use_model: bool = True
    # Where the trained intent model is cached (default <LIVEROOM_VAR_DIR>/models); several
    # var dirs on one machine (tests, demos) may share one, so it is trained once.
    model_dir: Path | None = None
    use_encoder: bool = True  # multilingual FAQ matching; loaded only for sessions with a FAQ
    linger_ms: float = 2.0  # how long a flush waits for more requests to join it
    max_batch: int = 5000
    replies_kept: int = 200
    # How often loaded rooms re-read paid GMV per buyer (queue priority); OrderPaid events
    # update them in between, so this mainly catches refunds and other processes' orders.
    buyer_value_refresh_s: float = 5.0
    # With LIVEROOM_REDIS_URL: one log per session on Redis Streams, one owner per session
    # (comments/owner.py). Off only to measure the embedded pipeline against a Redis.
    distributed: bool = True
    log_prefix: str = "lr"
    lease_ms: int = 3000  # an owner that stops renewing loses its rooms after this
    owner_timeout_s: float = 15.0  # a request waits this long for its batch's answer
    owner_read_count: int = 200  # log entries applied per owner transaction, at most
    owner_block_ms: int = 200
    # A log entry that keeps failing on its own is tried this often, with a growing pause,
    # then set aside as a dead letter (comments/poison.py).
    poison_retries: int = 3
    poison_pause_ms: int = 100


class SessionClosed(Conflict):
    code = "session_not_accepting_comments"


class Rooms:
    def __init__(self, analyzer_factory: Callable[[], CommentAnalyzer],
                 cache_status: bool = True) -> None:
        self._factory = analyzer_factory
        self._cache_status = cache_status
        self._rooms: dict[str, Room] = {}
        self._status: dict[str, str] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def lock(self, session_id: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(session_id, threading.Lock())

    def loaded(self, session_id: str) -> Room | None:
        return self._rooms.get(session_id)

    def loaded_ids(self) -> list[str]:
        """Loaded rooms whose session may still take comments (an ended session's queue no
        longer needs fresh buyer values)."""
        return [sid for sid in list(self._rooms)
                if self._status.get(sid, Status.LIVE.value) in ACCEPTING]

    def order_paid(self, session_id: str, buyer_id: str, total_fen: int) -> None:
        """An OrderPaid event (published after its commit): raise the buyer's value at once
        in the session's room if it is loaded; an unloaded room reads it when it is built."""
        room = self._rooms.get(session_id)
        if room is not None:
            room.add_paid(buyer_id, total_fen)

    def get(self, session_id: str, conn: Any) -> Room:
        """The room (caller holds ``lock(session_id)``); 404 if the session does not exist."""
        room = self._rooms.get(session_id)
        if room is None:
            room = self._build(session_id, conn)
            self._rooms[session_id] = room
        return room

    def require_accepting(self, session_id: str, conn: Any) -> None:
        status = self._status.get(session_id) if self._cache_status else None
        if status is None:
            status = SessionRepo(conn).get(session_id).status.value
            if self._cache_status:
                self._status[session_id] = status
        if status not in ACCEPTING:
            raise SessionClosed(f"session {session_id} is {status}: comments are closed",
                                status=status)

    def status_changed(self, session_id: str, status: str) -> None:
        self._status[session_id] = status

    def drop(self, session_id: str) -> None:
        self._rooms.pop(session_id, None)

    def _build(self, session_id: str, conn: Any) -> Room:
        SessionRepo(conn).get(session_id)  # 404 session_not_found before any work
        repo = CommentsRepo(conn)
        analyzer = self._factory()
        analyzer.set_faq(faq_entries(repo.faq(session_id)))
        room = Room(session_id, analyzer)
        room.set_buyer_values(repo.paid_by_buyer(session_id))
        enabled, per_minute = repo.settings(session_id)
        room.autoreply.configure(enabled, per_minute)
        for m in repo.moderation(session_id):
            until = as_aware(m.until) if m.until is not None else None
            room.moderation.apply(m.buyer_id, m.kind, until)
        for game, entered in repo.open_games(session_id):
            room.open_game(game, entered)
        room.replay(repo.replay_rows(session_id), repo.card_actions(session_id))
        log.info("comment room %s loaded: %s comments, %s open cards", session_id, room.seq,
                 len(room.queue.open_cards()))
        return room


def mute_until(now: Any, minutes: int | None) -> Any:
    return now + timedelta(minutes=minutes) if minutes else None
