"""Tables of the distributed comment log (LIVEROOM_REDIS_URL set): who owns a session's
room and under which epoch, which log entries were applied (with the answer the waiting
request gets), and the question queue as its owner last left it, read by every process."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Integer, String, Table

from liveroom.adapters.sql.schema import metadata, ts

# The fence: the owner's every commit updates its row WHERE epoch = its own epoch; a new
# owner bumps the epoch first, so a stale owner's late write matches no row and rolls back.
comment_room_owners = Table(
    "comment_room_owners", metadata,
    Column("session_id", String(32), ForeignKey("live_sessions.id"), primary_key=True),
    Column("epoch", BigInteger, nullable=False),
    Column("owner", String(64), nullable=False),
    ts("taken_at", False),
)

# One row per applied log entry, written in the transaction that applied it: a new owner
# replaying a claimed entry finds it here, answers with the stored outcome and applies
# nothing twice.
comment_log_applied = Table(
    "comment_log_applied", metadata,
    Column("session_id", String(32), ForeignKey("live_sessions.id"), primary_key=True),
    Column("entry_id", String(40), primary_key=True),
    Column("outcome", JSON, nullable=False),
    ts("applied_at", False),
)

comment_queue_views = Table(
    "comment_queue_views", metadata,
    Column("session_id", String(32), ForeignKey("live_sessions.id"), primary_key=True),
    Column("cards", JSON, nullable=False),  # the top cards, ranked, as the API shows them
    Column("total", Integer, nullable=False),
    Column("epoch", BigInteger, nullable=False),
    ts("updated_at", False),
)
