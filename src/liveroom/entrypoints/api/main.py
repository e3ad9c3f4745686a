"""ASGI factory used by `liveroom serve` (granian imports it in every worker)."""

from __future__ import annotations

from fastapi import FastAPI

from liveroom.bootstrap import bootstrap
from liveroom.config import get_settings
from liveroom.entrypoints.api.app import create_app


def create() -> FastAPI:
    settings = get_settings()
    settings.require_safe_secrets()  # every worker, not only `liveroom serve`, refuses
    return create_app(bootstrap(settings, run_migrations=settings.migrate_on_start))
