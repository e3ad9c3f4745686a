"""kill -9 of the real server in the middle of a flash-sale burst (embedded back-end:
in-process ledger + SQLite group commit). Every confirmed order must survive, nothing may
be sold twice, and after a restart the ledger, the sale row and the order rows agree."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from liveroom.adapters.schema import flash_sales
from liveroom.adapters.schema_orders import orders
from liveroom.identity.model import issue_buyer_jwt

pytestmark = pytest.mark.slow
SECRET = "kill9-secret-0123456789-0123456789-0123"
LIVEROOM = str(Path(sys.executable).parent / "liveroom")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([LIVEROOM, "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # its own group: kill -9 takes workers too
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    raise RuntimeError("server did not start")


def _setup(base: str, admin: dict[str, str], quantity: int) -> str:
    with httpx.Client(base_url=base + "/api/v1", headers=admin, timeout=60) as c:
        sku = c.post("/products", json={
            "name": "锅", "category": "厨具", "tier": "traffic",
            "skus": [{"code": "K9", "price_fen": 9900, "cost_fen": 100, "stock": 100_000}],
        }).json()["skus"][0]["id"]
        sid = c.post("/sessions", json={"title": "k9", "duration_minutes": 60,
                                        "scheduled_start": datetime.now(UTC).isoformat()}
                     ).json()["id"]
        c.put(f"/sessions/{sid}/lineup", json={"items": [{"sku_id": sku,
                                                          "live_price_fen": 5900}]})
        c.post(f"/sessions/{sid}/start").raise_for_status()
        fid = c.post(f"/sessions/{sid}/flash-sales", json={
            "sku_id": sku, "price_fen": 4900, "quantity": quantity, "per_buyer_limit": 1,
        }).json()["id"]
        c.post(f"/flash-sales/{fid}/start").raise_for_status()
        return str(fid)


async def _burst(base: str, fid: str, tokens: list[str], confirmed: dict[str, str],
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
            except httpx.HTTPError:
                continue  # the server died under us: this request has no answer
            assert r.status_code < 500, r.text
            if r.status_code == 201:
                confirmed[f"b{i}"] = r.json()["order_id"]

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
    port = _port()
    base = f"http://127.0.0.1:{port}"
    proc = _serve(env, port)
    try:
        fid = _setup(base, {"Authorization": f"Bearer {token}"}, quantity)
        now = datetime.now(UTC)
        tokens = [issue_buyer_jwt(f"b{i}", SECRET, now, timedelta(hours=1))
                  for i in range(quantity * 2)]
        confirmed: dict[str, str] = {}

        # when the server is killed with SIGKILL in the middle of the burst
        async def burst_and_kill() -> None:
            task = asyncio.create_task(_burst(base, fid, tokens, confirmed, stop_after=1.0))
            while len(confirmed) < quantity // 4:
                await asyncio.sleep(0.005)
            os.killpg(proc.pid, signal.SIGKILL)
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
        proc = _serve(env, port)
        view = httpx.get(f"{base}/api/v1/flash-sales/{fid}").json()
        assert view["remaining"] == quantity - len(ids)
        again: dict[str, str] = {}
        asyncio.run(_burst(base, fid, tokens, again, stop_after=None))
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
        engine.dispose()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
