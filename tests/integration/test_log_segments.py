"""Compacted Parquet segments of the tracking log read back exactly what the database
holds, and a fresh reader (a restarted server) gets the same metrics from them."""

from __future__ import annotations

from datetime import timedelta

from liveroom.adapters.sql.log_segments import LogSegments
from liveroom.adapters.sql.tracking_log import read_log
from liveroom.metrics.views import MetricsCache, live_metrics
from tests import factories as f


def post(client, tokens, sid, clock, first, n):
    events = [{"event_id": f"evt-{first + i:08d}", "type": ["enter", "like", "leave"][i % 3],
               "buyer_id": f"b{i % 11}", "ts": clock.now().isoformat(),
               "channel": "followers"} for i in range(n)]
    r = client.post(f"/api/v1/sessions/{sid}/events", json={"events": events},
                    headers=tokens["connector"])
    assert r.json()["accepted"] == n


def test_segments_hold_the_settled_log_and_give_the_same_metrics(client, tokens, clock,
                                                                 container, tmp_path):
    # given a live show with 250 events and segments of at least 100 rows
    sid, _ = f.live_session_with(client, tokens)
    segments = LogSegments(tmp_path / "segments", segment_rows=100)
    post(client, tokens, sid, clock, 0, 120)
    with container.engine.connect() as conn:
        first = segments.read(conn, sid, None)  # compacts the 120 rows
    post(client, tokens, sid, clock, 1000, 130)
    clock.advance(minutes=5)
    with container.engine.connect() as conn:
        again = segments.read(conn, sid, None)  # one segment + 130 new rows, compacted
        assert again.equals(read_log(conn, sid, 0, None))
        # when a restarted reader builds its metrics from the segments
        restarted = live_metrics(conn, MetricsCache(segments=LogSegments(
            tmp_path / "segments", segment_rows=100)), sid, clock.now())
        from_db = live_metrics(conn, MetricsCache(grace=timedelta(0)), sid, clock.now())
    # then they are the database's, and every row was read once
    assert first.height == 120 and again.height == 250
    assert len(list((tmp_path / "segments").rglob("*.parquet"))) == 2
    assert restarted == from_db and restarted["events"] == 250


def test_the_live_reader_compacts_the_log_as_the_show_goes(client, tokens, clock, container,
                                                           tmp_path):
    sid, _ = f.live_session_with(client, tokens)
    cache = MetricsCache(grace=timedelta(0), segments=LogSegments(tmp_path / "s",
                                                                  segment_rows=50))
    for k in range(3):
        post(client, tokens, sid, clock, k * 100, 40)
        with container.engine.connect() as conn:
            live_metrics(conn, cache, sid, clock.now())
    written = sorted(p.name for p in (tmp_path / "s").rglob("*.parquet"))
    assert len(written) == 1  # 80 settled rows after the second read; 40 since then
    with container.engine.connect() as conn:
        restarted = live_metrics(conn, MetricsCache(segments=LogSegments(tmp_path / "s")),
                                 sid, clock.now())
    assert restarted["events"] == 120
