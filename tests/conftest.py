"""Shared fixtures: a container on SQLite or PostgreSQL, an HTTP client, operators."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from liveroom.adapters.redis.redis_durability import durability_problem, persistence
from liveroom.adapters.sql.schema_all import metadata
from liveroom.bootstrap import Container, bootstrap
from liveroom.comments.learned import IntentModel
from liveroom.config import Settings
from liveroom.core.clock import FixedClock
from liveroom.entrypoints.api.app import create_app
from liveroom.identity.handlers import AddUser
from liveroom.identity.model import SYSTEM

# The tests (and the servers they start) run on the built-in development secrets.
os.environ.setdefault("LIVEROOM_ENV", "development")
PG_URL = os.environ.get("LIVEROOM_TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Every app and server of a run shares one cache of the trained intent model (it is trained
# once, below, instead of once per temporary var dir).
MODEL_DIR = Path(__file__).resolve().parents[1] / "var" / "test-models"
os.environ.setdefault("LIVEROOM_COMMENTS_MODEL_DIR", str(MODEL_DIR))


def _worker_redis_url(url: str) -> str:
    """Under pytest-xdist (`make test` runs two workers) each worker gets its own Redis
    database, counting down from the configured one, since some tests flush theirs."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    base, _, db = url.rpartition("/")
    return f"{base}/{int(db or 0) - int(worker[2:])}"


REDIS_URL = _worker_redis_url(os.environ.get("LIVEROOM_TEST_REDIS_URL",
                                             "redis://127.0.0.1:6379/15"))


@pytest.fixture(scope="session", autouse=True)
def trained_intent_model() -> None:
    """Train the intent model once for the run, before any server starts."""
    assert IntentModel(model_dir=Path(os.environ["LIVEROOM_COMMENTS_MODEL_DIR"])).model


@pytest.fixture(scope="session", autouse=True)
def volatile_test_redis() -> Iterator[None]:
    """The Redis ledger refuses a Redis without AOF (docs/reliability.md). CI's Redis runs with
    AOF (.ci/run) and the check is exercised there; a developer's scratch Redis may not, and
    losing its data is not what those tests are about: accept it, deliberately, for the run."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        volatile = durability_problem(persistence(client)) is not None
    except redis.RedisError:
        volatile = False  # no Redis: the Redis tests skip
    finally:
        client.close()
    before = os.environ.get("LIVEROOM_ALLOW_VOLATILE_REDIS")
    if volatile:
        os.environ["LIVEROOM_ALLOW_VOLATILE_REDIS"] = "1"
    yield
    if before is None:
        os.environ.pop("LIVEROOM_ALLOW_VOLATILE_REDIS", None)
    else:
        os.environ["LIVEROOM_ALLOW_VOLATILE_REDIS"] = before


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's sync API keeps an event loop running in the main
    thread for the rest of the session, and later asyncio.run() calls would fail."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


def redis_or_skip() -> Any:
    """A client of the test Redis; the test is skipped when none answers."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    return client


def _pg_database() -> str:
    """A fresh database for this test run on the local server; skip if none answers."""
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"liveroom_test_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 — any failure to reach the server means absent
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {exc.__class__.__name__}: {exc}")
    finally:
        admin.dispose()
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def _drop_pg(url: str) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    url = _pg_database()
    yield url
    _drop_pg(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'liveroom.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))


@pytest.fixture
def settings(db_url: str, tmp_path: Any) -> Settings:
    return Settings(database_url=db_url, var_dir=tmp_path / "var")


def empty_postgres(engine: Any) -> None:
    """One PostgreSQL database serves the whole run: each test starts from empty tables."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def container(settings: Settings, clock: FixedClock) -> Iterator[Container]:
    c = bootstrap(settings, clock=clock)
    empty_postgres(c.engine)
    yield c
    c.close()


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container)) as tc:
        yield tc


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(container: Container) -> dict[str, dict[str, str]]:
    """A bearer header per role: tokens['ops'], tokens['console'], …"""
    out = {}
    for role in ("admin", "host", "console", "ops", "cs", "merchant", "connector"):
        out[role] = auth(container.bus.handle(AddUser(f"{role}-user", role), SYSTEM)["token"])
    return out
