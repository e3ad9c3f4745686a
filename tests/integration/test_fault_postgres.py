"""PostgreSQL stopped (immediate: like a crash) and started again in the middle of a flash
sale. The cluster is the test's own (initdb + pg_ctl in a temporary directory, as the
postgres user), never the shared one. Buyers get 503 "try again" while it is down; every
order answered 201 is stored exactly once; nothing is oversold; selling resumes by itself."""

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
from tests.servers import LIVEROOM, PrivatePostgres, free_port, kill_group, serve

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
SECRET = "fault-pg-secret-0123456789-0123456789-01"


@pytest.mark.parametrize("backend", ["memory", "sql"])
def test_postgres_stopped_and_started_mid_sale_loses_nothing(
        backend: str, tmp_path: Path) -> None:
    # given a server on a private PostgreSQL, selling with the given stock ledger
    pg = PrivatePostgres()
    proc = None
    engine = None
    try:
        pg.start()
        env = {**os.environ, "LIVEROOM_DATABASE_URL": pg.url,
               "LIVEROOM_VAR_DIR": str(tmp_path / "var"), "LIVEROOM_STOCK_BACKEND": backend,
               "LIVEROOM_REDIS_URL": "", "LIVEROOM_BUYER_SECRET": SECRET,
               "LIVEROOM_ENV": "development"}
        token = subprocess.run([LIVEROOM, "user", "add", "padmin", "--role", "admin"],
                               env=env, capture_output=True, text=True,
                               check=True).stdout.split()[-1]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = serve(env, port, log=tmp_path / "serve.log")
        quantity = 300
        fid = setup_sale(base, {"Authorization": f"Bearer {token}"}, quantity)
        tokens = buyer_tokens(SECRET, quantity * 2)
        tally = Tally()

        async def stop() -> None:
            await asyncio.to_thread(pg.stop, "immediate")

        async def start() -> None:
            await asyncio.to_thread(pg.start)

        # when PostgreSQL goes down after 75 confirmed orders and is back 1 s later
        asyncio.run(burst_with_fault(base, fid, tokens, tally, quantity // 4, stop, start))

        # then every confirmed order is stored once, and sold agrees
        engine = create_engine(pg.url)
        rows, distinct, per_buyer, sold = stored(engine, fid)
        report(f"PostgreSQL stop -m immediate + start ({backend} ledger)", tally, engine,
               fid, quantity, outage_s=1.0)
        assert set(tally.confirmed.values()) <= order_ids(engine, fid)  # none lost
        assert rows == distinct == sold <= quantity
        assert per_buyer == 1
        assert tally.seen["5xx"] == 0
        assert len(tally.confirmed) == quantity  # selling resumed by itself
    finally:
        if engine is not None:
            engine.dispose()
        if proc is not None:
            kill_group(proc)
        pg.remove()
