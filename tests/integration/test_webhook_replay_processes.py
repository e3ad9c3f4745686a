"""The webhook replay guard holds across server processes: the same signed request sent to
two app instances on one database (and one Redis, when configured) is stored once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from liveroom.adapters.replay_guard import RedisReplayGuard
from liveroom.adapters.sql.schema_comments import comments, webhook_signatures
from liveroom.bootstrap import Container, bootstrap
from liveroom.config import Settings
from liveroom.core.clock import FixedClock
from liveroom.entrypoints.api.app import create_app
from tests.conftest import REDIS_URL, redis_or_skip
from tests.factories import live_session_with, signed_webhook_headers


@pytest.fixture(autouse=True)
def _fast_analyzer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVEROOM_COMMENTS_USE_ENCODER", "0")


@pytest.fixture(params=["database", pytest.param("redis", marks=pytest.mark.redis)])
def second(request: pytest.FixtureRequest, settings: Settings, clock: FixedClock,
           container: Container) -> Iterator[tuple[TestClient, TestClient]]:
    """Two server processes on the same database (stock in the database or Redis, as
    several servers must run: the in-process ledger refuses a second server)."""
    if request.param == "redis":
        redis_or_skip()
        settings = settings.model_copy(update={"redis_url": REDIS_URL})
    else:
        settings = settings.model_copy(update={"stock_backend": "sql"})
    first = bootstrap(settings, clock=clock)
    other = bootstrap(settings, clock=clock)
    with TestClient(create_app(first)) as a, TestClient(create_app(other)) as b:
        yield a, b
    other.close()
    first.close()


def test_the_same_signed_request_to_two_processes_is_stored_once(
        second: tuple[TestClient, TestClient], tokens: Any, clock: FixedClock,
        container: Container) -> None:
    a, b = second
    sid, _ = live_session_with(a, tokens)
    hook = a.post(f"/api/v1/sessions/{sid}/connectors", headers=tokens["console"]).json()
    body = json.dumps({"comments": [{"buyer_id": "w1", "nickname": "w1", "text": "几号链接",
                                     "ts": clock.now().isoformat()}]}).encode()
    headers = signed_webhook_headers(hook["secret"], body, clock.now())
    taken = a.post(hook["url"], content=body, headers=headers)
    assert taken.status_code == 202 and taken.json()["accepted"] == 1, taken.text
    replay = b.post(hook["url"], content=body, headers=headers)
    assert replay.status_code == 401 and replay.json()["code"] == "webhook_replayed"
    with container.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(comments)
                              .where(comments.c.session_id == sid)).scalar_one()
        remembered = conn.execute(select(func.count()).select_from(webhook_signatures)
                                  ).scalar_one()
    assert stored == 1
    # each process has its own guard: what they share is the database or Redis
    guards = [tc.app.state.container.webhook_replays for tc in (a, b)]
    assert guards[0] is not guards[1]
    if isinstance(guards[0], RedisReplayGuard):
        assert redis_or_skip().exists("lr:webhook:" + headers["X-Liveroom-Signature"]) == 1
    else:
        assert remembered == 1
