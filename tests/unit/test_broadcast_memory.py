"""The in-process broadcaster: fan-out across threads, coalescing, slow pages, shutdown."""

from __future__ import annotations

import asyncio
import threading

from liveroom.adapters.memory.broadcast_memory import InProcessBroadcaster
from liveroom.console.ports import Change


async def first(sub, timeout: float = 2.0) -> Change:
    async for change in sub.changes(timeout):
        return change
    raise AssertionError("the stream ended")


def test_a_change_published_from_another_thread_reaches_every_page_of_that_show():
    async def scenario() -> list[Change]:
        b = InProcessBroadcaster()
        pages = [b.subscribe("s1"), b.subscribe("s1")]
        other = b.subscribe("s2")
        t = threading.Thread(target=b.publish, args=("s1", Change(frozenset({"lineup"}))))
        t.start()
        t.join()
        got = [await first(p) for p in pages]
        assert (await first(other, timeout=0.2)).parts == frozenset()  # a tick, not s1's change
        return got

    assert [c.parts for c in asyncio.run(scenario())] == [frozenset({"lineup"})] * 2


def test_changes_close_together_go_out_as_one_redraw():
    async def scenario() -> Change:
        b = InProcessBroadcaster()
        page = b.subscribe("s1")
        b.publish("s1", Change(frozenset({"lineup"})))
        b.publish("s1", Change(frozenset({"audit"})))
        await asyncio.sleep(0.01)
        return await first(page)

    assert asyncio.run(scenario()).parts == frozenset({"lineup", "audit"})


def test_a_slow_page_is_redrawn_whole_instead_of_queueing_without_end():
    async def scenario() -> Change:
        b = InProcessBroadcaster(queue_size=4)
        page = b.subscribe("s1")
        for _ in range(50):
            b.publish("s1", Change(frozenset({"comments"})))
        await asyncio.sleep(0.01)
        return await first(page)

    assert asyncio.run(scenario()).resync


def test_closing_ends_every_stream_and_a_closed_page_is_forgotten():
    async def scenario() -> tuple[list[Change], int]:
        b = InProcessBroadcaster()
        page = b.subscribe("s1")
        await b.close()
        seen = [c async for c in page.changes(5)]
        page.close()
        return seen, b.subscribers("s1")

    seen, left = asyncio.run(scenario())
    assert seen == [] and left == 0


def test_a_page_stream_cancelled_as_a_change_arrives_ends():
    # (asyncio.wait_for on Python 3.11 returned the change and dropped the cancellation:
    # the page's pump went on and the server's stop waited for it)
    async def scenario() -> bool:
        b = InProcessBroadcaster()
        sub = b.subscribe("s1")

        async def pump() -> None:
            async for _ in sub.changes(5.0):
                pass

        task = asyncio.create_task(pump())
        await asyncio.sleep(0)  # the pump waits for a change
        sub.offer(Change(frozenset({"lineup"})))
        task.cancel()  # in the same step
        await asyncio.wait({task}, timeout=0.5)
        return task.cancelled()

    assert asyncio.run(scenario())
