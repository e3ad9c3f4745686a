"""Tables of tracking, traffic sources and the warm-up campaign."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from liveroom.adapters.sql.schema import metadata, ts

# Append-only: rows are inserted, never updated or deleted (database triggers refuse both,
# migration 0011_analytics).
# `seq` orders rows for incremental readers; `event_id` deduplicates client retries.
tracking_events = Table(
    "tracking_events", metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False),
    Column("type", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("buyer_id", String(64), nullable=False),
    ts("ts", False),
    Column("channel", String(32), nullable=False, default=""),
    Column("utm_source", String(128), nullable=False, default=""),
    Column("utm_medium", String(128), nullable=False, default=""),
    Column("utm_campaign", String(128), nullable=False, default=""),
    Column("utm_content", String(128), nullable=False, default=""),
    Column("sku_id", String(32), nullable=True),
    Column("props", JSON, nullable=False),
    ts("received_at", False),
    # who posted it: "connector:<user id>", "console:<user id>", … or "server" for facts
    # the server records itself (a declined payment)
    Column("sender", String(80), nullable=True),
    Index("ix_tracking_session_seq", "session_id", "seq"),
)

tracked_links = Table(
    "tracked_links", metadata,
    Column("id", String(32), primary_key=True),
    Column("code", String(16), nullable=False, unique=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False,
           index=True),
    Column("kind", String(16), nullable=False),  # live | reservation
    Column("channel", String(32), nullable=False),
    Column("koc", String(64), nullable=True),
    Column("team", String(64), nullable=True),
    Column("utm", JSON, nullable=False),
    Column("url", Text, nullable=False),
    Column("spend_fen", BigInteger, nullable=False, default=0),
    Column("coupon_code", String(32), nullable=True),
    Column("created_by", String(64), nullable=False),
    ts("created_at", False),
)

campaigns = Table(
    "campaigns", metadata,
    Column("session_id", String(32), ForeignKey("live_sessions.id"), primary_key=True),
    Column("config", JSON, nullable=False),
    ts("updated_at", False),
)

reservations = Table(
    "reservations", metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False),
    Column("buyer_id", String(64), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("link_code", String(16), nullable=True),
    Column("invited_by", String(64), nullable=True),
    Column("team", String(64), nullable=True),
    ts("created_at", False),
    UniqueConstraint("session_id", "buyer_id", name="uq_reservations_session_buyer"),
    Index("ix_reservations_session_seq", "session_id", "seq"),
)

# Warm-up messages to reserved viewers (go-live reminders, rewards); the orders side keeps
# its own operational notifications table.
campaign_notifications = Table(
    "campaign_notifications", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False),
    Column("buyer_id", String(64), nullable=False),
    Column("kind", String(32), nullable=False),  # go_live | reward | …
    Column("channel", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("status", String(16), nullable=False),  # queued | sent | failed
    ts("created_at", False),
    ts("sent_at"),
    UniqueConstraint("session_id", "buyer_id", "kind", name="uq_campaign_notifications_once"),
    Index("ix_campaign_notifications_status", "status", "created_at"),
)

# Warm-up tasks (预热任务) a person ticked: one row per session and task (migration 0030);
# unticking deletes the row. The tasks and their due times are rules (tracking/warmup.py).
warmup_ticks = Table(
    "warmup_ticks", metadata,
    Column("session_id", String(32), ForeignKey("live_sessions.id"), primary_key=True),
    Column("task", String(32), primary_key=True),
    Column("done_by", String(64), nullable=False),
    ts("done_at", False),
    Column("note", Text, nullable=False, default=""),
)
