"""PostgreSQL stopped (immediate: like a crash) and started again in the middle of a flash
sale. The cluster is the test's own (initdb + pg_ctl in a temporary directory, as the
postgres user), never the shared one. Buyers get 503 "try again" while it is down; every
order answered 201 is stored exactly once; nothing is oversold; selling resumes by itself."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from tests import faultkit as fk
from tests.servers import PrivatePostgres, free_port, kill_group, serve

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
        admin = fk.admin_token(env, "padmin")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = serve(env, port, log=tmp_path / "serve.log")
        quantity = 300
        fid = fk.setup_sale(base, admin, quantity)
        tokens = fk.buyer_tokens(SECRET, quantity * 2)
        tally = fk.Tally()

        async def stop() -> None:
            await asyncio.to_thread(pg.stop, "immediate")

        async def start() -> None:
            await asyncio.to_thread(pg.start)

        # when PostgreSQL goes down after 75 confirmed orders and is back 1 s later
        asyncio.run(fk.burst_with_fault(base, fid, tokens, tally, quantity // 4, stop, start))

        # then every confirmed order is stored once, and sold agrees
        engine = create_engine(pg.url)
        fk.report(f"PostgreSQL stop -m immediate + start ({backend} ledger)", tally, engine,
                  fid, quantity, outage_s=1.0)
        fk.assert_nothing_lost(tally, engine, fid, quantity)  # selling resumed by itself
    finally:
        if engine is not None:
            engine.dispose()
        if proc is not None:
            kill_group(proc)
        pg.remove()
