"""Events leave through the outbox after commit: in-process by default, Redis Streams when set."""

from __future__ import annotations

import uuid

import pytest
import redis

from liveroom.bootstrap import bootstrap
from liveroom.config import Settings
from liveroom.core.errors import Invalid
from liveroom.identity.model import SYSTEM
from liveroom.planning.commands import CreateSession
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
