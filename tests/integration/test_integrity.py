"""Never oversold, also when run wrongly: one in-process ledger per database, a database that
refuses sold > quantity, a Redis ledger that refuses a Redis without AOF, a server that
refuses a busy port."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from liveroom.adapters.redis.redis_durability import VolatileRedis, durability_problem
from liveroom.adapters.sql.ledger_lock import LedgerLocked
from liveroom.adapters.sql.schema import flash_sales
from liveroom.bootstrap import Container, bootstrap
from liveroom.config import Settings
from liveroom.entrypoints.api.app import create_app
from liveroom.entrypoints.cli.preflight import PortInUse, refuse_bound_port
from tests.conftest import empty_postgres
from tests.integration.test_flash_fixtures import buyer, operators, running_sale
from tests.servers import PrivateRedis


def _shop(url: str, tmp_path: Path, **extra: str) -> Container:
    return bootstrap(Settings(database_url=url, var_dir=tmp_path / "var", **extra))


def test_a_second_in_process_ledger_on_one_database_refuses_to_start(
        db_url: str, tmp_path: Path) -> None:
    # given a server selling with the in-process ledger
    first = _shop(db_url, tmp_path, stock_backend="memory")
    empty_postgres(first.engine)
    second = _shop(db_url, tmp_path, stock_backend="memory")
    try:
        with TestClient(create_app(first)) as tc:
            _, _, fid = running_sale(first, tc, operators(first), quantity=100)
            # when a second server on the same database starts
            with pytest.raises(LedgerLocked) as refused, TestClient(create_app(second)):
                pass
            # then it is refused with a message that says why and what to do
            assert "already selling" in refused.value.message
            assert "LIVEROOM_REDIS_URL" in refused.value.message
            # and the first sells on, alone
            r = tc.post(f"/api/v1/flash-sales/{fid}/purchases", json={"quantity": 1},
                        headers={**buyer(first, "b1"), "Idempotency-Key": "k1"})
            assert r.status_code == 201
        # and once the first has stopped, a new one may start
        with TestClient(create_app(second)) as tc2:
            assert tc2.get(f"/api/v1/flash-sales/{fid}").json()["remaining"] == 99
    finally:
        first.close()
        second.close()


def test_the_database_refuses_to_sell_more_than_the_quantity(
        client: TestClient, container: Container, tokens: dict[str, dict[str, str]]) -> None:
    # given a sale of 5 units with 5 sold
    _, _, fid = running_sale(container, client, tokens, quantity=5)
    with container.engine.begin() as conn:
        conn.execute(update(flash_sales).where(flash_sales.c.id == fid).values(sold=5))
    # when anything (a second ledger, a bug, a hand-made UPDATE) counts a sixth
    # then the database refuses
    with pytest.raises(IntegrityError, match="sold_within_quantity"), \
            container.engine.begin() as conn:
        conn.execute(update(flash_sales).where(flash_sales.c.id == fid)
                     .values(sold=flash_sales.c.sold + 1))


@pytest.mark.parametrize("config, ok", [
    ({"appendonly": "no", "appendfsync": "everysec"}, False),
    ({"appendonly": "yes", "appendfsync": "no"}, False),
    ({"appendonly": "yes", "appendfsync": "everysec"}, True),
    ({"appendonly": "yes", "appendfsync": "always"}, True),
    ({"appendonly": "yes", "appendfsync": "unknown"}, True),  # CONFIG disabled: INFO said AOF
    ({}, False),
])
def test_which_redis_is_durable(config: dict[str, str], ok: bool) -> None:
    assert (durability_problem(config) is None) == ok


def _redis_shop(tmp_path: Path, url: str) -> Container:
    return _shop(f"sqlite:///{tmp_path / 'r.db'}", tmp_path, redis_url=url,
                 stock_backend="redis")


def test_the_redis_ledger_refuses_a_redis_without_aof(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # given a Redis without persistence, and no operator consent
    monkeypatch.delenv("LIVEROOM_ALLOW_VOLATILE_REDIS", raising=False)
    volatile = PrivateRedis(tmp_path, "--appendonly", "no")
    volatile.start()
    c = _redis_shop(tmp_path, volatile.url)
    try:
        # when a server starts on it, then it refuses and says why
        with pytest.raises(VolatileRedis, match="appendonly no"), TestClient(create_app(c)):
            pass
        # and with the operator's explicit consent it runs
        monkeypatch.setenv("LIVEROOM_ALLOW_VOLATILE_REDIS", "1")
        c.close()
        c = _redis_shop(tmp_path, volatile.url)
        with TestClient(create_app(c)) as tc:
            assert tc.get("/api/v1/health").status_code == 200
    finally:
        c.close()
        volatile.kill()


def test_the_redis_ledger_runs_on_a_redis_with_aof(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIVEROOM_ALLOW_VOLATILE_REDIS", raising=False)
    durable = PrivateRedis(tmp_path, "--appendonly", "yes", "--appendfsync", "everysec")
    durable.start()
    c = _redis_shop(tmp_path, durable.url)
    try:
        with TestClient(create_app(c)) as tc:
            _, _, fid = running_sale(c, tc, operators(c), quantity=3)
            r = tc.post(f"/api/v1/flash-sales/{fid}/purchases", json={"quantity": 1},
                        headers={**buyer(c, "b1"), "Idempotency-Key": "k1"})
            assert r.status_code == 201
            tc.portal.call(c.stock.flush)  # type: ignore[union-attr]
    finally:
        c.close()
        durable.kill()


def test_serve_refuses_a_port_another_server_listens_on() -> None:
    # given a listener that shares its port the way granian does (SO_REUSEPORT)
    with socket.socket() as other:
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        # when serve checks the port, then it is refused
        with pytest.raises(PortInUse, match=f"127.0.0.1:{port} is already in use"):
            refuse_bound_port("127.0.0.1", port)
    # and a free port passes
    refuse_bound_port("127.0.0.1", port)


def test_the_lock_is_given_back_when_the_ledger_stops(tmp_path: Path) -> None:
    c = _shop(f"sqlite:///{tmp_path / 'l.db'}", tmp_path, stock_backend="memory")
    ledger = c.stock

    async def twice() -> None:
        for _ in range(2):  # start, stop, start again: the lock is free each time
            await ledger.start()
            assert ledger.lock.held
            await ledger.stop()
            assert not ledger.lock.held
    try:
        asyncio.run(twice())
    finally:
        c.close()
