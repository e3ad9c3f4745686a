"""Live notices over Redis pub/sub: a change published in one server process reaches the
open pages of another, through one subscription per process."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid

import pytest

from liveroom.adapters.redis.broadcast_redis import RedisBroadcaster, decode, encode
from liveroom.console.ports import Change
from tests.conftest import REDIS_URL, redis_or_skip

pytestmark = pytest.mark.redis


async def first(sub, timeout: float) -> Change:
    async for change in sub.changes(timeout):
        return change
    raise AssertionError("the stream ended")


def test_a_notice_published_in_one_process_reaches_the_pages_of_another_within_a_second():
    redis_or_skip()
    prefix = f"test:live:{uuid.uuid4().hex[:8]}"

    async def scenario() -> tuple[list[Change], Change, float]:
        one, two = RedisBroadcaster(REDIS_URL, prefix), RedisBroadcaster(REDIS_URL, prefix)
        await one.start()
        await two.start()
        try:
            pages = [two.subscribe("s1"), two.subscribe("s1")]
            own = one.subscribe("s1")
            other_show = two.subscribe("s2")
            began = time.monotonic()
            t = threading.Thread(target=one.publish, args=("s1", Change(frozenset({"lineup"}))))
            t.start()
            t.join()
            got = [await first(p, 1.0) for p in pages]
            took = time.monotonic() - began
            assert (await first(other_show, 0.2)).parts == frozenset()  # only a tick
            return got, await first(own, 1.0), took
        finally:
            await one.close()
            await two.close()

    got, own, took = asyncio.run(scenario())
    assert [c.parts for c in got] == [frozenset({"lineup"})] * 2
    assert own.parts == frozenset({"lineup"})  # the publishing process's pages too
    assert took < 1.0


def test_one_pubsub_connection_per_process_however_many_pages():
    client = redis_or_skip()
    prefix = f"test:live:{uuid.uuid4().hex[:8]}"

    async def scenario() -> int:
        b = RedisBroadcaster(REDIS_URL, prefix)
        await b.start()
        try:
            for i in range(50):
                b.subscribe(f"s{i % 5}")
            return sum(1 for c in client.client_list(_type="pubsub") if c["name"] == prefix)
        finally:
            await b.close()

    assert asyncio.run(scenario()) == 1


def test_a_lost_subscription_comes_back_and_every_open_page_resyncs():
    client = redis_or_skip()
    prefix = f"test:live:{uuid.uuid4().hex[:8]}"

    async def scenario() -> tuple[Change, Change]:
        b = RedisBroadcaster(REDIS_URL, prefix)
        await b.start()
        try:
            page = b.subscribe("s1")
            for c in client.client_list(_type="pubsub"):
                if c["name"] == prefix:
                    client.client_kill_filter(_id=c["id"])
            back = await first(page, 5.0)
            b.publish("s1", Change(frozenset({"flash"})))
            return back, await first(page, 2.0)
        finally:
            await b.close()

    back, after = asyncio.run(scenario())
    assert back.resync
    assert after.parts == frozenset({"flash"})


def test_notices_published_before_the_server_starts_stay_in_the_process():
    async def scenario() -> Change:
        b = RedisBroadcaster("redis://127.0.0.1:1/0", "unused")  # never connects
        page = b.subscribe("s1")
        b.publish("s1", Change(frozenset({"metrics"})))
        return await first(page, 1.0)

    assert asyncio.run(scenario()).parts == frozenset({"metrics"})


def test_a_malformed_notice_becomes_a_resync_and_unknown_parts_are_dropped():
    assert decode("not json").resync
    assert decode('{"parts": ["lineup", "nope"], "resync": false}') == Change(frozenset({"lineup"}))
    both = Change(frozenset({"alerts"}), True)
    assert decode(encode(both)) == both
