"""Fixtures shared by the flash-sale and order tests: a server per stock back-end
(memory+SQLite, sql+PostgreSQL, redis+SQLite), buyers, a running flash sale."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from liveroom.adapters.sql.schema import flash_sales
from liveroom.adapters.sql.schema_all import metadata
from liveroom.adapters.sql.schema_orders import orders
from liveroom.bootstrap import Container, bootstrap
from liveroom.config import Settings
from liveroom.core.clock import FixedClock
from liveroom.entrypoints.api.app import create_app
from liveroom.identity.handlers import AddUser
from liveroom.identity.model import SYSTEM, issue_buyer_jwt
from tests.conftest import REDIS_URL, auth
from tests.factories import live_session_with

BACKENDS = [
    pytest.param(("memory", "sqlite"), id="memory-sqlite"),
    pytest.param(("sql", "postgres"), id="sql-postgres", marks=pytest.mark.postgres),
    pytest.param(("redis", "sqlite"), id="redis-sqlite", marks=pytest.mark.redis),
]


def _redis_or_skip() -> None:
    try:
        client = redis.Redis.from_url(REDIS_URL)
        client.flushdb()
        client.close()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")


@pytest.fixture(params=BACKENDS)
def shop(request: pytest.FixtureRequest, tmp_path: Any, clock: FixedClock
         ) -> Iterator[tuple[Container, TestClient]]:
    backend, db = request.param
    url = f"sqlite:///{tmp_path / 'shop.db'}" if db == "sqlite" else \
        request.getfixturevalue("pg_url")
    redis_url = ""
    if backend == "redis":
        _redis_or_skip()
        redis_url = REDIS_URL
    settings = Settings(database_url=url, var_dir=tmp_path / "var", stock_backend=backend,
                        redis_url=redis_url)
    c = bootstrap(settings, clock=clock)
    try:
        with TestClient(create_app(c)) as tc:
            yield c, tc
    finally:
        if c.engine.dialect.name == "postgresql":
            with c.engine.begin() as conn:
                names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        c.close()


def operators(c: Container) -> dict[str, dict[str, str]]:
    out = {}
    for role in ("admin", "host", "console", "ops", "cs", "merchant"):
        out[role] = auth(c.bus.handle(AddUser(f"{role}-u", role), SYSTEM)["token"])
    return out


def buyer(c: Container, name: str) -> dict[str, str]:
    # real time, not the test clock: PyJWT checks iat/exp against the wall clock
    return auth(issue_buyer_jwt(name, c.settings.buyer_secret, datetime.now(UTC),
                                ttl=timedelta(hours=2)))


def running_sale(c: Container, tc: TestClient, tokens: dict[str, dict[str, str]], *,
                 quantity: int, limit: int = 1, price_fen: int = 9900,
                 stock: int = 100_000) -> tuple[str, str, str]:
    """(session_id, sku_id, flash_sale_id) of a started flash sale."""
    sid, sku = live_session_with(tc, tokens, stock=stock)
    r = tc.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                json={"sku_id": sku, "price_fen": price_fen, "quantity": quantity,
                      "per_buyer_limit": limit})
    assert r.status_code == 201, r.text
    fid = r.json()["id"]
    assert tc.post(f"/api/v1/flash-sales/{fid}/start",
                   headers=tokens["console"]).status_code == 200
    return sid, sku, fid


def flush(c: Container, tc: TestClient) -> None:
    """Wait until every answered reservation is in the database (Redis persister)."""
    tc.portal.call(c.stock.flush)  # type: ignore[union-attr]


def db_truth(c: Container, fid: str) -> tuple[int, list[Any]]:
    with c.engine.connect() as conn:
        sold = conn.execute(select(flash_sales.c.sold).where(flash_sales.c.id == fid)).scalar()
        rows = conn.execute(select(orders.c.id, orders.c.buyer_id, orders.c.quantity,
                                   orders.c.status)
                            .where(orders.c.flash_sale_id == fid)).all()
    return int(sold or 0), rows


def count_orders(c: Container) -> int:
    with c.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(orders)).scalar_one())
