"""Stopping background tasks for certain.

`task.cancel()` is a request, not a guarantee. On Python 3.11, `asyncio.wait_for` returns
the inner result when the outer task is cancelled in the very step its inner work finished,
and the cancellation is gone; redis-py wraps the send of every command in `wait_for` (its
socket timeout), so a `while True` task cancelled while it talks to Redis may simply go on.
A stop that awaits such a task once waits forever. So: cancel again until each has ended."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

log = logging.getLogger(__name__)
RECANCEL_S = 0.05


async def stop_tasks(tasks: Iterable[asyncio.Task[Any] | None],
                     give_up_s: float = 10.0) -> None:
    """Cancel the tasks and return once every one has ended (or after `give_up_s`, logged).
    A task that ended with an error other than its cancellation has the error logged."""
    wanted = [t for t in tasks if t is not None]
    pending = {t for t in wanted if not t.done()}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + give_up_s
    while pending:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=RECANCEL_S)
        if pending and loop.time() > deadline:
            log.error("tasks still running %.0f s after they were cancelled: %s", give_up_s,
                      sorted(t.get_name() for t in pending))
            return
    for task in wanted:
        if not task.cancelled() and task.exception() is not None:
            log.error("task %s ended with an error", task.get_name(),
                      exc_info=task.exception())
