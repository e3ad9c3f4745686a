"""Poison records: what real buyers see when a poisoned purchase or stream entry arrives
among them, per stock back-end. In-process (the app through Starlette's TestClient, the
ledger's real writer, real SQLite/PostgreSQL/Redis); figures for docs/reliability.md.

    .venv/bin/python -m bench.poison_records [--buyers 300]

Needs PostgreSQL (`BENCH_PG`, default postgresql+psycopg://postgres@127.0.0.1:5432/test;
creates and drops a private database) and Redis (`BENCH_REDIS`, default
redis://127.0.0.1:6379/14, flushed) for those back-ends."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import redis
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text

from liveroom.adapters.sql.schema import flash_sales
from liveroom.adapters.sql.schema_orders import orders
from liveroom.bootstrap import Container, bootstrap
from liveroom.config import Settings
from liveroom.entrypoints.api.app import create_app
from liveroom.identity.handlers import AddUser
from liveroom.identity.model import SYSTEM, issue_buyer_jwt
from liveroom.inventory.ledger import PurchaseRequest

PG = os.environ.get("BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
BACKENDS = [("memory", "sqlite"), ("memory", "postgres"), ("sql", "postgres"),
            ("redis", "sqlite")]
POISONS = ["a\u0000b", "\ud800"]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _sale(c: Container, tc: TestClient, quantity: int) -> str:
    op = {r: _bearer(c.bus.handle(AddUser(f"{r}-{uuid.uuid4().hex[:6]}", r), SYSTEM)["token"])
          for r in ("ops", "console")}
    p = tc.post("/api/v1/products", headers=op["ops"], json={
        "name": "锅", "category": "厨具", "tier": "profit", "skus": [
            {"code": f"P-{uuid.uuid4().hex[:8]}", "price_fen": 19900, "cost_fen": 8000,
             "stock": 100_000}]}).json()
    sku = p["skus"][0]["id"]
    sid = tc.post("/api/v1/sessions", headers=op["ops"], json={
        "title": "t", "scheduled_start": "2026-11-27T19:00:00+08:00",
        "duration_minutes": 120}).json()["id"]
    tc.put(f"/api/v1/sessions/{sid}/lineup", headers=op["ops"],
           json={"items": [{"sku_id": sku, "live_price_fen": 19900}]})
    tc.post(f"/api/v1/sessions/{sid}/start", headers=op["console"])
    fid = tc.post(f"/api/v1/sessions/{sid}/flash-sales", headers=op["console"], json={
        "sku_id": sku, "price_fen": 9900, "quantity": quantity}).json()["id"]
    tc.post(f"/api/v1/flash-sales/{fid}/start", headers=op["console"])
    return str(fid)


def _truth(c: Container, fid: str) -> tuple[int, int, int]:
    """(sold, order rows, dead letters)."""
    with c.engine.connect() as conn:
        sold = conn.execute(select(flash_sales.c.sold).where(flash_sales.c.id == fid)).scalar()
        rows = conn.execute(select(func.count()).select_from(orders)
                            .where(orders.c.flash_sale_id == fid)).scalar_one()
        try:
            dead = conn.execute(text("SELECT count(*) FROM dead_letters")).scalar_one()
        except Exception:  # noqa: BLE001 — the code before dead letters has no such table
            dead = -1
    return int(sold or 0), int(rows), int(dead)


def _buy(c: Container, tc: TestClient, fid: str, bodies: list[Any], who: str) -> list[int]:
    """Status codes of one purchase per body, 32 at a time, each buyer signed in."""
    secret = c.settings.buyer_secret

    def one(i: int) -> int:
        token = issue_buyer_jwt(f"{who}{i}", secret, datetime.now(UTC), timedelta(hours=1))
        return tc.post(f"/api/v1/flash-sales/{fid}/purchases",
                       content=json.dumps(bodies[i]).encode(),
                       headers={**_bearer(token), "Idempotency-Key": f"k{i}",
                                "content-type": "application/json"}).status_code
    with ThreadPoolExecutor(32) as pool:
        return list(pool.map(one, range(len(bodies))))


def door(c: Container, tc: TestClient, buyers: int) -> dict[str, Any]:
    """Real buyers and two poisoned bodies over HTTP, at once."""
    fid = _sale(c, tc, buyers * 2)
    bodies = [{"quantity": 1, "channel": "live"}] * buyers + [
        {"quantity": 1, "channel": p} for p in POISONS]
    codes = _buy(c, tc, fid, bodies, "d")
    tc.portal.call(c.stock.flush)  # type: ignore[union-attr]
    sold, rows, _ = _truth(c, fid)
    return {"real_201": codes[:buyers].count(201), "real": buyers,
            "real_other": dict(Counter(x for x in codes[:buyers] if x != 201)),
            "poison": codes[buyers:], "stored": rows, "sold": sold}


def group_commit(c: Container, tc: TestClient, buyers: int) -> dict[str, Any]:
    """One poisoned order past the door, in the same burst (the same group commit)."""
    fid = _sale(c, tc, buyers * 2)
    ledger = c.stock

    async def burst() -> tuple[list[Any], float]:
        reqs = [PurchaseRequest(fid, f"g{i}", 1, f"k{i}", channel="live")
                for i in range(buyers)]
        reqs.insert(buyers // 2, PurchaseRequest(fid, "poison", 1, "p", channel="\ud800"))
        t0 = time.perf_counter()
        out = await asyncio.gather(*(ledger.reserve(r) for r in reqs), return_exceptions=True)
        await ledger.flush()
        return out, time.perf_counter() - t0
    replies, took = tc.portal.call(burst)  # type: ignore[union-attr]
    poisoned = replies.pop(buyers // 2)
    ok = sum(1 for r in replies if not isinstance(r, BaseException) and r.status_code == 201)
    sold, rows, dead = _truth(c, fid)
    return {"real_201": ok, "real": buyers, "poison": type(poisoned).__name__,
            "stored": rows, "sold": sold, "dead_letters": dead, "seconds": round(took, 3)}


def stream(c: Container, tc: TestClient, buyers: int) -> dict[str, Any]:
    """Three poisoned entries at the head of the Redis order stream, then real buyers."""
    fid = _sale(c, tc, buyers * 2)
    raw = redis.Redis.from_url(REDIS)
    key = c.stock.keys.stream
    good = {"id": "x", "sale_id": fid, "session_id": "s", "sku_id": "k", "price_fen": 1,
            "buyer_id": "b", "quantity": 1, "idempotency_key": "k",
            "created_at": "2026-11-27T10:00:00+00:00", "expires_at": "2026-11-27T10:15:00+00:00"}
    raw.xadd(key, {"o": b"{not json"})
    raw.xadd(key, {"o": json.dumps({**good, "id": "q", "quantity": "many"})})
    raw.xadd(key, {"o": json.dumps({**good, "id": "t", "channel": "\ud800"})})
    t0 = time.perf_counter()
    codes = _buy(c, tc, fid, [{"quantity": 1}] * buyers, "s")
    try:
        tc.portal.call(c.stock.flush)  # type: ignore[union-attr]
        drained = "yes"
    except Exception as exc:  # noqa: BLE001 — the code before this change: report, go on
        drained = f"no ({exc.__class__.__name__})"
    took = time.perf_counter() - t0
    sold, rows, dead = _truth(c, fid)
    left = raw.xlen(key)
    raw.close()
    return {"real_201": codes.count(201), "real": buyers, "stored": rows,
            "dead_letters": dead, "stream_left": left, "drained": drained,
            "seconds": round(took, 3)}


def run(backend: str, db: str, buyers: int, tmp: Path) -> dict[str, Any]:
    pg_name = f"poison_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    if db == "postgres":
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{pg_name}"'))
    url = PG.rsplit("/", 1)[0] + "/" + pg_name if db == "postgres" else \
        f"sqlite:///{tmp / f'{backend}.db'}"
    if backend == "redis":
        redis.Redis.from_url(REDIS).flushdb()
    c = bootstrap(Settings(database_url=url, var_dir=tmp / "var", stock_backend=backend,
                           redis_url=REDIS if backend == "redis" else ""))
    out: dict[str, Any] = {"backend": f"{backend}-{db}"}
    try:
        with TestClient(create_app(c)) as tc:
            for name, scenario in [("door", door), ("group_commit", group_commit),
                                   ("stream", stream)]:
                if name == "stream" and backend != "redis":
                    continue
                try:
                    out[name] = scenario(c, tc, buyers)
                except Exception as exc:  # noqa: BLE001 — a scenario that breaks is a figure
                    out[name] = f"failed: {exc.__class__.__name__}: {str(exc)[:120]}"
    finally:
        c.close()
        if db == "postgres":
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
        admin.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buyers", type=int, default=300)
    parser.add_argument("--backends", default=",".join(f"{b}-{d}" for b, d in BACKENDS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.backends.split(","):
            backend, db = name.split("-")
            print(json.dumps(run(backend, db, args.buyers, Path(tmp)), ensure_ascii=False),
                  flush=True)


if __name__ == "__main__":
    main()
