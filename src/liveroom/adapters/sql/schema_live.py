"""Tables of the live console: operators' public replies to comments, metric alerts kept
from the moment they are raised, and who acknowledged which alert (metric or comment)."""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, String, Table, Text, text

from liveroom.adapters.sql.schema import metadata, ts

# An operator's answer to one comment, said in the room (shown on the viewers' page and in
# every console). Append-only.
comment_replies = Table(
    "comment_replies", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False),
    Column("comment_id", String(32), ForeignKey("comments.id"), nullable=False),
    Column("buyer_id", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("actor", String(64), nullable=False),
    ts("created_at", False),
    Index("ix_comment_replies_session_created", "session_id", "created_at"),
)

# A metric alert (viewer drop, conversion drop, payment failures, cart failures) is one row
# per episode: raised when the rule first fires, cleared when it stops. At most one open
# (uncleared) row per (session, kind): the partial unique index makes raising an upsert, so
# several processes evaluating the same show raise it once.
live_alerts = Table(
    "live_alerts", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("value", Float, nullable=True),
    Column("baseline", Float, nullable=True),
    Column("change_pct", Float, nullable=True),
    Column("minute", String(40), nullable=False),  # the timeline minute it fired on (UTC)
    ts("raised_at", False),
    ts("cleared_at", True),
    Index("ix_live_alerts_session_raised", "session_id", "raised_at"),
    Index("uq_live_alerts_open", "session_id", "kind", unique=True,
          sqlite_where=text("cleared_at IS NULL"),
          postgresql_where=text("cleared_at IS NULL")),
)

# Acknowledgements of both alert sources (live_alerts and comment_alerts): one per alert,
# so a second click is a no-op, never a second record.
alert_acks = Table(
    "alert_acks", metadata,
    Column("alert_id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False,
           index=True),
    Column("source", String(16), nullable=False),  # metric | comment
    Column("actor", String(64), nullable=False),
    ts("acknowledged_at", False),
)
