"""Committed comments per second with 1, 2 and 4 `liveroom serve` processes on one
PostgreSQL database and one Redis (the distributed comment log: a Redis stream per session,
one owner per session), and the embedded pipeline on one process for comparison.

    .venv/bin/python bench/comments_scale_out.py [--processes 1,2,4] [--sessions 4]
        [--seconds 15] [--threads 16] [--batch 50]

Needs the local PostgreSQL (LIVEROOM_TEST_POSTGRES_URL, as the tests) and Redis
(LIVEROOM_TEST_REDIS_URL). Each run gets a fresh database and its own Redis key prefix.
Clients post round-robin over the processes; a session's first batch goes to process
`i % N`, so owners spread over the processes. Every figure counts comments the server
answered 202 for (committed with their analysis), from the first to the last answer.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from tempfile import mkdtemp

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.factories import live_session_with  # noqa: E402
from tests.servers import LIVEROOM, free_port, kill_group, serve  # noqa: E402

PG = os.environ.get("LIVEROOM_TEST_POSTGRES_URL",
                    "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("LIVEROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")
TEXTS = ["尺码怎么选", "什么时候发货", "多少钱", "好看", "已拍", "2号链接还有吗", "主播好美",
         "质量怎么样", "扣1", "能便宜点吗"]


def database() -> str:
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    name = f"liveroom_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG.rsplit("/", 1)[0] + "/" + name


def drop(url: str) -> None:
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def run(processes: int, distributed: bool, args: argparse.Namespace) -> float:
    db = database()
    prefix = f"bench{uuid.uuid4().hex[:6]}"
    tmp = Path(mkdtemp(prefix="liveroom-scale-"))
    # The model cache of this checkout: a fresh directory would train the intent model first.
    env = {**os.environ, "LIVEROOM_DATABASE_URL": db, "LIVEROOM_VAR_DIR": str(ROOT / "var"),
           "LIVEROOM_REDIS_URL": REDIS if distributed else "",
           "LIVEROOM_COMMENTS_USE_ENCODER": "0", "LIVEROOM_COMMENTS_LOG_PREFIX": prefix,
           "LIVEROOM_REDIS_PREFIX": prefix, "LIVEROOM_EVENT_STREAM": f"{prefix}:events",
           "LIVEROOM_ALLOW_VOLATILE_REDIS": "1", "LIVEROOM_ENV": "development",
           "LIVEROOM_CONNECTOR_COMMENTS_PER_MINUTE": "100000000"}
    token = subprocess.run([LIVEROOM, "user", "add", "bench", "--role", "admin"], env=env,
                           capture_output=True, text=True, check=True).stdout.split()[-1]
    admin = {"Authorization": f"Bearer {token}"}
    procs, bases = [], []
    try:
        for _ in range(processes):
            port = free_port()
            procs.append(serve(env, port, log=tmp / f"serve-{port}.log"))
            bases.append(f"http://127.0.0.1:{port}")
        tokens = {r: admin for r in ("ops", "console", "host", "connector")}
        sids = []
        for i in range(args.sessions):
            with httpx.Client(base_url=bases[i % processes], timeout=60) as client:
                sid, _ = live_session_with(client, tokens)  # type: ignore[arg-type]
                for _ in range(10):  # the first batch of a room may wait for the model
                    r = client.post(f"/api/v1/sessions/{sid}/comments", headers=admin,
                                    json={"comments": [{"id": "warm", "buyer_id": "w",
                                                        "text": "来了"}]})
                    if r.status_code == 202:
                        break
            sids.append(sid)
        return _load(bases, sids, admin, args)
    finally:
        for proc in procs:
            kill_group(proc)
        drop(db)


def _load(bases: list[str], sids: list[str], admin: dict[str, str],
          args: argparse.Namespace) -> float:
    stop = time.monotonic() + args.seconds
    counted: list[tuple[float, int]] = []
    errors: list[int] = []
    lock = threading.Lock()

    def worker(t: int) -> None:
        sid = sids[t % len(sids)]
        n = 0
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < stop:
                now = datetime.now(UTC).isoformat()
                body = {"comments": [{"buyer_id": f"b{t}-{(n + j) % 500}", "nickname": "观众",
                                      "text": f"{TEXTS[(n + j) % len(TEXTS)]}{n + j}",
                                      "ts": now} for j in range(args.batch)]}
                base = bases[(t + n) % len(bases)]
                r = client.post(f"{base}/api/v1/sessions/{sid}/comments", json=body,
                                headers=admin)
                with lock:
                    if r.status_code == 202:
                        counted.append((time.monotonic(), r.json()["accepted"]))
                    else:
                        errors.append(r.status_code)
                n += args.batch

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(args.threads)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = sum(n for _, n in counted)
    elapsed = max(t for t, _ in counted) - started
    if errors:
        print(f"    non-202 answers: {sorted(set(errors))} x{len(errors)}")
    return total / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--no-embedded", action="store_true")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, {args.sessions} sessions, {args.threads} client threads, "
          f"batches of {args.batch}, {args.seconds:.0f} s per run")
    if not args.no_embedded:
        rate = run(1, False, args)
        print(f"embedded pipeline, 1 process (no Redis):   {rate:>9,.0f} comments/s")
    for n in (int(p) for p in args.processes.split(",")):
        rate = run(n, True, args)
        print(f"distributed log, {n} process(es):           {rate:>9,.0f} comments/s")


if __name__ == "__main__":
    main()
