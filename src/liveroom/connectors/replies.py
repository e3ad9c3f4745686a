"""The reply port: auto-replies leave through whichever connectors are attached to a
session (their websocket gets ``{"type": "reply", …}`` and the connector posts it on the
platform). Delivery never blocks the pipeline: a slow connector's queue is bounded and the
oldest reply is dropped (and counted) rather than stalling everyone."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Any, Protocol

log = logging.getLogger(__name__)
QUEUE_LIMIT = 100


class ReplyPort(Protocol):
    def send(self, session_id: str, message: dict[str, Any]) -> None: ...


class ReplyHub:
    def __init__(self, keep: int = 200) -> None:
        self._subscribers: dict[str, set[asyncio.Queue[dict[str, Any]]]] = {}
        self._recent: dict[str, deque[dict[str, Any]]] = {}
        self._keep = keep
        self.dropped = 0

    def attach(self, session_id: str) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_LIMIT)
        self._subscribers.setdefault(session_id, set()).add(queue)
        return queue

    def detach(self, session_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._subscribers.get(session_id, set()).discard(queue)

    def send(self, session_id: str, message: dict[str, Any]) -> None:
        """Call from the event loop's thread."""
        self._recent.setdefault(session_id, deque(maxlen=self._keep)).append(message)
        for queue in self._subscribers.get(session_id, ()):
            if queue.full():
                queue.get_nowait()
                self.dropped += 1
                log.warning("reply queue of a %s connector full; oldest reply dropped",
                            session_id)
            queue.put_nowait(message)

    def recent(self, session_id: str) -> list[dict[str, Any]]:
        return list(self._recent.get(session_id, ()))
