"""Tables of live-comment intelligence: comments (never deleted), alerts, question-card
actions, FAQ, moderation, connectors, keyword games and 1-to-1 after-sales tickets."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from liveroom.adapters.sql.schema import metadata, ts

# Append-only except for the moderation columns (hidden_*, flagged): the law forbids deleting
# bad reviews to mislead, so a bad comment is hidden, never removed. `seq` is assigned by the
# session's in-memory room, so replaying rows in seq order rebuilds the same question queue.
comments = Table(
    "comments", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("client_id", String(64), nullable=True),  # the connector's idempotency key
    Column("buyer_id", String(64), nullable=False),
    Column("nickname", String(64), nullable=False, default=""),
    Column("text", Text, nullable=False),
    ts("ts", False),
    ts("received_at", False),
    Column("source", String(64), nullable=False, default="api"),  # api | ws:… | webhook:<id>
    Column("intent", String(24), nullable=False),
    Column("sensitive", Boolean, nullable=False, default=False),
    Column("risk_terms", JSON, nullable=False),
    Column("sentiment", String(3), nullable=False),
    Column("sentiment_score", Float, nullable=False, default=0.0),
    Column("purchase_intent", Boolean, nullable=False, default=False),
    Column("item_ref", String(64), nullable=True),
    Column("language", String(8), nullable=False),
    Column("spam", Boolean, nullable=False, default=False),
    Column("faq_id", String(64), nullable=True),
    Column("confidence", Float, nullable=False, default=0.0),
    Column("queued", Boolean, nullable=False, default=False),  # offered to the question queue
    Column("flagged", String(8), nullable=True),  # mute | ban: author was moderated
    Column("hidden", Boolean, nullable=False, default=False),
    ts("hidden_at"),
    Column("hidden_by", String(64), nullable=True),
    Column("hidden_reason", String(200), nullable=True),
    UniqueConstraint("session_id", "seq", name="uq_comments_session_seq"),
    UniqueConstraint("session_id", "client_id", name="uq_comments_session_client_id"),
    Index("ix_comments_session_intent", "session_id", "intent"),
    Index("ix_comments_session_buyer", "session_id", "buyer_id"),
)

comment_alerts = Table(
    "comment_alerts", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False,
           index=True),
    Column("kind", String(24), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("message", Text, nullable=False),
    Column("comment_ids", JSON, nullable=False),
    Column("terms", JSON, nullable=False),
    ts("ts", False),
    ts("created_at", False),
)

# Answer/assign/dismiss, replayed after the comment with seq == after_seq on rebuild.
question_card_actions = Table(
    "question_card_actions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False,
           index=True),
    Column("card", String(16), nullable=False),
    Column("action", String(16), nullable=False),
    Column("value", Text, nullable=True),
    Column("after_seq", BigInteger, nullable=False),
    Column("actor", String(64), nullable=False),
    ts("at", False),
)

comment_faq = Table(
    "comment_faq", metadata,
    Column("session_id", String(32), ForeignKey("live_sessions.id"), primary_key=True),
    Column("faq_id", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("sku_id", String(32), nullable=True),
)

comment_settings = Table(
    "comment_settings", metadata,
    Column("session_id", String(32), ForeignKey("live_sessions.id"), primary_key=True),
    Column("autoreply_enabled", Boolean, nullable=False, default=False),
    Column("autoreply_per_minute", Integer, nullable=False, default=10),
    ts("updated_at", False),
)

comment_moderation = Table(
    "comment_moderation", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False),
    Column("buyer_id", String(64), nullable=False),
    Column("kind", String(8), nullable=False),  # mute | ban
    ts("until"),  # null: for the rest of the session
    Column("reason", String(200), nullable=False, default=""),
    Column("actor", String(64), nullable=False),
    ts("created_at", False),
    Index("ix_comment_moderation_session_buyer", "session_id", "buyer_id"),
)

comment_connectors = Table(
    "comment_connectors", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False,
           index=True),
    Column("kind", String(16), nullable=False),  # webhook
    Column("secret", String(128), nullable=False),
    Column("created_by", String(64), nullable=False),
    ts("created_at", False),
    ts("revoked_at"),
)

# Signed webhook requests taken, so that a replay is refused by every server process
# (connectors/webhook.py); rows older than twice the signature tolerance are pruned.
webhook_signatures = Table(
    "webhook_signatures", metadata,
    Column("signature", String(80), primary_key=True),
    ts("seen_at", False),
    Index("ix_webhook_signatures_seen_at", "seen_at"),
)

comment_lotteries = Table(
    "comment_lotteries", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False,
           index=True),
    Column("kind", String(24), nullable=False),  # lottery | password_red_packet
    Column("keyword", String(64), nullable=False),
    Column("winners_count", Integer, nullable=False),
    Column("amount_fen", BigInteger, nullable=True),
    Column("commitment", String(64), nullable=False),
    Column("seed", String(128), nullable=False),  # secret until drawn; never served before
    ts("starts_at", False),
    ts("ends_at", False),
    Column("status", String(16), nullable=False),  # open | drawn
    Column("winners", JSON, nullable=True),
    Column("entrants_count", Integer, nullable=True),
    ts("drawn_at"),
    Column("created_by", String(64), nullable=False),
    ts("created_at", False),
)

lottery_entries = Table(
    "lottery_entries", metadata,
    Column("lottery_id", String(32), ForeignKey("comment_lotteries.id"), primary_key=True),
    Column("buyer_id", String(64), primary_key=True),
    Column("comment_id", String(32), nullable=False),
    ts("ts", False),
)

aftersales_tickets = Table(
    "aftersales_tickets", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False,
           index=True),
    Column("comment_id", String(32), ForeignKey("comments.id"), nullable=True),
    Column("buyer_id", String(64), nullable=False),
    Column("subject", Text, nullable=False),
    Column("status", String(16), nullable=False),  # open | in_progress | completed
    Column("assignee", String(64), nullable=True),
    Column("opened_by", String(64), nullable=False),
    ts("created_at", False),
    ts("first_response_at"),
    ts("completed_at"),
    Column("resolution", Text, nullable=True),  # migration 0006_ticket_work
    # An after-sales case's ticket belongs to an order (migration 0012_aftersales).
    Column("order_id", String(32), nullable=True, index=True),
)

# What was said and done on a ticket (replies to the buyer, assignment, the resolution), in
# order; the ticket row keeps the current state and the SLA timestamps.
ticket_messages = Table(
    "ticket_messages", metadata,
    Column("id", String(32), primary_key=True),
    Column("ticket_id", String(32), ForeignKey("aftersales_tickets.id"), nullable=False,
           index=True),
    Column("kind", String(16), nullable=False),  # respond | assign | close
    Column("body", Text, nullable=False),
    Column("actor", String(64), nullable=False),
    ts("created_at", False),
)
