"""Forward a connector's comments to liveroom in batches (HTTP, as any connector would):
flush every ``interval`` seconds or ``batch`` comments, retry a failed batch with backoff
and the same comment ids (the API deduplicates them), drop nothing silently."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from liveroom.connectors.events import CommentReceived, ConnectorEvent

log = logging.getLogger(__name__)


def comment_item(event: CommentReceived) -> dict[str, Any]:
    item = {"buyer_id": f"{event.platform}:{event.buyer_id}", "nickname": event.nickname,
            "text": event.text, "ts": event.ts.isoformat()}
    if event.msg_id:
        item["id"] = f"{event.platform}:{event.msg_id}"
    return item


class Forwarder:
    def __init__(self, client: httpx.AsyncClient, session_id: str, *, batch: int = 200,
                 interval: float = 0.2, max_retries: int = 5) -> None:
        self.client = client
        self.url = f"/api/v1/sessions/{session_id}/comments"
        self.batch = batch
        self.interval = interval
        self.max_retries = max_retries
        self.sent = 0
        self.failed = 0
        # Read but not yet posted; kept on the object so that close() can post it when the
        # connector stops, instead of losing what run() was holding when it was cancelled.
        self.pending: list[dict[str, Any]] = []

    async def run(self, events: asyncio.Queue[ConnectorEvent]) -> None:
        while True:
            try:  # not wait_for: on 3.11 it drops a cancel that lands as an event arrives
                async with asyncio.timeout(self.interval):
                    event = await events.get()
                if isinstance(event, CommentReceived):
                    self.pending.append(comment_item(event))
            except TimeoutError:
                pass
            if self.pending and (len(self.pending) >= self.batch or events.empty()):
                # Removed only once posted: if cancelled mid-post, close() posts them again
                # with the same ids and the API answers them as duplicates.
                count = len(self.pending)
                await self._post(self.pending[:count])
                del self.pending[:count]

    async def close(self, events: asyncio.Queue[ConnectorEvent]) -> None:
        """After run() is cancelled: post what it held and what is still queued."""
        while not events.empty():
            event = events.get_nowait()
            if isinstance(event, CommentReceived):
                self.pending.append(comment_item(event))
        while self.pending:
            items, self.pending = self.pending[: self.batch], self.pending[self.batch:]
            await self._post(items)

    async def _post(self, items: list[dict[str, Any]]) -> None:
        for attempt in range(self.max_retries):
            try:
                r = await self.client.post(self.url, json={"comments": items})
            except httpx.TransportError as exc:
                log.warning("forward failed (%s), retry %s", exc, attempt + 1)
            else:
                if r.status_code == 202:
                    self.sent += r.json()["accepted"]
                    return
                if r.status_code < 500:
                    log.error("liveroom refused %s comments: %s", len(items), r.text[:300])
                    self.failed += len(items)
                    return
            await asyncio.sleep(min(30.0, 0.5 * 2 ** attempt))
        log.error("gave up forwarding %s comments after %s tries", len(items), self.max_retries)
        self.failed += len(items)
