"""Redis killed with -9 and restarted in the middle of a flash sale on the Redis ledger (a
private Redis with AOF, appendfsync everysec; the shared one is never touched). Every order
answered 201 must reach the database exactly once, and nothing is sold twice."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from tests import faultkit as fk
from tests.servers import PrivateRedis, free_port, kill_group, serve, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.redis]
SECRET = "fault-redis-secret-0123456789-012345678"


def test_redis_killed_and_restarted_mid_sale_loses_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # given a server on the Redis ledger, its Redis persisting with AOF
    monkeypatch.delenv("LIVEROOM_ALLOW_VOLATILE_REDIS", raising=False)
    rds = PrivateRedis(tmp_path, "--appendonly", "yes", "--appendfsync", "everysec")
    rds.start()
    db = tmp_path / "r.db"
    env = {**os.environ, "LIVEROOM_DATABASE_URL": f"sqlite:///{db}",
           "LIVEROOM_VAR_DIR": str(tmp_path / "var"), "LIVEROOM_STOCK_BACKEND": "redis",
           "LIVEROOM_REDIS_URL": rds.url, "LIVEROOM_BUYER_SECRET": SECRET,
           "LIVEROOM_ENV": "development"}
    admin = fk.admin_token(env, "radmin")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = serve(env, port)
    engine = create_engine(f"sqlite:///{db}")
    try:
        quantity = 400
        fid = fk.setup_sale(base, admin, quantity)
        tokens = fk.buyer_tokens(SECRET, quantity * 2)
        tally = fk.Tally()

        async def kill() -> None:
            rds.kill()

        async def restart() -> None:
            await asyncio.to_thread(rds.start)

        # when Redis is killed -9 after 100 confirmed orders and restarted 1 s later
        asyncio.run(fk.burst_with_fault(base, fid, tokens, tally, quantity // 4, kill, restart))

        # then (once the stream is written) every confirmed order is stored once
        wait_until(lambda: fk.stored(engine, fid)[0] >= len(tally.confirmed), 20,
                   "the order stream written to the database")
        fk.report("redis kill -9 + restart (AOF everysec)", tally, engine, fid, quantity,
                  outage_s=1.0)
        fk.assert_nothing_lost(tally, engine, fid, quantity)
    finally:
        engine.dispose()
        kill_group(proc)
        rds.kill()
