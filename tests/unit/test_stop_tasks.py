"""stop_tasks: a task whose cancellation is lost (as redis-py's sends lose it on Python 3.11)
is still stopped; one that will not stop is given up on after its bound, and logged."""

from __future__ import annotations

import asyncio
import logging

import pytest

from liveroom.core.tasks import stop_tasks


async def _deaf(lost: list[int], deaf_to: list[int]) -> None:
    """A loop that loses its first `deaf_to[0]` cancellations, as a lost cancel would."""
    while True:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            lost.append(1)
            if len(lost) > deaf_to[0]:
                raise


def test_a_task_that_loses_its_cancellation_is_stopped_all_the_same() -> None:
    async def scenario() -> tuple[bool, int]:
        lost: list[int] = []
        task = asyncio.create_task(_deaf(lost, [3]))
        await asyncio.sleep(0)
        await asyncio.wait_for(stop_tasks([task, None]), 5)
        return task.done(), len(lost)

    assert asyncio.run(scenario()) == (True, 4)


def test_a_task_that_never_stops_is_given_up_on_and_logged(
        caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> bool:
        deaf_to = [10**9]
        task = asyncio.create_task(_deaf([], deaf_to), name="deaf")
        await asyncio.sleep(0)
        await stop_tasks([task], give_up_s=0.2)
        gave_up = not task.done()
        deaf_to[0] = 0  # let it go, so that the loop can close
        await stop_tasks([task])
        return gave_up

    with caplog.at_level(logging.ERROR):
        assert asyncio.run(scenario())
    assert "deaf" in caplog.text
