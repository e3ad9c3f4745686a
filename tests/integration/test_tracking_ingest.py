"""Tracking ingest through the API: validation with reasons, dedup by event_id, atomic
batches, tracked links with UTM, and the Redis Stream carried to a consumer group."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import redis
from fastapi.testclient import TestClient

from liveroom.adapters.redis.tracking_stream import TrackingConsumer, TrackingStream
from liveroom.bootstrap import bootstrap
from liveroom.config import Settings
from liveroom.core.clock import FixedClock
from liveroom.entrypoints.api.app import create_app
from liveroom.identity.handlers import AddUser
from liveroom.identity.model import SYSTEM
from liveroom.tracking.model import EventType, TrackingEvent
from tests import factories
from tests.conftest import REDIS_URL


def ev(clock, n, type_="enter", buyer="b1", **extra):
    return {"event_id": f"evt-{n:08d}", "type": type_, "buyer_id": buyer,
            "ts": clock.now().isoformat(), **extra}


def test_a_batch_stores_valid_events_and_lists_bad_ones_with_reasons(client, tokens, clock):
    sid, sku = factories.live_session_with(client, tokens)
    batch = [ev(clock, 1), ev(clock, 2, "product_click", sku_id=sku),
             ev(clock, 3, "product_click"),  # no sku
             ev(clock, 4, "teleport"), {"event_id": "short"}]
    r = client.post(f"/api/v1/sessions/{sid}/events", json={"events": batch},
                    headers=tokens["connector"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["accepted"] == 2
    reasons = {x["index"]: " ".join(x["reasons"]) for x in body["rejected"]}
    assert set(reasons) == {2, 3, 4}
    assert "missing_sku_id" in reasons[2] and "unknown_type" in reasons[3]
    assert "invalid_event_id" in reasons[4] and "invalid_ts" in reasons[4]


def test_a_resent_batch_is_deduplicated_by_event_id(client, tokens, clock):
    sid, _ = factories.live_session_with(client, tokens)
    batch = [ev(clock, i) for i in range(1, 4)]
    first = client.post(f"/api/v1/sessions/{sid}/events", json={"events": batch},
                        headers=tokens["connector"]).json()
    again = client.post(f"/api/v1/sessions/{sid}/events",
                        json={"events": [*batch, ev(clock, 9)]},
                        headers=tokens["connector"]).json()
    assert (first["accepted"], first["duplicates"]) == (3, 0)
    assert (again["accepted"], again["duplicates"]) == (1, 3)
    live = client.get(f"/api/v1/sessions/{sid}/metrics/live", headers=tokens["ops"]).json()
    assert live["events"] == 4 and live["unique_viewers"] == 1


def test_an_atomic_batch_with_one_bad_event_stores_nothing(client, tokens, clock):
    sid, _ = factories.live_session_with(client, tokens)
    batch = [ev(clock, 1), ev(clock, 2, buyer="")]
    r = client.post(f"/api/v1/sessions/{sid}/events?atomic=true", json={"events": batch},
                    headers=tokens["connector"])
    assert r.status_code == 422 and r.json()["code"] == "batch_rejected"
    live = client.get(f"/api/v1/sessions/{sid}/metrics/live", headers=tokens["ops"]).json()
    assert live["events"] == 0


def test_only_roles_with_events_ingest_may_send(client, tokens, clock):
    sid, _ = factories.live_session_with(client, tokens)
    r = client.post(f"/api/v1/sessions/{sid}/events", json={"events": [ev(clock, 1)]},
                    headers=tokens["host"])
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_a_tracked_link_carries_utm_and_attributes_viewers_and_paths(client, tokens, clock):
    sid, _ = factories.live_session_with(client, tokens)
    r = client.post(f"/api/v1/sessions/{sid}/links", headers=tokens["ops"],
                    json={"channel": "community", "koc": "koc_amei", "spend_fen": 0})
    assert r.status_code == 201, r.text
    link = r.json()
    assert "utm_source=community" in link["url"] and "utm_content=koc_amei" in link["url"]
    resolved = client.get(f"/api/v1/links/{link['code']}").json()
    assert resolved["channel"] == "community"
    qr = client.get(f"/api/v1/links/{link['code']}/qr.svg")
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/svg+xml"
    assert qr.text.startswith("<?xml") and "<svg" in qr.text
    assert client.get("/api/v1/links/nope/qr.svg").status_code == 404
    events = [ev(clock, 1, "room_impression", buyer="v1", channel="community",
                 props={"lc": link["code"]}, **resolved["utm"]),
              ev(clock, 2, "enter", buyer="v1", channel="community", **resolved["utm"]),
              ev(clock, 3, "enter", buyer="v2", channel="recommendation")]
    client.post(f"/api/v1/sessions/{sid}/events", json={"events": events},
                headers=tokens["connector"])
    table = client.get(f"/api/v1/sessions/{sid}/channels", headers=tokens["ops"]).json()
    viewers = {row["channel"]: row["viewers"] for row in table["channels"]}
    assert viewers == {"community": 1, "recommendation": 1}
    path = client.get(f"/api/v1/sessions/{sid}/viewers/v1/path", headers=tokens["ops"]).json()
    assert path["links"][0]["koc"] == "koc_amei"
    assert [s["type"] for s in path["events"]] == ["room_impression", "enter"]


def test_a_viewer_path_skips_link_codes_nobody_issued(client, tokens, clock):
    # given a viewer whose client stamped a stale link code and a garbled one
    sid, _ = factories.live_session_with(client, tokens)
    events = [ev(clock, 1, "room_impression", buyer="v1", props={"lc": "gone0000"}),
              ev(clock, 2, "enter", buyer="v1", props={"lc": ["not", "a", "code"]})]
    client.post(f"/api/v1/sessions/{sid}/events", json={"events": events},
                headers=tokens["connector"])
    # when the operator opens the viewer's path
    r = client.get(f"/api/v1/sessions/{sid}/viewers/v1/path", headers=tokens["ops"])
    # then the path is there, without links
    assert r.status_code == 200, r.text
    assert r.json()["links"] == [] and len(r.json()["events"]) == 2


@pytest.mark.redis
def test_ingested_events_reach_a_consumer_group_on_redis(tmp_path, clock):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("Redis not reachable")
    stream = f"test:tracking:{uuid.uuid4().hex[:8]}"
    try:
        publisher = TrackingStream(client, stream)
        events = [TrackingEvent(f"evt-{i:08d}", EventType.ENTER, "s1", f"b{i}",
                                clock.now() + timedelta(seconds=i)) for i in range(10)]
        a = TrackingConsumer(client, stream, "metrics", "worker-a")
        b = TrackingConsumer(client, stream, "metrics", "worker-b")
        a.ensure_group()
        b.ensure_group()  # a second worker finds the group already there
        publisher.publish(events)
        got_a, got_b = [], []
        a.poll(got_a.extend, count=5, block_ms=100)
        b.poll(got_b.extend, count=100, block_ms=100)
        assert len(got_a) == 5 and len(got_b) == 5
        assert {e.buyer_id for e in got_a + got_b} == {f"b{i}" for i in range(10)}
        assert client.xpending(stream, "metrics")["pending"] == 0
    finally:
        client.delete(stream)
        client.close()


@pytest.mark.redis
def test_with_redis_configured_the_ingest_route_streams_events(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'r.db'}", redis_url=REDIS_URL,
                        event_stream=f"test:{uuid.uuid4().hex[:8]}")
    clock = FixedClock(datetime(2026, 11, 27, 11, 0, tzinfo=UTC))
    try:
        c = bootstrap(settings, clock=clock)
    except redis.ConnectionError:
        pytest.skip("Redis not reachable")
    try:
        headers = {r: {"Authorization": "Bearer " + c.bus.handle(AddUser(f"{r}-u", r),
                                                                  SYSTEM)["token"]}
                   for r in ("ops", "console", "connector")}
        with TestClient(create_app(c)) as tc:
            sid, _ = factories.live_session_with(tc, headers)
            out = tc.post(f"/api/v1/sessions/{sid}/events", headers=headers["connector"],
                          json={"events": [ev(clock, 1), ev(clock, 2)]}).json()
        assert out["streamed"] == 2
        consumer = TrackingConsumer(c.redis, f"{settings.event_stream}:tracking",
                                    "g", "w")
        consumer.client.xgroup_create(consumer.stream, "g", id="0")
        assert len(consumer.read(block_ms=100)) == 2
    finally:
        c.redis.delete(f"{settings.event_stream}:tracking")
        c.close()
