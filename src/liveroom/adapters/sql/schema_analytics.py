"""Tables of live-ops analytics: incidents during a show and A/B experiments."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text

from liveroom.adapters.sql.schema import metadata, ts

incidents = Table(
    "incidents", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("note", Text, nullable=False),
    Column("opened_by", String(80), nullable=False),
    ts("started_at", False),
    Column("resolved_by", String(80), nullable=True),
    ts("resolved_at"),
    Index("ix_incidents_session", "session_id", "started_at"),
)

experiments = Table(
    "experiments", metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(128), nullable=False),
    Column("metric", String(32), nullable=False),
    Column("arms", JSON, nullable=False),  # [{label, session_id, from_minute, to_minute}]
    Column("created_by", String(80), nullable=False),
    ts("created_at", False),
)
