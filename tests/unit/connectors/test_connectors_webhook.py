"""Signed webhook verification: good, bad signature, stale timestamp, replay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

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


def stamp(at: datetime = NOW) -> str:
    return str(int(at.timestamp()))


def test_a_correctly_signed_fresh_request_passes() -> None:
    verify(SECRET, BODY, stamp(), sign(SECRET, stamp(), BODY), NOW, ReplayGuard())


def test_a_bad_signature_or_a_changed_body_is_refused() -> None:
    guard = ReplayGuard()
    with pytest.raises(SignatureInvalid):
        verify(SECRET, BODY, stamp(), sign("other", stamp(), BODY), NOW, guard)
    with pytest.raises(SignatureInvalid):
        verify(SECRET, BODY + b" ", stamp(), sign(SECRET, stamp(), BODY), NOW, guard)
    with pytest.raises(SignatureInvalid):
        verify(SECRET, BODY, None, None, NOW, guard)


def test_a_stale_timestamp_is_refused_even_when_signed() -> None:
    old = stamp(NOW - timedelta(minutes=6))
    with pytest.raises(TimestampStale):
        verify(SECRET, BODY, old, sign(SECRET, old, BODY), NOW, ReplayGuard())


def test_the_same_request_twice_is_a_replay() -> None:
    guard = ReplayGuard()
    signature = sign(SECRET, stamp(), BODY)
    verify(SECRET, BODY, stamp(), signature, NOW, guard)
    with pytest.raises(Replayed) as caught:
        verify(SECRET, BODY, stamp(), signature, NOW + timedelta(seconds=1), guard)
    assert caught.value.code == "webhook_replayed" and caught.value.status == 401
