"""One Settings object, read from LIVEROOM_* environment variables. No I/O at import."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Built-in secrets: good for a laptop, the tests and `liveroom demo`, never for a server.
DEV_BUYER_SECRET = "liveroom-dev-buyer-secret-change-me-0123456789"
DEV_PAYMENT_SECRET = "liveroom-dev-payment-secret-change-me-0123456789"
MIN_SECRET_LENGTH = 32


class InsecureSettings(ValueError):
    """The server was asked to start outside development with a built-in or short secret."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LIVEROOM_", extra="ignore")

    database_url: str = Field(default="", description="SQLAlchemy URL; empty = SQLite in var_dir")
    redis_url: str = Field(default="", description="empty = in-process stock ledger and event bus")
    # production (the default) or development: only development runs on built-in secrets.
    env: str = Field(default="production", description="LIVEROOM_ENV")
    buyer_secret: str = Field(default=DEV_BUYER_SECRET, description="HS256 key of buyer JWTs")
    # The payment provider's callback signing key: its own secret, never the buyer one.
    payment_secret: str = Field(default=DEV_PAYMENT_SECRET)
    # Longest accepted buyer JWT lifetime (exp - iat, and exp - now), in minutes.
    buyer_token_max_minutes: int = 24 * 60
    # How often an open connector websocket re-checks its token (revoked: the socket closes).
    token_recheck_seconds: float = 2.0
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

    def require_safe_secrets(self) -> None:
        """Refuse (InsecureSettings) a server outside development whose secrets are the
        built-in ones or too short to resist guessing."""
        if self.env == "development":
            return
        problems = [f"LIVEROOM_{name.upper()} is {why}" for name, value, dev in (
            ("buyer_secret", self.buyer_secret, DEV_BUYER_SECRET),
            ("payment_secret", self.payment_secret, DEV_PAYMENT_SECRET))
            for why in (["the built-in development secret"] if value == dev else
                        [f"shorter than {MIN_SECRET_LENGTH} characters"]
                        if len(value) < MIN_SECRET_LENGTH else [])]
        if problems:
            raise InsecureSettings(
                "refusing to start with unsafe secrets (LIVEROOM_ENV="
                f"{self.env}): {'; '.join(problems)}. Set them to long random values "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`), "
                "or set LIVEROOM_ENV=development on a development machine.")

    # Rate limits (docs/security.md). Counters live in Redis when LIVEROOM_REDIS_URL is set.
    sign_in_max_failures: int = 5  # failed sign-ins per client address ...
    sign_in_lockout_seconds: int = 900  # ... within this window lock the address out for it
    buyer_purchases_per_minute: int = 60  # flash-sale purchase attempts per buyer
    buyer_orders_per_minute: int = 30  # live orders per buyer
    connector_comments_per_minute: int = 300_000  # comments per connector (5,000/s)

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
