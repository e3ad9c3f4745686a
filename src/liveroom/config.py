"""One Settings object, read from LIVEROOM_* environment variables. No I/O at import."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LIVEROOM_", extra="ignore")

    database_url: str = Field(default="", description="SQLAlchemy URL; empty = SQLite in var_dir")
    redis_url: str = Field(default="", description="empty = in-process stock ledger and event bus")
    buyer_secret: str = Field(default="liveroom-dev-buyer-secret-change-me-0123456789")
    timezone: str = "Asia/Shanghai"
    locale: str = "zh-CN"
    var_dir: Path = Path("var")
    # Stock back-end for flash sales: memory (embedded), redis, or sql (conditional updates).
    stock_backend: str = Field(default="", description="empty = redis if redis_url else memory")
    reservation_minutes: int = 15
    unpaid_reminder_minutes: int = 120
    # Wrong-price interception defaults; sessions may override.
    max_price_drop_pct: int = 60
    event_stream: str = "liveroom:events"
    # Tracking events are taken while a show is live and for this long after it ends (late
    # client batches); after that its figures are final (no faked data).
    tracking_grace_seconds: int = Field(default=300, ge=0)
    # Where viewers reach us (tracked links, QR codes); empty = the address a request used.
    public_base_url: str = ""
    # `liveroom serve` migrates once, then tells its workers not to.
    migrate_on_start: bool = True

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.var_dir / 'liveroom.db').resolve()}"

    def base_url(self, request_base: str) -> str:
        return (self.public_base_url or request_base).rstrip("/") + "/"

    @property
    def effective_stock_backend(self) -> str:
        if self.stock_backend:
            return self.stock_backend
        return "redis" if self.redis_url else "memory"


@lru_cache
def get_settings() -> Settings:
    return Settings()
