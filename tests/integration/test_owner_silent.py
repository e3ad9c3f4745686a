"""A process that bumps a room's epoch and falls silent before its commit (cut off from the
network, paused) must not hold the room: PostgreSQL ends its transaction after two leases,
and the next owner's bump goes through. Without that bound the server keeps the fence's row
locked until TCP keepalive gives up on the client (two hours by default)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from liveroom.adapters.sql.comment_log_repo import RoomOwnerRepo
from liveroom.bootstrap import Container, bootstrap
from liveroom.comments.owner import RoomOwner
from liveroom.comments.rooms import CommentSettings
from liveroom.config import Settings
from liveroom.core.clock import FixedClock
from liveroom.entrypoints.api.app import create_app
from liveroom.identity.handlers import AddUser
from liveroom.identity.model import SYSTEM
from tests.factories import live_session_with

pytestmark = pytest.mark.postgres
LEASE_MS = 300
SILENCE_S = 6.0


@pytest.fixture
def pg_container(pg_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[Container]:
    c = bootstrap(Settings(database_url=pg_url, var_dir=tmp_path / "var"), clock=clock)
    yield c
    c.close()


def test_a_silent_epoch_bump_does_not_hold_the_room(
        pg_container: Container, monkeypatch: pytest.MonkeyPatch, clock: FixedClock) -> None:
    c = pg_container
    token = c.bus.handle(AddUser("silent-admin", "admin"), SYSTEM)["token"]
    tokens = {r: {"Authorization": f"Bearer {token}"} for r in ("ops", "console")}
    with TestClient(create_app(c)) as tc:
        sid, _ = live_session_with(tc, tokens)
    owner = RoomOwner(c, None, c.comment_pipeline, c.comment_rooms, {},  # type: ignore[arg-type]
                      c.comment_replies, CommentSettings(lease_ms=LEASE_MS))
    take = RoomOwnerRepo.take

    def falls_silent(self: RoomOwnerRepo, *args: Any) -> int:
        epoch = take(self, *args)
        time.sleep(SILENCE_S)  # cut off between the bump and the commit
        return epoch

    # given a process that bumped the epoch and went silent before committing
    monkeypatch.setattr(RoomOwnerRepo, "take", falls_silent)
    silent = threading.Thread(target=_quietly, args=(owner, sid), daemon=True)
    silent.start()
    time.sleep(0.3)  # its bump holds the fence's row now
    monkeypatch.setattr(RoomOwnerRepo, "take", take)
    # when the next owner bumps the epoch
    started = time.monotonic()
    with c.engine.begin() as conn:
        conn.execute(text("SET LOCAL lock_timeout = '20s'"))  # never hang the test itself
        epoch = RoomOwnerRepo(conn).take(sid, "next-owner", clock.now())
    waited = time.monotonic() - started
    silent.join(SILENCE_S + 5)
    # then it waited about two leases, not for the silent process
    assert waited < SILENCE_S / 2, f"the next owner waited {waited:.1f} s"
    with c.engine.connect() as conn:
        assert RoomOwnerRepo(conn).epoch(sid) == epoch == 1


def _quietly(owner: RoomOwner, sid: str) -> None:
    """The silent process's take; its commit fails once PostgreSQL has ended it."""
    try:
        owner._take(sid)
    except Exception:  # noqa: BLE001 — the expected end of a transaction the server closed
        return
