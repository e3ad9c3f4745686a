"""Redis killed with -9 and restarted in the middle of a flash sale on the Redis ledger (a
private Redis with AOF, appendfsync everysec; the shared one is never touched). Every order
answered 201 must reach the database exactly once, and nothing is sold twice."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from tests.faultkit import (
    Tally,
    burst_with_fault,
    buyer_tokens,
    order_ids,
    report,
    setup_sale,
    stored,
)
from tests.servers import LIVEROOM, PrivateRedis, free_port, kill_group, serve, wait_until

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
    token = subprocess.run([LIVEROOM, "user", "add", "radmin", "--role", "admin"], env=env,
                           capture_output=True, text=True, check=True).stdout.split()[-1]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = serve(env, port)
    engine = create_engine(f"sqlite:///{db}")
    try:
        quantity = 400
        fid = setup_sale(base, {"Authorization": f"Bearer {token}"}, quantity)
        tokens = buyer_tokens(SECRET, quantity * 2)
        tally = Tally()

        async def kill() -> None:
            rds.kill()

        async def restart() -> None:
            await asyncio.to_thread(rds.start)

        # when Redis is killed -9 after 100 confirmed orders and restarted 1 s later
        asyncio.run(burst_with_fault(base, fid, tokens, tally, quantity // 4, kill, restart))

        # then (once the stream is written) every confirmed order is stored once
        wait_until(lambda: stored(engine, fid)[0] >= len(tally.confirmed), 20,
                   "the order stream written to the database")
        rows, distinct, per_buyer, sold = stored(engine, fid)
        report("redis kill -9 + restart (AOF everysec)", tally, engine, fid, quantity,
               outage_s=1.0)
        assert set(tally.confirmed.values()) <= order_ids(engine, fid)  # none lost
        assert rows == distinct == sold <= quantity  # none twice, never oversold
        assert per_buyer == 1
        assert tally.seen["5xx"] == 0  # buyers saw 201, 409 or 503 (try again), no 500
        assert len(tally.confirmed) == quantity  # after the outage the sale sold out
    finally:
        engine.dispose()
        kill_group(proc)
        rds.kill()
