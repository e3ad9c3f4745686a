"""Comments/s and events/s with 1, 2 and 3 `liveroom serve` processes on one PostgreSQL
database and one Redis (the distributed comment log: a Redis stream per session, one owner
per session; tracking events straight to PostgreSQL), and one embedded process (no Redis)
for comparison.

    .venv/bin/python bench/comments_scale_out.py [--processes 1,2,3] [--sessions 4]
        [--seconds 15] [--threads 16] [--batch 50] [--event-batch 500] [--no-embedded]

Needs the local PostgreSQL (LIVEROOM_TEST_POSTGRES_URL, as the tests) and Redis
(LIVEROOM_TEST_REDIS_URL). Each configuration gets a fresh database and its own Redis key
prefix, then two phases on the same servers: comment batches, then tracking-event batches.
Clients post round-robin over the processes; a session's first batch goes to process
`i % N`, so owners spread over the processes. A figure counts what the server answered 202
for (comments committed with their analysis; events stored), from the first request to the
last answer; next to it, the servers' CPU seconds (all their processes, from /proc) for the
phase, since on a shared box the wall clock says more about the neighbours than about us.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from tempfile import mkdtemp

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.serving import server_cpu  # noqa: E402
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


def run(processes: int, distributed: bool, args: argparse.Namespace) -> dict[str, float]:
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
        pids = [p.pid for p in procs]
        out: dict[str, float] = {}
        for what, load in (("comments", _load), ("events", _events)):
            cpu = server_cpu(pids)
            count, seconds = load(bases, sids, admin, args)
            out[f"{what}/s"] = count / seconds
            out[f"{what}/cpu-s"] = count / max(server_cpu(pids) - cpu, 1e-9)
        return out
    finally:
        for proc in procs:
            kill_group(proc)
        drop(db)


class Tally:
    """Answers counted as they come, from many client threads."""

    def __init__(self) -> None:
        self.counted: list[tuple[float, int]] = []
        self.errors: list[int] = []
        self._lock = threading.Lock()

    def add(self, r: httpx.Response) -> None:
        with self._lock:
            if r.status_code in (200, 202):
                self.counted.append((time.monotonic(), r.json()["accepted"]))
            else:
                self.errors.append(r.status_code)

    def drive(self, worker: Callable[[int], None], threads: int) -> tuple[int, float]:
        """Runs `threads` workers; what was accepted, and the seconds to the last answer."""
        pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
        started = time.monotonic()
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        if self.errors:
            print(f"    non-2xx answers: {sorted(set(self.errors))} x{len(self.errors)}")
        return (sum(n for _, n in self.counted),
                max(t for t, _ in self.counted) - started)


def _load(bases: list[str], sids: list[str], admin: dict[str, str],
          args: argparse.Namespace) -> tuple[int, float]:
    """Comment batches, each thread on one session."""
    stop = time.monotonic() + args.seconds
    tally = Tally()

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
                tally.add(client.post(f"{base}/api/v1/sessions/{sid}/comments", json=body,
                                      headers=admin))
                n += args.batch

    return tally.drive(worker, args.threads)


def _events(bases: list[str], sids: list[str], admin: dict[str, str],
            args: argparse.Namespace) -> tuple[int, float]:
    """Tracking-event batches (viewers entering), bodies encoded before the clock starts."""
    now = datetime.now(UTC).isoformat()
    run_tag = uuid.uuid4().hex[:6]
    tally = Tally()

    def body(t: int, n: int) -> str:
        return json.dumps({"events": [
            {"event_id": f"{run_tag}-{t}-{n}-{i}", "type": "enter",
             "buyer_id": f"v{(n * args.event_batch + i) % 5000}", "ts": now,
             "channel": "followers"} for i in range(args.event_batch)]})

    bodies = [[body(t, n) for n in range(args.event_batches)]
              for t in range(args.event_threads)]
    stop = time.monotonic() + args.seconds

    def worker(t: int) -> None:
        headers = {**admin, "Content-Type": "application/json"}
        with httpx.Client(timeout=60) as client:
            for n, content in enumerate(bodies[t]):
                if time.monotonic() >= stop:
                    break
                base, sid = bases[(t + n) % len(bases)], sids[(t + n) % len(sids)]
                tally.add(client.post(f"{base}/api/v1/sessions/{sid}/events",
                                      content=content, headers=headers))

    return tally.drive(worker, args.event_threads)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", default="1,2,3")
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--event-batch", type=int, default=500)
    parser.add_argument("--event-batches", type=int, default=200, help="per client thread")
    parser.add_argument("--event-threads", type=int, default=4)
    parser.add_argument("--no-embedded", action="store_true")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, {args.sessions} sessions, {args.seconds:.0f} s per phase; "
          f"comments: {args.threads} client threads, batches of {args.batch}; events: "
          f"{args.event_threads} client threads, batches of {args.event_batch}")
    runs = [("embedded, 1 process (no Redis)", 1, False)] * (not args.no_embedded) + [
        (f"Redis log, {n} process(es)", n, True) for n in map(int, args.processes.split(","))]
    for label, n, distributed in runs:
        out = run(n, distributed, args)
        print(f"{label:<32} " + "  ".join(f"{v:>8,.0f} {k}" for k, v in out.items()),
              flush=True)


if __name__ == "__main__":
    main()
