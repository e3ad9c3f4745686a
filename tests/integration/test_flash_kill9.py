"""kill -9 of the real server in the middle of a flash-sale burst (embedded back-end:
in-process ledger + SQLite group commit). Every confirmed order must survive, nothing may
be sold twice, and after a restart the ledger, the sale row and the order rows agree."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from liveroom.adapters.sql.schema import flash_sales
from liveroom.adapters.sql.schema_orders import orders
from tests.faultkit import Tally, buyer_tokens, report, setup_sale
from tests.servers import LIVEROOM, free_port, serve

pytestmark = pytest.mark.slow
SECRET = "kill9-secret-0123456789-0123456789-0123"


async def _burst(base: str, fid: str, tokens: list[str], tally: Tally,
                 stop_after: float | None) -> None:
    """Buyers hammer the sale; each 201 is recorded (buyer → order id) as it arrives."""
    queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
    for i, tok in enumerate(tokens):
        queue.put_nowait((i, tok))
    started = time.monotonic()

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            if stop_after is not None and time.monotonic() - started > stop_after + 5:
                return
            i, tok = queue.get_nowait()
            try:
                r = await client.post(f"/api/v1/flash-sales/{fid}/purchases",
                                      json={"quantity": 1},
                                      headers={"Authorization": f"Bearer {tok}",
                                               "Idempotency-Key": f"k9-{i}"})
            except httpx.HTTPError:  # the server died under us: this request has no answer
                tally.record(f"b{i}", "no answer", None)
                continue
            assert r.status_code < 500, r.text
            tally.record(f"b{i}", str(r.status_code),
                         r.json()["order_id"] if r.status_code == 201 else None)

    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        await asyncio.gather(*(worker(client) for _ in range(48)))


def test_kill_9_mid_burst_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    # given a server on the embedded back-end and a sale of 1,000 units
    quantity = 1000
    db = tmp_path / "k9.db"
    env = {**os.environ, "LIVEROOM_DATABASE_URL": f"sqlite:///{db}",
           "LIVEROOM_VAR_DIR": str(tmp_path / "var"), "LIVEROOM_STOCK_BACKEND": "memory",
           "LIVEROOM_BUYER_SECRET": SECRET, "LIVEROOM_REDIS_URL": ""}
    token = subprocess.run([LIVEROOM, "user", "add", "k9admin", "--role", "admin"], env=env,
                           capture_output=True, text=True, check=True).stdout.split()[-1]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = serve(env, port)
    try:
        fid = setup_sale(base, {"Authorization": f"Bearer {token}"}, quantity)
        tokens = buyer_tokens(SECRET, quantity * 2)
        tally = Tally()
        confirmed = tally.confirmed

        # when the server is killed with SIGKILL in the middle of the burst
        async def burst_and_kill() -> None:
            task = asyncio.create_task(_burst(base, fid, tokens, tally, stop_after=1.0))
            # a loaded machine may confirm fewer before the burst ends: never wait forever
            while len(confirmed) < quantity // 4 and not task.done():
                await asyncio.sleep(0.005)
            os.killpg(proc.pid, signal.SIGKILL)
            tally.fault_start = time.monotonic()
            await task
        asyncio.run(burst_and_kill())
        proc.wait(timeout=10)
        assert 0 < len(confirmed) < quantity, "the kill must land mid-burst"

        # then every confirmed order is on disk exactly once, and the counters agree
        engine = create_engine(f"sqlite:///{db}")
        with engine.connect() as conn:
            rows = conn.execute(select(orders.c.id, orders.c.buyer_id)
                                .where(orders.c.flash_sale_id == fid)).all()
            sold = conn.execute(select(flash_sales.c.sold)
                                .where(flash_sales.c.id == fid)).scalar_one()
        ids = [r.id for r in rows]
        assert len(ids) == len(set(ids)) == sold
        assert set(confirmed.values()) <= set(ids)  # no confirmed order lost

        # and after a restart the ledger resumes from the rows: sells exactly the rest
        restarted = time.monotonic()
        proc = serve(env, port)
        tally.fault_end = time.monotonic()  # recovery: restart to first 201, counted below
        restart_s = round(tally.fault_end - restarted, 2)
        view = httpx.get(f"{base}/api/v1/flash-sales/{fid}").json()
        assert view["remaining"] == quantity - len(ids)
        before_restart = len(confirmed)
        asyncio.run(_burst(base, fid, tokens, tally, stop_after=None))
        with engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(orders)
                                 .where(orders.c.flash_sale_id == fid)).scalar_one()
            sold = conn.execute(select(flash_sales.c.sold)
                                .where(flash_sales.c.id == fid)).scalar_one()
            per_buyer = conn.execute(select(func.count()).select_from(orders)
                                     .where(orders.c.flash_sale_id == fid)
                                     .group_by(orders.c.buyer_id)
                                     .order_by(func.count().desc()).limit(1)).scalar_one()
        assert total == sold == quantity
        assert per_buyer == 1
        report("kill -9 of the server (memory ledger, SQLite)", tally, engine, fid, quantity,
               confirmed_before_kill=before_restart, stored_after_kill=len(ids),
               restart_to_healthy_s=restart_s)
        engine.dispose()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
