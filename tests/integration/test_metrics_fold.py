"""The live-metrics fold never skips an event that commits out of seq order (PostgreSQL)
and never counts one twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert

from liveroom.adapters.sql.schema_tracking import tracking_events
from liveroom.metrics.views import MetricsCache
from tests import factories as f


def add_event(container, sid: str, seq: int, at) -> None:
    with container.engine.begin() as conn:
        conn.execute(insert(tracking_events).values(
            seq=seq, event_id=f"e{seq}", session_id=sid, type="enter", version=1,
            buyer_id=f"b{seq}", ts=at, channel="recommendation", props={}, received_at=at))


def folded(cache, container, sid, now) -> int:
    with container.engine.connect() as conn, cache.aggregator(conn, sid, now) as agg:
        return agg.enters


def test_a_late_commit_with_a_lower_seq_is_still_counted_once(client, tokens, container, clock):
    sid = f.session(client, tokens["ops"])
    cache = MetricsCache(grace=timedelta(seconds=5))
    now = clock.now()
    add_event(container, sid, 10, now)
    assert folded(cache, container, sid, now) == 1
    add_event(container, sid, 5, now)  # a transaction that took its seq earlier commits now
    expected = 2 if container.engine.dialect.name == "postgresql" else 1
    assert folded(cache, container, sid, now + timedelta(seconds=1)) == expected
    assert folded(cache, container, sid, now + timedelta(minutes=1)) == expected
    add_event(container, sid, 11, now + timedelta(minutes=1))
    assert folded(cache, container, sid, now + timedelta(minutes=1)) == expected + 1
