"""What the comment side needs from the outside: an ordered log per live session.

Embedded (no Redis): the log is the process's own pipeline (comments/worker.py),
which serialises each session's batches and commits them. With Redis: a stream per session
(adapters/redis/comment_log_redis.py) that any process appends to and the session's one
owner applies (comments/owner.py); console actions on the room travel
in the same log, so every process sees them in one order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from liveroom.comments.ingest import IncomingComment
from liveroom.core.errors import DomainError


@dataclass(frozen=True)
class IngestOutcome:
    accepted: int
    duplicates: list[str]
    ids: list[str]


class OwnerUnavailable(DomainError):
    """No owner applied the batch in time: nothing is promised; retrying with the same
    comment ids is safe (they are stored once)."""

    status = 503
    code = "comments_owner_unavailable"


class CommentLog(Protocol):
    async def submit(self, session_id: str, items: list[IncomingComment],
                     source: str = "api") -> IngestOutcome:
        """Append a validated batch; return once it is committed (or raise)."""
        ...

    def questions(self, session_id: str, limit: int) -> dict[str, Any]:
        """The question queue as `{"items": [...], "total": n}`, the same from any process."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...
