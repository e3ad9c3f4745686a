"""Tables of members' reach (私域触达) beside schema_crm: coupons only a tier or segment may
claim, consent per channel, the reminder queue with its one-message-per-buyer-per-day key,
晒单 posts with their one reward, and invitations (migrations 0045–0047)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from liveroom.adapters.sql.schema import metadata, ts

# 会员专享券: a coupon with a row here can be claimed only by a member of min_tier or higher
# and/or of the RFM segment.
member_coupons = Table(
    "member_coupons", metadata,
    Column("coupon_id", String(32), ForeignKey("coupons.id"), primary_key=True),
    Column("min_tier", String(16), nullable=True),
    Column("segment", String(32), nullable=True),
    Column("created_by", String(64), nullable=False),
    ts("created_at", False),
)

contact_consents = Table(
    "contact_consents", metadata,
    Column("buyer_id", String(64), primary_key=True),
    Column("channel", String(16), primary_key=True),  # sms | wecom | official_account
    Column("granted", Boolean, nullable=False),
    ts("updated_at", False),
)

# One row per (buyer, kind, ref): planning the same reminder twice inserts nothing.
member_reminders = Table(
    "member_reminders", metadata,
    Column("id", String(32), primary_key=True),
    Column("buyer_id", String(64), nullable=False),
    Column("kind", String(24), nullable=False),  # repurchase | reservation | go_live | cart
    Column("ref", String(64), nullable=False),  # product, session or order
    Column("channel", String(16), nullable=False),
    Column("text", Text, nullable=False),
    ts("due_at", False),
    Column("status", String(16), nullable=False),  # pending | sent | skipped | failed
    Column("reason", String(32), nullable=True),  # why skipped or moved
    ts("created_at", False),
    ts("sent_at"),
    UniqueConstraint("buyer_id", "kind", "ref", name="uq_member_reminders_once"),
    Index("ix_member_reminders_status_due", "status", "due_at"),
)

# At most one message per buyer per local day: the primary key is the rule, so two
# senders racing for the same buyer cannot both send.
member_message_days = Table(
    "member_message_days", metadata,
    Column("buyer_id", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("reminder_id", String(32), nullable=False),
)

ugc_posts = Table(
    "ugc_posts", metadata,
    Column("id", String(32), primary_key=True),
    Column("order_id", String(32), nullable=False, unique=True),
    Column("buyer_id", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("photo_url", String(500), nullable=True),
    Column("status", String(16), nullable=False),  # pending | approved | rejected
    Column("reward_points", Integer, nullable=True),
    Column("reward_coupon_id", String(32), nullable=True),
    Column("reviewed_by", String(64), nullable=True),
    ts("reviewed_at"),
    ts("created_at", False),
    Index("ix_ugc_posts_status_created", "status", "created_at"),
)

# 裂变邀请: one inviter per invitee (the first link wins); the reward is paid once, when the
# invitee's first paid order qualifies.
invitations = Table(
    "invitations", metadata,
    Column("invitee_id", String(64), primary_key=True),
    Column("inviter_id", String(64), nullable=False, index=True),
    ts("created_at", False),
    Column("rewarded_order_id", String(32), nullable=True),
    Column("status", String(16), nullable=False),  # pending | rewarded | refused
    Column("reason", String(32), nullable=True),
    ts("decided_at"),
)
