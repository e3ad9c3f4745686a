"""Flash-sale benchmark: the real server (`liveroom serve`, granian) per stock back-end,
wrk on the same machine. Not a timed test: run it by hand and paste the table into
docs/benchmarks.md.

    apt-get install -y wrk            # once (Debian); the load generator
    .venv/bin/python -m bench.flash_sale --backends memory redis sql

Per back-end: GET /api/v1/health rate; correctness bursts (stock 1/100/1,000/10,000, 10×
distinct buyers, 256 connections, 5 s) verified against the database; a success-only run
and a sold-out-only run at 64 connections (latency and speed of each answer)."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import redis
from bench.flash_wrk import HEALTH_LUA, purchase_script, run_wrk
from bench.serving import free_port, wait_healthy
from sqlalchemy import create_engine, func, select, text

from liveroom.adapters.sql.schema import flash_sales
from liveroom.adapters.sql.schema_orders import orders

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret-0123456789-0123456789-abcdef"
PG_ADMIN = os.environ.get("BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
# memory must run one process; the others may use more (BENCH_WORKERS_REDIS/_SQL).
WORKERS = {"memory": 1, "redis": int(os.environ.get("BENCH_WORKERS_REDIS", "2")),
           "sql": int(os.environ.get("BENCH_WORKERS_SQL", "2"))}


class Server:
    def __init__(self, backend: str, workdir: Path) -> None:
        self.backend = backend
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "LIVEROOM_ENV": "development", "LIVEROOM_BUYER_SECRET": SECRET,
                    "LIVEROOM_VAR_DIR": str(workdir / "var"), "LIVEROOM_STOCK_BACKEND": backend}
        if backend == "sql":
            self.db_url = self._fresh_pg()
        else:
            self.db_url = f"sqlite:///{workdir / 'bench.db'}"
        self.env["LIVEROOM_DATABASE_URL"] = self.db_url
        if backend == "redis":
            redis.Redis.from_url(REDIS).flushdb()
            self.env["LIVEROOM_REDIS_URL"] = REDIS
        self.proc: subprocess.Popen[bytes] | None = None

    def _fresh_pg(self) -> str:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('DROP DATABASE IF EXISTS "liveroom_bench" WITH (FORCE)'))
            conn.execute(text('CREATE DATABASE "liveroom_bench"'))
        admin.dispose()
        return PG_ADMIN.rsplit("/", 1)[0] + "/liveroom_bench"

    def cli(self, *args: str) -> str:
        return subprocess.run([str(ROOT / ".venv/bin/liveroom"), *args], env=self.env,
                              capture_output=True, text=True, check=True).stdout.strip()

    def start(self) -> None:
        log = Path(self.env["LIVEROOM_VAR_DIR"]).parent / "server.log"
        with log.open("ab") as err:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(
                [str(ROOT / ".venv/bin/liveroom"), "serve", "--port", str(self.port),
                 "--workers", str(WORKERS[self.backend])], env=self.env,
                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        wait_healthy(self.base, self.proc)

    def stop(self) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)


def tokens_file(path: Path, n: int, prefix: str) -> Path:
    now = datetime.now(UTC)
    exp = int((now + timedelta(hours=6)).timestamp())
    with path.open("w") as f:
        for i in range(n):
            f.write(jwt.encode({"sub": f"{prefix}{i}", "iat": int(now.timestamp()),
                                "exp": exp}, SECRET, algorithm="HS256") + "\n")
    return path


def setup_sale(base: str, admin: dict[str, str], quantity: int, limit: int) -> str:
    with httpx.Client(base_url=base + "/api/v1", headers=admin, timeout=120) as c:
        p = c.post("/products", json={"name": "秒杀锅", "category": "厨具", "tier": "traffic",
                                      "skus": [{"code": f"B-{time.time_ns()}", "price_fen": 19900,
                                                "cost_fen": 5000, "stock": 10**8}]}).json()
        sku = p["skus"][0]["id"]
        start = datetime.now(UTC).isoformat()
        sid = c.post("/sessions", json={"title": "bench", "duration_minutes": 120,
                                        "scheduled_start": start}).json()["id"]
        c.put(f"/sessions/{sid}/lineup", json={"items": [{"sku_id": sku,
                                                          "live_price_fen": 15900}]})
        c.post(f"/sessions/{sid}/start").raise_for_status()
        fid = c.post(f"/sessions/{sid}/flash-sales", json={
            "sku_id": sku, "price_fen": 9900, "quantity": quantity,
            "per_buyer_limit": limit}).json()["id"]
        c.post(f"/flash-sales/{fid}/start").raise_for_status()
        return str(fid)


def settle(server: Server, fid: str) -> None:
    """Wait until the server has finished what wrk left in flight (and, with Redis, the
    persister has written the stream out): the row count stops moving."""
    if server.backend == "redis":
        client = redis.Redis.from_url(REDIS)
        deadline = time.monotonic() + 60
        while client.xlen("lr:orders") > 0 and time.monotonic() < deadline:
            time.sleep(0.05)
    eng = create_engine(server.db_url)
    last = -1
    with eng.connect() as conn:
        while True:
            n = conn.execute(select(func.count()).select_from(orders)
                             .where(orders.c.flash_sale_id == fid)).scalar_one()
            conn.rollback()
            if n == last:
                break
            last = n
            time.sleep(0.5)
    eng.dispose()


def verify(server: Server, fid: str, stock: int, limit: int, answers: dict[str, int],
           in_flight: int) -> dict[str, Any]:
    settle(server, fid)
    eng = create_engine(server.db_url)
    with eng.connect() as conn:  # one statement: one snapshot of the sale and its rows
        mine = orders.c.flash_sale_id == fid
        per_buyer = (select(func.sum(orders.c.quantity).label("n")).where(mine)
                     .group_by(orders.c.buyer_id).subquery())
        sold, n_rows, n_ids, worst = conn.execute(select(
            select(flash_sales.c.sold).where(flash_sales.c.id == fid).scalar_subquery(),
            select(func.count()).where(mine).scalar_subquery(),
            select(func.count(func.distinct(orders.c.id))).where(mine).scalar_subquery(),
            select(func.coalesce(func.max(per_buyer.c.n), 0)).scalar_subquery())).one()
    eng.dispose()
    rows = (n_rows, n_ids)
    created = answers.get("201", 0)
    fivexx = sum(n for code, n in answers.items() if code.startswith("5"))
    # Correct = nothing oversold or lost. wrk stops counting at the end of the run, so a
    # purchase still in flight then has a row but no counted 201 (at most one per
    # connection); a slow back-end may not sell out in the burst ("sold_out" separately).
    ok = (sold == rows[0] == rows[1] <= stock and created <= rows[0] <= created + in_flight
          and fivexx == 0 and worst <= limit)
    return {"sold_column": sold, "order_rows": rows[0], "answers_201": created,
            "unanswered_at_cutoff": rows[0] - created, "max_per_buyer": worst,
            "5xx": fivexx, "correct": ok, "sold_out": sold == stock}


def bench_backend(backend: str, seconds: int, stocks: list[int]) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"flash-{backend}-"))
    server = Server(backend, work)
    admin = {"Authorization": "Bearer " + server.cli("user", "add", "bench", "--role",
                                                     "admin").splitlines()[-1]}
    server.start()
    out: dict[str, Any] = {"backend": backend, "workers": WORKERS[backend], "bursts": []}
    try:
        out["health"] = run_wrk(server.base + "/api/v1/health", HEALTH_LUA, work,
                                connections=256, seconds=seconds)
        for stock in stocks:
            fid = setup_sale(server.base, admin, stock, 1)
            toks = tokens_file(work / f"t{stock}.txt", max(stock * 10, 2560), f"s{stock}-")
            res = run_wrk(server.base + f"/api/v1/flash-sales/{fid}/purchases",
                          purchase_script(toks, f"/api/v1/flash-sales/{fid}/purchases",
                                          f"r{stock}"), work, connections=256, seconds=seconds)
            res["stock"] = stock
            res["check"] = verify(server, fid, stock, 1, res["statuses"], in_flight=256)
            out["bursts"].append(res)
            if stock == stocks[0]:
                sold_out_fid = fid  # the smallest sale is surely sold out by now
        # success-only: stock far above what can sell in the run, generous limit
        fid = setup_sale(server.base, admin, 10**7, 10**6)
        toks = tokens_file(work / "tbig.txt", 25_600, "big-")
        out["success_64"] = run_wrk(server.base + f"/api/v1/flash-sales/{fid}/purchases",
                                    purchase_script(toks, f"/api/v1/flash-sales/{fid}/purchases",
                                                    "ok64"), work, connections=64,
                                    seconds=seconds)
        out["soldout_64"] = run_wrk(
            server.base + f"/api/v1/flash-sales/{sold_out_fid}/purchases",
            purchase_script(toks, f"/api/v1/flash-sales/{sold_out_fid}/purchases", "so64"),
            work, connections=64, seconds=seconds)
    finally:
        server.stop()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backends", nargs="+", default=["memory", "redis", "sql"])
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--stocks", nargs="+", type=int, default=[1, 100, 1000, 10000])
    ap.add_argument("--out", default=str(ROOT / "var" / "bench-flash.json"))
    args = ap.parse_args()
    results = {"date": datetime.now(UTC).isoformat(), "machine": {
        "cpus": os.cpu_count(), "uname": " ".join(os.uname())}, "runs": []}
    for backend in args.backends:
        print(f"== {backend}", file=sys.stderr, flush=True)
        results["runs"].append(bench_backend(backend, args.seconds, args.stocks))
        print(json.dumps(summary(results["runs"][-1]), ensure_ascii=False), flush=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1))
    print(f"raw results: {args.out}", file=sys.stderr)


def summary(run: dict[str, Any]) -> dict[str, Any]:
    ms = 1000.0
    top = run["bursts"][-1] if run["bursts"] else {}
    return {
        "backend": run["backend"], "health_rps": round(run["health"]["rps"]),
        "bursts": [{"stock": b["stock"], "attempts_rps": round(b["rps"]),
                    "p99_ms": round(b["p99_us"] / ms, 1), "statuses": b["statuses"],
                    "errors": b["errors"], "correct": b["check"]["correct"],
                    "sold_out": b["check"]["sold_out"]}
                   for b in run["bursts"]],
        "ratio_vs_health": round(top.get("rps", 0) / run["health"]["rps"], 3),
        "success_64": {"rps": round(run["success_64"]["rps"]),
                       "p50_ms": round(run["success_64"]["p50_us"] / ms, 2),
                       "p99_ms": round(run["success_64"]["p99_us"] / ms, 1),
                       "statuses": run["success_64"]["statuses"]},
        "soldout_64": {"rps": round(run["soldout_64"]["rps"]),
                       "p50_ms": round(run["soldout_64"]["p50_us"] / ms, 2),
                       "p99_ms": round(run["soldout_64"]["p99_us"] / ms, 1),
                       "statuses": run["soldout_64"]["statuses"]},
    }


if __name__ == "__main__":
    main()
