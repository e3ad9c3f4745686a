"""Analytics at scale: the review, the live metrics' cold start and one tick on a show of N
tracking events, and batch ingest through `POST /api/v1/sessions/{sid}/events`.

    .venv/bin/python -m bench.analytics --events 100000 1000000 [--db sqlite postgres]
    .venv/bin/python -m bench.analytics --events 10000000 --parquet --reads review
    .venv/bin/python -m bench.analytics --events --ingest-seconds 8 --clients 2 \
        [--prefill 1000000] [--uuid-ids]

Each read is measured in a fresh process (a restarted server), which also reports its
peak memory (VmHWM) and its CPU time (on a shared box the wall time swings with the
other processes; the CPU time much less); the live read also times a tick, idle and with
1,000 new events. The 10M run is a benchmark, never a test. Results: docs/benchmarks.md,
"Issue 12"."""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from bench.analytics_events import load
from bench.analytics_parquet import write_segments
from bench.serving import embedded_server, server_cpu, wait_healthy
from sqlalchemy import create_engine, text

PG_ADMIN = os.environ.get("LIVEROOM_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def setup_show(url: str) -> tuple[str, list[str], Any]:
    from fastapi.testclient import TestClient

    from liveroom.bootstrap import bootstrap
    from liveroom.config import Settings
    from liveroom.entrypoints.api.app import create_app
    from liveroom.identity.handlers import AddUser
    from liveroom.identity.model import SYSTEM

    c = bootstrap(Settings(database_url=url, var_dir=Path(tempfile.mkdtemp())))
    token = c.bus.handle(AddUser(f"bench-{uuid.uuid4().hex[:6]}", "admin"), SYSTEM)["token"]
    with TestClient(create_app(c), headers={"Authorization": f"Bearer {token}"}) as tc:
        sid, skus = create_show(tc)
    return sid, skus, c


def create_show(c: Any, n_skus: int = 20) -> tuple[str, list[str]]:
    skus = []
    for i in range(n_skus):
        p = c.post("/api/v1/products", json={
            "name": f"商品{i}", "category": "厨具", "tier": "profit",
            "skus": [{"code": f"B-{uuid.uuid4().hex[:8]}", "spec": "默认", "price_fen": 19900,
                      "cost_fen": 8000, "stock": 100000}]})
        p.raise_for_status()
        skus.append(p.json()["skus"][0]["id"])
    sid = c.post("/api/v1/sessions", json={
        "title": "bench", "scheduled_start": datetime.now(UTC).isoformat(),
        "duration_minutes": 120}).json()["id"]
    c.put(f"/api/v1/sessions/{sid}/lineup", json={"items": [
        {"sku_id": s, "live_price_fen": 19900} for s in skus]}).raise_for_status()
    c.post(f"/api/v1/sessions/{sid}/start").raise_for_status()
    return sid, skus


def database(kind: str, work: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{work / 'bench.db'}"
    name = f"liveroom_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def drop(url: str) -> None:
    if url.startswith("postgresql"):
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
        admin.dispose()


def measure(url: str, sid: str, what: str, segments: Path) -> dict[str, Any]:
    """In a fresh process: the first read after a restart, and (cold) one more tick."""
    out = subprocess.run([sys.executable, "-m", "bench.analytics", "--child", url, sid, what,
                          str(segments)],
                         capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"the {what} read failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def child(url: str, sid: str, what: str, segment_dir: str) -> None:
    from liveroom.adapters.sql.db import make_engine
    from liveroom.adapters.sql.log_segments import LogSegments
    from liveroom.metrics.views import MetricsCache, live_metrics
    from liveroom.review.views import review

    engine = make_engine(url)
    segments = LogSegments(Path(segment_dir))
    base = peak_rss_mb()
    now = datetime.now(UTC) + timedelta(hours=3)
    t0, c0 = time.perf_counter(), time.process_time()
    if what.startswith("review"):
        with engine.connect() as conn:
            review(conn, sid, now, segments)
        out: dict[str, Any] = {"seconds": time.perf_counter() - t0,
                               "cpu": time.process_time() - c0}
    else:
        cache = MetricsCache(segments=segments)

        def tick() -> dict[str, Any]:  # one request: its own connection
            with engine.connect() as conn:
                return live_metrics(conn, cache, sid, now)

        n = tick()["events"]
        out = {"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0}
        out["tick_seconds"] = median_tick(tick)
        # each tick folds 1,000 events that arrived since the one before
        out["tick_1000_seconds"] = median_tick(tick, lambda: extend(engine, sid, n, 1000))
    out.update(peak_mb=peak_rss_mb(), import_mb=base)
    print(json.dumps(out))


def peak_rss_mb() -> int:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss it does not carry the
    parent's peak over the exec of a subprocess)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return 0


def median_tick(tick: Any, before: Any = None, n: int = 7) -> float:
    seconds = []
    for _ in range(n):
        if before is not None:
            before()
        t0 = time.perf_counter()
        tick()
        seconds.append(time.perf_counter() - t0)
    return sorted(seconds)[n // 2]


def extend(engine: Any, sid: str, after: int, n: int) -> None:
    """N more events of the show, after seq `after` (the compacted segments) and after the
    stored rows."""
    with engine.connect() as conn:
        skus = [r[0] for r in conn.exec_driver_sql(
            "SELECT sku_id FROM lineup_items WHERE session_id = ?", (sid,))]
    load(engine, n, sid, skus, datetime.now(UTC) - timedelta(minutes=5), after=after)


def reads(kinds: list[str], sizes: list[int], parquet: bool = False,
          whats: tuple[str, ...] = ("review", "live", "review_again")) -> list[dict[str, Any]]:
    results = []
    for kind in kinds:
        for n in sizes:
            work = Path(tempfile.mkdtemp(prefix="bench-analytics-"))
            url = database(kind, work)
            try:
                sid, skus, c = setup_show(url)
                t0 = time.perf_counter()
                start = datetime.now(UTC) - timedelta(hours=2)
                if parquet:  # the settled log as the live reader leaves it compacted
                    write_segments(work / "segments", sid, n, skus, start)
                else:
                    load(c.engine, n, sid, skus, start)
                loaded = time.perf_counter() - t0
                c.close()
                row = {"db": kind, "events": n, "load_s": round(loaded, 1),
                       "source": "parquet" if parquet else "database"}
                # the first review reads the database only and compacts the log; the live
                # metrics after a restart and a second review read the segments
                for what in whats:
                    r = measure(url, sid, what, work / "segments")
                    row.update({f"{what}_{k}": round(v, 3) if isinstance(v, float) else v
                                for k, v in r.items()})
                print(json.dumps(row), flush=True)
                results.append(row)
            finally:
                drop(url)
    return results


def ingest(seconds: float, clients: int = 4, batch: int = 1000, batches: int = 200,
           prefill: int = 0, buyers: int = 100_000, uuid_ids: bool = False,
           ) -> dict[str, Any]:
    """Batches of `batch` product clicks from `buyers` viewers, `clients` connections
    posting at once, for `seconds`; first `prefill` events of the show written straight
    into the database (a show well under way). Event ids are sequential per client, or
    random (UUID4) as some platforms send them."""
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    proc, base, token = embedded_server("bench-ingest-", work)
    try:
        wait_healthy(base, proc, 240)  # a shared, loaded box can take minutes
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
            sid, skus = create_show(c, 5)
        if prefill:
            engine = create_engine(f"sqlite:///{work / 'liveroom.db'}")
            load(engine, prefill, sid, skus, datetime.now(UTC) - timedelta(hours=1))
            engine.dispose()
            with httpx.Client(base_url=base, headers=headers, timeout=600) as c:
                # the live reader's first read (cold start, compaction), not timed
                c.get(f"/api/v1/sessions/{sid}/metrics/live").raise_for_status()
        counts = [0] * clients
        now = datetime.now(UTC).isoformat()
        rng = random.Random(7)

        def event_id(k: int, n: int) -> str:
            return uuid.UUID(int=rng.getrandbits(128), version=4).hex if uuid_ids else \
                f"i{k}-{n:09d}"

        bodies = [[json.dumps({"events": [
            {"event_id": event_id(k, n * batch + i), "type": "product_click",
             "buyer_id": f"v{rng.randrange(buyers)}", "ts": now,
             "sku_id": skus[i % len(skus)], "channel": "followers"}
            for i in range(batch)]}) for n in range(batches)] for k in range(clients)]
        stop = time.monotonic() + seconds

        def post(k: int) -> None:
            with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
                for body in bodies[k]:
                    if time.monotonic() >= stop:
                        break
                    r = c.post(f"/api/v1/sessions/{sid}/events", content=body,
                               headers={"Content-Type": "application/json"})
                    r.raise_for_status()
                    counts[k] += r.json()["accepted"]

        cpu0 = server_cpu([proc.pid])
        t0 = time.perf_counter()
        threads = [threading.Thread(target=post, args=(k,)) for k in range(clients)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.perf_counter() - t0
        cpu = server_cpu([proc.pid]) - cpu0
        return {"events": sum(counts), "seconds": round(elapsed, 2),
                "events_per_s": round(sum(counts) / elapsed),
                "server_cpu_s": round(cpu, 2),
                "events_per_server_cpu_s": round(sum(counts) / cpu) if cpu else None,
                "clients": clients, "prefill": prefill, "buyers": buyers,
                "event_ids": "uuid4" if uuid_ids else "sequential"}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:6])
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, nargs="*", default=[100_000, 1_000_000])
    ap.add_argument("--db", nargs="+", default=["sqlite"], choices=["sqlite", "postgres"])
    ap.add_argument("--ingest-seconds", type=float, default=0)
    ap.add_argument("--clients", type=int, default=4, help="ingest: connections at once")
    ap.add_argument("--prefill", type=int, default=0,
                    help="ingest: events already in the show's log (written directly)")
    ap.add_argument("--uuid-ids", action="store_true", help="ingest: random event ids")
    ap.add_argument("--parquet", action="store_true",
                    help="generate the log straight as Parquet segments (10M in seconds)")
    ap.add_argument("--reads", nargs="+", default=["review", "live", "review_again"],
                    choices=["review", "live", "review_again"],
                    help="which fresh-process reads to measure (10M: review only)")
    args = ap.parse_args()
    if args.events:
        reads(args.db, args.events, args.parquet, tuple(args.reads))
    if args.ingest_seconds:
        print(json.dumps({"ingest": ingest(args.ingest_seconds, args.clients,
                                           prefill=args.prefill, uuid_ids=args.uuid_ids)}),
              flush=True)


if __name__ == "__main__":
    main()
