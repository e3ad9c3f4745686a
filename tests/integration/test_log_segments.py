"""Compacted Parquet segments of the tracking log read back exactly what the database
holds, and a fresh reader (a restarted server) gets the same metrics from them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import inspect

from liveroom.adapters.sql.log_segments import LogSegments
from liveroom.adapters.sql.tracking_log import read_log
from liveroom.metrics.buyers import coded_log
from liveroom.metrics.counts import counts_frame
from liveroom.metrics.views import MetricsCache, live_metrics, viewer_path
from tests import factories as f


def post(client, tokens, sid, clock, first, n, buyer="b"):
    events = [{"event_id": f"evt-{first + i:08d}", "type": ["enter", "like", "leave"][i % 3],
               "buyer_id": f"{buyer}{i % 11}", "ts": clock.now().isoformat(),
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


def compacted_show(client, tokens, clock, container, tmp_path):
    """A live show whose first 120 events (buyers b0…b10) are one compacted segment."""
    sid, _ = f.live_session_with(client, tokens)
    segments = LogSegments(tmp_path / "s", segment_rows=100)
    post(client, tokens, sid, clock, 0, 120)
    with container.engine.connect() as conn:
        segments.read(conn, sid, None)
    return sid, segments


def test_the_review_reads_coded_segments_and_the_tail_as_the_database(client, tokens, clock,
                                                                      container, tmp_path):
    # given 120 events compacted into a segment, then 130 in the database, some of them
    # from buyers the segment has not seen
    sid, segments = compacted_show(client, tokens, clock, container, tmp_path)
    post(client, tokens, sid, clock, 1000, 130, buyer="n")
    clock.advance(minutes=3)
    with container.engine.connect() as conn:
        coded, plain = segments.scan(conn, sid), read_log(conn, sid)
    # then the buyers are coded as if the whole log had been, and the figures agree
    assert coded.buyers.equals(coded_log(plain).buyers)
    keep, now = {"b3", "n5", "absent"}, clock.now()
    assert (counts_frame(coded, keep).snapshot([], now)
            == counts_frame(plain, keep).snapshot([], now))
    assert counts_frame(coded, keep).snapshot([], now)["events"] == 250


def test_a_damaged_segment_is_read_from_the_database_and_written_again(client, tokens, clock,
                                                                       container, tmp_path):
    sid, segments = compacted_show(client, tokens, clock, container, tmp_path)
    [written] = (tmp_path / "s").rglob("*.coded.parquet")
    (written.parent / "000000000000-000000000999.parquet").write_bytes(b"earlier format")
    written.write_bytes(b"not parquet")
    with container.engine.connect() as conn:
        assert segments.scan(conn, sid).events.collect().height == 120
        assert not written.exists()
        segments.compact(conn, sid, 10**9)
        assert written.exists()
        assert segments.read(conn, sid, None).equals(read_log(conn, sid, 0, None))


def test_a_viewers_path_is_found_through_the_segments_and_the_tail(client, tokens, clock,
                                                                  container, tmp_path):
    # given a buyer's events in a compacted segment and after it, and no index by buyer
    sid, segments = compacted_show(client, tokens, clock, container, tmp_path)
    post(client, tokens, sid, clock, 1000, 30)
    with container.engine.connect() as conn:
        indexes = {ix["name"] for ix in inspect(conn).get_indexes("tracking_events")}
        # when the path is read with the segments, and from the database alone
        through_segments = viewer_path(conn, sid, "b3", segments)
        scanned = viewer_path(conn, sid, "b3")
        unknown = viewer_path(conn, sid, "nobody", segments)
    # then both are the buyer's 11 + 3 events
    assert "ix_tracking_session_buyer" not in indexes
    assert through_segments == scanned and len(scanned["events"]) == 14
    assert unknown["events"] == []
