"""Done means (issue 11): the owner of a show's comment room is cut off from Redis and
PostgreSQL by the network (its own network namespace, whose veth link is taken down mid
burst). Another process takes the room over within the lease (plus at most two leases, after
which PostgreSQL ends a transaction the silent owner left open on the fence's row), the
cut-off owner's epoch is fenced off, and when the link comes back it steps down instead of
writing: every comment is stored once, with no gap.

Runs as root on a machine with network namespaces (CI and the development VMs); skipped
elsewhere. The database and Redis are the test's own, listening on loopback and on this
side of the veth pair."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from liveroom.adapters.sql.schema_comment_log import comment_room_owners
from tests.factories import live_session_with
from tests.integration.test_comments_scale_out import (
    LEASE_MS,
    Burst,
    Show,
    _once_in_sequence,
)
from tests.servers import NetworkCut, PrivatePostgres, PrivateRedis, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]
OWNER = 2  # the server in the namespace


@pytest.fixture
def cut_show(tmp_path: Path) -> Iterator[tuple[Show, NetworkCut]]:
    net = NetworkCut()
    pg: PrivatePostgres | None = None
    rds: PrivateRedis | None = None
    show: Show | None = None
    try:
        pg = PrivatePostgres()
        pg.trust(f"{net.host_ip}/30")
        pg.start(listen=f"127.0.0.1,{net.host_ip}")
        rds = PrivateRedis(tmp_path, "--protected-mode", "no", bind=("127.0.0.1", net.host_ip))
        rds.start()
        show = Show(tmp_path, db=pg.url, redis_url=rds.url)
        show.env["LIVEROOM_ALLOW_VOLATILE_REDIS"] = "1"  # a scratch Redis, no AOF
        show.start()
        show.start()
        # the third reaches the database and Redis only through the veth pair
        inside = {**show.env,
                  "LIVEROOM_DATABASE_URL": pg.url.replace("127.0.0.1", net.host_ip),
                  "LIVEROOM_REDIS_URL": rds.url.replace("127.0.0.1", net.host_ip)}
        show.start(env=inside, host=net.ns_ip, wrap=net.wrap)
        yield show, net
    finally:
        if show is not None:
            show.close()
        net.remove()
        if rds is not None:
            rds.kill()
        if pg is not None:
            pg.remove()


def _activity(show: Show) -> list[Any]:
    """What the database's sessions do (for a failure's message)."""
    with show.engine.connect() as conn:
        return conn.execute(text(
            "SELECT pid, client_addr, state, wait_event_type, wait_event, "
            "now() - xact_start AS xact_age, left(query, 90) AS query "
            "FROM pg_stat_activity WHERE datname = current_database()")).all()


def _room_row(show: Show, sid: str) -> tuple[int, str]:
    with show.engine.connect() as conn:
        row = conn.execute(select(comment_room_owners.c.epoch, comment_room_owners.c.owner)
                           .where(comment_room_owners.c.session_id == sid)).one()
    return int(row.epoch), str(row.owner)


def test_an_owner_cut_off_by_the_network_is_fenced_and_loses_nothing(
        cut_show: tuple[Show, NetworkCut]) -> None:
    show, net = cut_show
    tokens = {role: show.admin for role in ("ops", "console", "host", "connector")}
    with httpx.Client(base_url=show.bases[0], timeout=30) as base:
        sid, _ = live_session_with(base, tokens)  # type: ignore[arg-type]
    # given the room owned by the process in the namespace
    r = httpx.post(f"{show.bases[OWNER]}/api/v1/sessions/{sid}/comments", headers=show.admin,
                   json={"comments": [{"id": "first", "buyer_id": "a", "text": "开始了"}]},
                   timeout=30)
    assert r.status_code == 202, r.text
    assert show.owner(sid) == OWNER
    epoch, holder = _room_row(show, sid)
    assert os.getpgid(int(holder.split(":")[1])) == show.procs[OWNER].pid  # its worker
    # when its link goes down in the middle of a burst sent to the other two
    burst = Burst(show, sid, threads=4, batches=20, size=8, tag="n")
    burst.skip.add(OWNER)
    threads = burst.run()
    while len(burst.done_at) < 10:
        time.sleep(0.01)
    net.cut()
    cut_at = time.monotonic()
    # then another process takes the room over and fences the cut-off one's epoch: within
    # the lease, plus the time PostgreSQL gives a silent owner's open transaction (two
    # leases: it may hold the fence's row), plus a rebuild
    bound = 3 * LEASE_MS / 1000 + 5
    try:
        wait_until(lambda: _room_row(show, sid)[0] > epoch, bound, "the epoch bump")
    except RuntimeError:
        pytest.fail(f"no takeover in {bound} s; database sessions: {_activity(show)}")
    assert show.owner(sid) != OWNER and _room_row(show, sid)[1] != holder
    wait_until(lambda: any(t > cut_at for t in burst.done_at), bound, "a batch accepted")
    took = min(t for t in burst.done_at if t > cut_at) - cut_at
    assert took < bound, f"takeover took {took:.1f} s"
    # when the link comes back
    net.heal()
    for thread in threads:
        thread.join(300)
    # then the cut-off process stepped down, and nothing is lost or stored twice
    assert 503 not in burst.statuses, burst.errors[:5]
    _once_in_sequence(show, sid, 1 + 4 * 20 * 8)
    log = show.logs[OWNER]
    deadline = time.monotonic() + 30
    pattern = rf"comment room {sid}: (fenced off|lease lost|owner stops)"
    while not re.search(pattern, log.read_text()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert re.search(pattern, log.read_text()), log.read_text()[-3000:]
    assert show.owner(sid) != OWNER and _room_row(show, sid)[1] != holder
    assert show.procs[OWNER].poll() is None  # it stepped down; it did not crash
