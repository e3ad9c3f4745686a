"""Signed webhook verification: good, bad signature, stale timestamp, replay; the replay
guard in the database (embedded) and in Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.conftest import redis_or_skip

from liveroom.adapters.replay_guard import RedisReplayGuard, SqlReplayGuard
from liveroom.adapters.sql.db import make_engine
from liveroom.adapters.sql.schema_comments import webhook_signatures
from liveroom.connectors.webhook import (
    Replayed,
    ReplayGuard,
    SignatureInvalid,
    TimestampStale,
    sign,
    verify,
)

SECRET = "s3cret"
NOW = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)
BODY = '{"comments":[{"buyer_id":"u1","text":"多少钱"}]}'.encode()


@pytest.fixture(params=["sql", pytest.param("redis", marks=pytest.mark.redis)])
def guard(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ReplayGuard]:
    if request.param == "redis":
        client = redis_or_skip()
        yield RedisReplayGuard(client, prefix=f"test:webhook:{uuid.uuid4().hex[:8]}:")
        client.close()
        return
    engine = make_engine(f"sqlite:///{tmp_path / 'guard.db'}")
    webhook_signatures.create(engine)
    yield SqlReplayGuard(engine)
    engine.dispose()


def stamp(at: datetime = NOW) -> str:
    return str(int(at.timestamp()))


def test_a_correctly_signed_fresh_request_passes(guard: ReplayGuard) -> None:
    verify(SECRET, BODY, stamp(), sign(SECRET, stamp(), BODY), NOW, guard)


def test_a_bad_signature_or_a_changed_body_is_refused(guard: ReplayGuard) -> None:
    with pytest.raises(SignatureInvalid):
        verify(SECRET, BODY, stamp(), sign("other", stamp(), BODY), NOW, guard)
    with pytest.raises(SignatureInvalid):
        verify(SECRET, BODY + b" ", stamp(), sign(SECRET, stamp(), BODY), NOW, guard)
    with pytest.raises(SignatureInvalid):
        verify(SECRET, BODY, None, None, NOW, guard)


def test_a_stale_timestamp_is_refused_even_when_signed(guard: ReplayGuard) -> None:
    old = stamp(NOW - timedelta(minutes=6))
    with pytest.raises(TimestampStale):
        verify(SECRET, BODY, old, sign(SECRET, old, BODY), NOW, guard)


def test_the_same_request_twice_is_a_replay(guard: ReplayGuard) -> None:
    signature = sign(SECRET, stamp(), BODY)
    verify(SECRET, BODY, stamp(), signature, NOW, guard)
    with pytest.raises(Replayed) as caught:
        verify(SECRET, BODY, stamp(), signature, NOW + timedelta(seconds=1), guard)
    assert caught.value.code == "webhook_replayed" and caught.value.status == 401


def test_a_forgotten_signature_may_come_again_and_an_old_one_is_pruned(
        guard: ReplayGuard) -> None:
    signature = sign(SECRET, stamp(), BODY)
    assert guard.first_time(signature, NOW.timestamp(), 300)
    guard.forget(signature)
    assert guard.first_time(signature, NOW.timestamp(), 300)
    assert not guard.first_time(signature, NOW.timestamp() + 599, 300)
    if isinstance(guard, SqlReplayGuard):  # Redis expires the key on its own clock
        assert guard.first_time(signature, NOW.timestamp() + 601, 300)
