"""Events leave through the outbox after commit: in-process by default, Redis Streams when set."""

from __future__ import annotations

import uuid

import pytest
import redis
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from liveroom.bootstrap import bootstrap
from liveroom.config import Settings
from liveroom.core.errors import Invalid
from liveroom.identity.model import SYSTEM
from liveroom.planning.commands import CreateSession
from tests import factories as f
from tests.conftest import REDIS_URL


def new_session(c, title="直播", duration=120):
    return c.bus.handle(CreateSession(title, c.clock.now(), duration), SYSTEM)


def test_events_are_published_after_commit_and_marked(container):
    new_session(container)
    assert [e.name for e in container.events.recent] == ["SessionCreated"]
    assert container.relay.drain() == 0  # nothing left behind


def test_a_failed_command_publishes_nothing(container):
    with pytest.raises(Invalid):
        new_session(container, duration=5)
    assert list(container.events.recent) == []


@pytest.mark.redis
def test_redis_streams_carry_the_events(db_url, tmp_path, clock):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    prefix = f"test:{uuid.uuid4().hex[:8]}"
    settings = Settings(database_url=db_url, redis_url=REDIS_URL, event_stream=prefix,
                        var_dir=tmp_path)
    c = bootstrap(settings, clock=clock)
    try:
        sid = new_session(c)["id"]
        entries = client.xrange(f"{prefix}:control")
        assert len(entries) == 1
        fields = entries[0][1]
        assert fields[b"name"] == b"SessionCreated" and sid.encode() in fields[b"payload"]
    finally:
        client.delete(f"{prefix}:control")
        client.close()
        c.close()


def test_the_audit_trail_refuses_changes(container):
    new_session(container)
    with container.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == 1
        conn.rollback()
        for statement in ("UPDATE audit_log SET actor_name = 'someone else'",
                          "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError, match="append-only"), conn.begin():
                conn.execute(text(statement))


def test_comments_are_hidden_never_deleted(client, tokens, container):
    sid, _ = f.live_session_with(client, tokens)
    r = client.post(f"/api/v1/sessions/{sid}/comments", headers=tokens["connector"], json={
        "comments": [{"buyer_id": "b1", "nickname": "小王", "text": "假货吧",
                      "ts": "2026-11-27T17:59:00+08:00"}]})
    assert r.status_code == 202 and r.json()["accepted"] == 1, r.text
    with container.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM comments")).scalar_one() == 1
        conn.rollback()
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text("DELETE FROM comments"))
