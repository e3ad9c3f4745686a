"""Done means (issue 11): three real `liveroom serve` processes and a fourth server with
`--workers 2`, on one PostgreSQL database and one Redis, serve one show. Comments arrive
round-robin from several threads, console actions on one process, reads from all: every
comment stored once with no gap, the same queue, alerts and lottery entrants everywhere,
reminders sent once, and a second server on a taken port refused. Then the room's owner is
killed with SIGKILL mid-burst (another process takes over within the lease), and a paused
owner (SIGSTOP past its lease) is fenced off when it wakes."""

from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from sqlalchemy import create_engine, func, select

from liveroom.adapters.sql.schema_comments import comments
from liveroom.adapters.sql.schema_orders import order_notifications
from liveroom.identity.model import issue_buyer_jwt
from tests.conftest import REDIS_URL, _drop_pg, _pg_database, redis_or_skip
from tests.factories import live_session_with
from tests.servers import LIVEROOM, free_port, kill_group, serve

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]
SECRET = "scale-out-secret-0123456789-0123456789"
LEASE_MS = 3000
TEXTS = ["尺码怎么选", "什么时候发货", "抽奖抽奖", "多少钱", "假货吧", "好看"]


class Show:
    """Servers of one show on one database and one Redis: the test run's own (a fresh
    database on the local server, the test Redis), or the ones given."""

    def __init__(self, tmp: Path, db: str | None = None, redis_url: str | None = None) -> None:
        if redis_url is None:
            redis_or_skip()
        self.own_db = db is None
        self.db = db or _pg_database()
        self.redis_url = redis_url or REDIS_URL
        self.prefix = f"so{uuid.uuid4().hex[:8]}"
        self.env = {**os.environ, "LIVEROOM_DATABASE_URL": self.db,
                    "LIVEROOM_REDIS_URL": self.redis_url, "LIVEROOM_VAR_DIR": str(tmp / "var"),
                    "LIVEROOM_BUYER_SECRET": SECRET, "LIVEROOM_COMMENTS_USE_ENCODER": "0",
                    # rules only: a fresh var dir would train the intent model on first use
                    "LIVEROOM_COMMENTS_USE_MODEL": "0",
                    "LIVEROOM_COMMENTS_LOG_PREFIX": self.prefix,
                    "LIVEROOM_COMMENTS_LEASE_MS": str(LEASE_MS),
                    "LIVEROOM_REDIS_PREFIX": self.prefix,
                    "LIVEROOM_EVENT_STREAM": f"{self.prefix}:events",
                    "LIVEROOM_UNPAID_REMINDER_MINUTES": "0"}
        self.tmp = tmp
        token = subprocess.run([LIVEROOM, "user", "add", "so-admin", "--role", "admin"],
                               env=self.env, capture_output=True, text=True, check=True
                               ).stdout.split()[-1]
        self.admin = {"Authorization": f"Bearer {token}"}
        self.procs: list[subprocess.Popen[bytes]] = []
        self.bases: list[str] = []
        self.logs: list[Path] = []
        self.engine = create_engine(self.db)

    def start(self, *extra: str, env: dict[str, str] | None = None, host: str = "127.0.0.1",
              wrap: tuple[str, ...] = ()) -> None:
        port = free_port()
        # kept after the run (pytest's tmp directories rotate): what each server logged
        log = Path(tempfile.gettempdir()) / f"liveroom-scale-{self.prefix}-{port}.log"
        self.procs.append(serve(env or self.env, port, *extra, log=log, host=host, wrap=wrap))
        self.bases.append(f"http://{host}:{port}")
        self.logs.append(log)

    def owner(self, sid: str) -> int:
        """Index of the process that owns the session's room (by the lease's holder pid)."""
        holder = redis.Redis.from_url(self.redis_url).get(f"{self.prefix}:room:{sid}:owner")
        assert holder is not None, "nobody owns the room"
        pid = int(holder.decode().split(":")[1])
        return next(i for i, p in enumerate(self.procs) if os.getpgid(pid) == p.pid)

    def close(self) -> None:
        for proc in self.procs:
            kill_group(proc)
        self.engine.dispose()
        if self.own_db:
            _drop_pg(self.db)


@pytest.fixture
def show(tmp_path: Path) -> Iterator[Show]:
    s = Show(tmp_path)
    try:
        for _ in range(3):
            s.start()
        yield s
    finally:
        s.close()


@pytest.fixture
def show_and_workers(show: Show) -> Show:
    """Three processes and a fourth server with two worker processes (granian)."""
    show.start("--workers", "2")
    return show


class Burst:
    """Threads posting batches round-robin over the live processes; a batch whose process
    died (or answered 503) is retried, same ids, on the next one."""

    def __init__(self, show: Show, sid: str, threads: int, batches: int, size: int,
                 tag: str) -> None:
        self.show, self.sid, self.size, self.tag = show, sid, size, tag
        self.threads, self.batches = threads, batches
        self.statuses: list[int] = []
        self.errors: list[str] = []
        self.accepted = 0
        self.done_at: list[float] = []
        self.skip: set[int] = set()
        self._lock = threading.Lock()

    def batch(self, t: int, b: int) -> list[dict[str, Any]]:
        now = datetime.now(UTC).isoformat()
        return [{"id": f"{self.tag}-{t}-{b}-{j}", "buyer_id": f"v{t}-{(b * self.size + j) % 37}",
                 "nickname": "观众", "text": TEXTS[(t + b + j) % len(TEXTS)], "ts": now}
                for j in range(self.size)]

    def _thread(self, t: int) -> None:
        order = itertools.cycle(range(len(self.show.bases)))
        with httpx.Client(timeout=30) as client:
            for b in range(self.batches):
                body = {"comments": self.batch(t, b)}
                for _attempt in range(12):
                    i = next(order)
                    if i in self.skip:
                        continue
                    try:
                        r = client.post(f"{self.show.bases[i]}/api/v1/sessions/{self.sid}"
                                        "/comments", json=body, headers=self.show.admin)
                    except httpx.HTTPError:
                        continue  # that process is gone: same batch, next process
                    with self._lock:
                        self.statuses.append(r.status_code)
                        if r.status_code != 202:
                            self.errors.append(f"{i}: {r.status_code} {r.text[:200]}")
                    if r.status_code == 202:
                        with self._lock:
                            self.accepted += r.json()["accepted"] + r.json()["duplicates"]
                            self.done_at.append(time.monotonic())
                        break
                else:
                    raise AssertionError(f"batch {t}/{b} never accepted")

    def run(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self._thread, args=(t,)) for t in range(
            self.threads)]
        for thread in threads:
            thread.start()
        return threads


def _stored(show: Show, sid: str) -> list[Any]:
    with show.engine.connect() as conn:
        return conn.execute(select(comments.c.seq, comments.c.client_id).where(
            comments.c.session_id == sid).order_by(comments.c.seq)).all()


def _once_in_sequence(show: Show, sid: str, expected: int) -> None:
    rows = _stored(show, sid)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1)), "a gap in the sequence"
    assert len(rows) == expected and len({r.client_id for r in rows}) == expected


def _same_everywhere(show: Show, path: str) -> Any:
    # each read on a new connection: on a server with two workers, either may answer
    answers = [httpx.get(f"{base}{path}", headers=show.admin, timeout=30).json()
               for base in show.bases for _ in range(3)]
    assert all(a == answers[0] for a in answers), f"{path} differs between processes"
    return answers[0]


def test_three_processes_and_two_workers_serve_one_show_as_one(show_and_workers: Show
                                                               ) -> None:
    show = show_and_workers
    base = httpx.Client(base_url=show.bases[0], timeout=30)
    tokens = {role: show.admin for role in ("ops", "console", "host", "connector")}
    sid, sku = live_session_with(base, tokens)  # type: ignore[arg-type]
    r = httpx.post(f"{show.bases[1]}/api/v1/sessions/{sid}/lotteries", headers=show.admin,
                   json={"keyword": "抽奖", "winners": 2, "duration_seconds": 600}, timeout=30)
    assert r.status_code == 201, r.text
    lottery = r.json()["id"]
    # when six threads send 20 batches of 10 comments each, round-robin over the 4 servers
    burst = Burst(show, sid, threads=6, batches=20, size=10, tag="a")
    for thread in burst.run():
        thread.join(300)
    # then no 503, every comment stored once, no gaps
    assert set(burst.statuses) == {202}, burst.errors[:5]
    _once_in_sequence(show, sid, 1200)
    # and every process answers the same
    queue = _same_everywhere(show, f"/api/v1/sessions/{sid}/questions?limit=200")
    alerts = _same_everywhere(show, f"/api/v1/sessions/{sid}/comment-alerts")
    game = _same_everywhere(show, f"/api/v1/lotteries/{lottery}")
    assert queue["items"] and alerts["items"] and game["entrants"] > 0
    # when a mute is made on one process, an FAQ on another, a card answered on the third
    card = queue["items"][0]
    assert httpx.post(f"{show.bases[0]}/api/v1/sessions/{sid}/moderation/mute",
                      headers=show.admin, json={"buyer_id": "troll"}).status_code == 200
    assert httpx.put(f"{show.bases[1]}/api/v1/sessions/{sid}/faq", headers=show.admin,
                     json={"entries": [{"id": "price", "question": "这个多少钱",
                                        "answer": "直播间价 199"}]}).status_code == 200
    assert httpx.post(f"{show.bases[2]}/api/v1/questions/{card['id']}/answer",
                      headers=show.admin, json={"text": "看详情"}).status_code == 200
    now = datetime.now(UTC).isoformat()
    r = httpx.post(f"{show.bases[2]}/api/v1/sessions/{sid}/comments", headers=show.admin,
                   json={"comments": [{"id": "m1", "buyer_id": "troll", "text": "垃圾", "ts": now},
                                      {"id": "m2", "buyer_id": "q", "text": "多少钱", "ts": now}]})
    assert r.status_code == 202, r.text
    # then they hold on every process
    with show.engine.connect() as conn:
        got = {row.client_id: row for row in conn.execute(
            select(comments.c.client_id, comments.c.flagged, comments.c.faq_id)
            .where(comments.c.client_id.in_(["m1", "m2"])))}
    assert got["m1"].flagged == "mute" and got["m2"].faq_id == "price"
    queue = _same_everywhere(show, f"/api/v1/sessions/{sid}/questions?limit=200")
    assert card["id"] not in [c["id"] for c in queue["items"]]
    # and a second server on the port of the one with two workers is refused, not let in
    _second_server_refused(show, show.bases[3])
    # and unpaid orders taken on every process are reminded once, whichever sweep runs
    _reminded_once(show, sid, sku)
    # and the session's end on one process closes comments on all
    assert httpx.post(f"{show.bases[0]}/api/v1/sessions/{sid}/end",
                      headers=show.admin).status_code == 200
    for b in show.bases:
        late = httpx.post(f"{b}/api/v1/sessions/{sid}/comments", headers=show.admin,
                          json={"comments": [{"buyer_id": "z", "text": "还在吗"}]})
        assert late.json()["code"] == "session_not_accepting_comments", late.text


def _second_server_refused(show: Show, base: str) -> None:
    """granian binds with SO_REUSEPORT: without the preflight a second server would share
    the port silently and take some of its requests."""
    port = base.rsplit(":", 1)[1]
    refused = subprocess.run([LIVEROOM, "serve", "--port", port, "--workers", "2"],
                             env=show.env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "port_in_use" in refused.stderr, refused.stderr[-2000:]
    assert httpx.get(f"{base}/api/v1/health", timeout=10).status_code == 200


def _reminded_once(show: Show, sid: str, sku: str) -> None:
    assert httpx.post(f"{show.bases[0]}/api/v1/sessions/{sid}/skus/{sku}/list",
                      headers=show.admin).status_code == 200
    now = datetime.now(UTC)
    orders = []
    for i in range(6):
        buyer = {"Authorization": "Bearer " + issue_buyer_jwt(f"rb{i}", SECRET, now,
                                                                timedelta(hours=1))}
        r = httpx.post(f"{show.bases[i % len(show.bases)]}/api/v1/sessions/{sid}/orders",
                       headers={**buyer, "Idempotency-Key": f"rem-{i}"},
                       json={"items": [{"sku_id": sku, "quantity": 1}]})
        assert r.status_code == 201, r.text
        orders.append(r.json()["order_id"])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with show.engine.connect() as conn:
            counts = dict(conn.execute(
                select(order_notifications.c.order_id, func.count())
                .where(order_notifications.c.kind == "unpaid_reminder",
                       order_notifications.c.order_id.in_(orders))
                .group_by(order_notifications.c.order_id)).all())
        if len(counts) == len(orders):
            break
        time.sleep(0.5)
    time.sleep(3)  # three sweeps more on every process: still once each
    with show.engine.connect() as conn:
        counts = dict(conn.execute(
            select(order_notifications.c.order_id, func.count())
            .where(order_notifications.c.kind == "unpaid_reminder",
                   order_notifications.c.order_id.in_(orders))
            .group_by(order_notifications.c.order_id)).all())
    assert counts == {oid: 1 for oid in orders}


def test_kill_9_of_the_owner_mid_burst_loses_and_duplicates_nothing(show: Show) -> None:
    base = httpx.Client(base_url=show.bases[0], timeout=30)
    tokens = {role: show.admin for role in ("ops", "console", "host", "connector")}
    sid, _ = live_session_with(base, tokens)  # type: ignore[arg-type]
    r = httpx.post(f"{show.bases[1]}/api/v1/sessions/{sid}/comments", headers=show.admin,
                   json={"comments": [{"id": "first", "buyer_id": "a", "text": "开始了"}]})
    assert r.status_code == 202, r.text
    owner = show.owner(sid)
    # when the owner is killed with SIGKILL in the middle of a burst
    burst = Burst(show, sid, threads=6, batches=25, size=8, tag="k")
    threads = burst.run()
    while len(burst.done_at) < 40:
        time.sleep(0.01)
    killed_at = time.monotonic()
    os.killpg(show.procs[owner].pid, signal.SIGKILL)
    burst.skip.add(owner)
    for thread in threads:
        thread.join(300)
    # then another process owns the room within the lease (and a rebuild), and every
    # comment is stored once, with no gap
    after = sorted(t for t in burst.done_at if t > killed_at)
    assert after, "nothing was accepted after the kill"
    assert show.owner(sid) != owner
    took = after[0] - killed_at
    assert took < LEASE_MS / 1000 + 5, f"takeover took {took:.1f} s"
    assert 503 not in burst.statuses, burst.errors[:5]
    _once_in_sequence(show, sid, 1 + 6 * 25 * 8)


def test_a_paused_owner_is_fenced_off_when_it_wakes(show: Show) -> None:
    base = httpx.Client(base_url=show.bases[0], timeout=30)
    tokens = {role: show.admin for role in ("ops", "console", "host", "connector")}
    sid, _ = live_session_with(base, tokens)  # type: ignore[arg-type]
    r = httpx.post(f"{show.bases[2]}/api/v1/sessions/{sid}/comments", headers=show.admin,
                   json={"comments": [{"id": "first", "buyer_id": "a", "text": "开始了"}]})
    assert r.status_code == 202, r.text
    owner = show.owner(sid)
    # when the owner is paused (SIGSTOP) in a burst for twice its lease, then resumed
    burst = Burst(show, sid, threads=4, batches=20, size=8, tag="p")
    burst.skip.add(owner)  # its own requests would wait with it
    threads = burst.run()
    while len(burst.done_at) < 10:
        time.sleep(0.01)
    os.killpg(show.procs[owner].pid, signal.SIGSTOP)
    time.sleep(2 * LEASE_MS / 1000)
    new_owner = show.owner(sid)
    os.killpg(show.procs[owner].pid, signal.SIGCONT)
    for thread in threads:
        thread.join(300)
    # then another process took over, the woken owner stepped down, nothing is doubled
    assert new_owner != owner
    _once_in_sequence(show, sid, 1 + 4 * 20 * 8)
    time.sleep(LEASE_MS / 1000)
    log = show.logs[owner].read_text()
    assert re.search(rf"comment room {sid}: (fenced off|lease lost|owner stops)", log), log[-3000:]
