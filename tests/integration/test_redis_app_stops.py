"""A Redis-backed app stops every time, promptly, and leaves nothing running.

A full test run once hung in the teardown of the flash-sale `shop` fixture (redis-sqlite):
the cause was a cancellation lost inside redis-py. Python 3.11's `asyncio.wait_for`, which
redis-py wraps every command's send in (its socket timeout), returns the inner result when
the outer task is cancelled just as the send completes; a `while True` task cancelled at
that moment (the comment-room scan, the live-notice sender, the reservation sweep) carried
on, its stop hook waited for it, and what outlived the hooks kept the loop from closing.
Here the app is started and stopped many times with its Redis loops kept busy (a short
lease: the room scan asks Redis every few milliseconds about many rooms), so a stop lands
mid-command in most rounds."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis

from liveroom.bootstrap import bootstrap
from liveroom.config import Settings
from liveroom.core.clock import FixedClock
from liveroom.core.tasks import stop_tasks
from liveroom.entrypoints.api.app import create_app
from tests.conftest import REDIS_URL, redis_or_skip

pytestmark = pytest.mark.redis
ROUNDS = 12
STOP_BUDGET_S = 5.0  # a stop takes ~0.1 s; the hooks' own bound is 15 s each


@pytest.fixture
def busy_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    redis_or_skip()
    prefix = f"stop{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("LIVEROOM_COMMENTS_LOG_PREFIX", prefix)
    monkeypatch.setenv("LIVEROOM_COMMENTS_LEASE_MS", "40")  # the scan runs every 10 ms
    client = redis.Redis.from_url(REDIS_URL)
    client.sadd(f"{prefix}:rooms", *[f"ghost{i}" for i in range(60)])
    yield prefix
    client.delete(f"{prefix}:rooms")
    client.close()


async def _round(app: object, pause_s: float) -> tuple[float, list[str]]:
    """Start, run for a moment, stop: how long the stop took and what still runs after."""
    before = asyncio.all_tasks()
    lifespan = app.router.lifespan_context(app)  # type: ignore[attr-defined]
    await lifespan.__aenter__()
    await asyncio.sleep(pause_s)
    started = time.monotonic()
    stopping = asyncio.ensure_future(lifespan.__aexit__(None, None, None))
    done, _ = await asyncio.wait({stopping}, timeout=STOP_BUDGET_S)
    took = time.monotonic() - started
    if not done:  # clean up what hangs so that the test fails instead of hanging too
        await stop_tasks([t for t in asyncio.all_tasks() - before
                          if t is not asyncio.current_task()], give_up_s=30)
    await asyncio.sleep(0)
    left = [t.get_name() for t in asyncio.all_tasks() - before
            if t is not asyncio.current_task() and not t.done()]
    return took, left


def test_the_redis_backed_app_stops_promptly_every_time(tmp_path: Path, busy_log: str) -> None:
    # given the redis-sqlite app of the flash-sale fixture, its comment-room scan kept busy
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'shop.db'}",
                        var_dir=tmp_path / "var", stock_backend="redis", redis_url=REDIS_URL)
    slow: list[tuple[int, float, list[str]]] = []
    rng = random.Random(11)
    for i in range(ROUNDS):
        # when it is started and stopped, again and again, at a random moment
        c = bootstrap(settings, clock=FixedClock(datetime(2026, 11, 27, 10, tzinfo=UTC)))
        try:
            took, left = asyncio.run(_round(create_app(c), rng.uniform(0.05, 0.4)))
        finally:
            c.close()
        if took > STOP_BUDGET_S or left:
            slow.append((i, round(took, 1), left))
    # then every stop finished in time and left no task of the app running
    assert slow == [], f"stops that hung or left tasks behind (round, s, tasks): {slow}"
