"""Tables of the control plane (identity, catalogue, planning, console, audit, outbox).
Other domains keep their tables in their own schema_*.py modules on the same metadata."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def ts(name: str, nullable: bool = True) -> Column:
    return Column(name, DateTime(timezone=True), nullable=nullable)


users = Table(
    "users", metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("display_name", String(64), nullable=False, default=""),
    ts("created_at", False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("password_hash", String(200), nullable=True),  # argon2; None: token only
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", String(32), primary_key=True),
    Column("user_id", String(32), ForeignKey("users.id"), nullable=False, index=True),
    Column("token_hash", String(128), nullable=False, unique=True),
    Column("label", String(64), nullable=False, default=""),
    ts("created_at", False),
    ts("revoked_at"),
)

products = Table(
    "products", metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("category", String(64), nullable=False),
    Column("tier", String(16), nullable=False),
    Column("brand", String(100), nullable=False, default=""),
    # whose goods these are (商家): the orders page and downloads are split by it
    Column("merchant", String(100), nullable=False, default="", server_default="",
           index=True),
    Column("description", Text, nullable=False, default=""),
    Column("shipping_regions", JSON, nullable=False),
    Column("ship_lead_days", Integer, nullable=False, default=2),
    Column("restock_lead_days", Integer, nullable=False, default=7),
    Column("qualification_docs", JSON, nullable=False),
    Column("history", JSON, nullable=False),
    ts("created_at", False),
)

skus = Table(
    "skus", metadata,
    Column("id", String(32), primary_key=True),
    Column("product_id", String(32), ForeignKey("products.id"), nullable=False, index=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("spec", String(200), nullable=False, default=""),
    Column("price_fen", BigInteger, nullable=False),
    Column("cost_fen", BigInteger, nullable=False),
    Column("stock", Integer, nullable=False),
    Column("presale_stock", Integer, nullable=False, default=0),
    Column("safety_stock", Integer, nullable=False, default=0),
    ts("created_at", False),
)

live_sessions = Table(
    "live_sessions", metadata,
    Column("id", String(32), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("theme", String(200), nullable=False, default=""),
    ts("scheduled_start", False),
    Column("duration_minutes", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("targets", JSON, nullable=False),
    Column("roles", JSON, nullable=False),
    Column("channel_budget", JSON, nullable=False),
    Column("sku_targets", JSON, nullable=False, default=dict),  # units per SKU id
    # contingency scripts per kind of trouble (planning.model.CONTINGENCY_KINDS); 0025
    Column("contingency", JSON, nullable=False, default=dict),
    Column("max_price_drop_pct", Integer, nullable=False),
    Column("explaining_sku_id", String(32), nullable=True),
    ts("created_at", False),
    ts("started_at"),
    ts("ended_at"),
)

lineup_items = Table(
    "lineup_items", metadata,
    Column("session_id", String(32), ForeignKey("live_sessions.id"), primary_key=True),
    Column("sku_id", String(32), ForeignKey("skus.id"), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("planned_price_fen", BigInteger, nullable=False),
    Column("live_price_fen", BigInteger, nullable=False),
    Column("floor_price_fen", BigInteger, nullable=True),
    Column("flash_quantity", Integer, nullable=False, default=0),
    Column("talking_points", JSON, nullable=False),
    Column("listed", Boolean, nullable=False, default=False),
    Column("override_floor_fen", BigInteger, nullable=True),
)

segments = Table(
    "segments", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("title", String(200), nullable=False, default=""),
    Column("start_minute", Integer, nullable=False),
    Column("duration_minutes", Integer, nullable=False),
    Column("sku_id", String(32), nullable=True),
    Column("giveaway", Boolean, nullable=False, default=False),
    Column("script", Text, nullable=False, default=""),
    Column("contingency", Text, nullable=False, default=""),
)

checklist_ticks = Table(
    "checklist_ticks", metadata,
    Column("session_id", String(32), ForeignKey("live_sessions.id"), primary_key=True),
    Column("item", String(32), primary_key=True),
    Column("ok", Boolean, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("checked_by", String(64), nullable=False),
    ts("checked_at", False),
)

coupons = Table(
    "coupons", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("threshold_fen", BigInteger, nullable=False, default=0),
    Column("discount_fen", BigInteger, nullable=False),
    Column("sku_id", String(32), nullable=True),
    Column("per_buyer_limit", Integer, nullable=False, default=1),
    Column("total", Integer, nullable=False),
    Column("claimed", Integer, nullable=False, default=0),
    Column("status", String(16), nullable=False),
    Column("channel", String(32), nullable=True),
    Column("code", String(32), nullable=True, unique=True),
    ts("valid_from", False),
    ts("valid_until", False),
    ts("created_at", False),
)

coupon_claims = Table(
    "coupon_claims", metadata,
    Column("coupon_id", String(32), ForeignKey("coupons.id"), primary_key=True),
    Column("buyer_id", String(64), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("used", Integer, nullable=False, default=0),
    ts("claimed_at", False),
)

flash_sales = Table(
    "flash_sales", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False, index=True),
    Column("sku_id", String(32), ForeignKey("skus.id"), nullable=False),
    Column("price_fen", BigInteger, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("per_buyer_limit", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("sold", Integer, nullable=False, default=0),
    ts("created_at", False),
    ts("starts_at"),
    ts("started_at"),
    ts("stopped_at"),
    # 会员优先购 (migration 0045_member_priority): buyers of priority_tier or higher may buy
    # from members_from until starts_at, when the sale opens to everyone. Set at creation.
    ts("members_from"),
    Column("priority_tier", String(16), nullable=True),
    # Never oversold, whatever writes: migration 0010_integrity.
    CheckConstraint("sold <= quantity", name="sold_within_quantity"),
)

price_ladders = Table(
    "price_ladders", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False, index=True),
    Column("sku_id", String(32), ForeignKey("skus.id"), nullable=False),
    Column("steps", JSON, nullable=False),
    Column("next_step", Integer, nullable=False, default=0),
    ts("created_at", False),
)

announcements = Table(
    "announcements", metadata,
    Column("id", String(32), primary_key=True),
    Column("session_id", String(32), ForeignKey("live_sessions.id"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("pinned", Boolean, nullable=False, default=False),
    Column("created_by", String(64), nullable=False),
    ts("created_at", False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", String(32), nullable=True),
    ts("at", False),
    Column("actor_id", String(32), nullable=False),
    Column("actor_name", String(64), nullable=False),
    Column("actor_role", String(16), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", String(200), nullable=False, default=""),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("override_reason", Text, nullable=True),
    Index("ix_audit_session_at", "session_id", "id"),
)

outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("stream", String(64), nullable=False),
    Column("name", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    ts("created_at", False),
    ts("published_at"),
    Index("ix_outbox_unpublished", "published_at", "id"),
)

__all__ = ["metadata", "UniqueConstraint"]
