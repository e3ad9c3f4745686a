"""Plugs tracking, campaign and metrics into a container: handlers on the bus, the
per-process metrics cache, the Redis stream, and go-live reminders (sent through the
container's notifier)."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from liveroom.adapters.eventbus import Envelope
from liveroom.adapters.notifications import Notifier, dispatch
from liveroom.adapters.redis.tracking_stream import TrackingStream
from liveroom.adapters.sql.log_segments import LogSegments
from liveroom.analytics.handlers import HANDLERS as ANALYTICS_HANDLERS
from liveroom.core.bus import Context
from liveroom.identity.model import SYSTEM
from liveroom.metrics.views import MetricsCache
from liveroom.runtime import Core
from liveroom.tracking.commands import QueueReminders
from liveroom.tracking.handlers import HANDLERS, queue_reminders

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrackingWiring:
    metrics_cache: MetricsCache
    stream: TrackingStream | None
    campaign_worker: ThreadPoolExecutor


def install(c: Core, notifier: Notifier) -> TrackingWiring:
    c.bus.register(HANDLERS)  # type: ignore[arg-type]
    c.bus.register(ANALYTICS_HANDLERS)  # type: ignore[arg-type]
    metrics_cache = MetricsCache(segments=LogSegments(c.settings.var_dir / "segments"))
    stream = None
    if c.redis is not None:
        stream = TrackingStream(c.redis, f"{c.settings.event_stream}:tracking")
    # Subscribers run inside the outbox relay's transaction, which holds SQLite's write
    # lock: side effects that write go to a worker thread that runs once the relay is done.
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="campaign")

    async def stop_worker() -> None:  # waits for a running job, off the event loop
        await asyncio.to_thread(worker.shutdown, wait=True)

    c.lifecycle.shutdown.append(stop_worker)

    def send_reminders(sid: str) -> dict[str, Any]:
        with c.uow() as uow:
            out = queue_reminders(QueueReminders(sid), uow, Context(SYSTEM, c.clock,
                                                                    c.settings))
        out.update(dispatch(c.engine, notifier, c.clock, sid))
        log.info("session %s is live: reminders %s", sid, out)
        return out

    def report(future: Future[dict[str, Any]]) -> None:
        exc = future.exception()
        if exc is not None:
            log.error("go-live reminders failed", exc_info=exc)

    def remind_on_go_live(env: Envelope) -> None:
        if env.payload.get("after") == "live":
            worker.submit(send_reminders, env.payload["session_id"]).add_done_callback(report)

    c.events.subscribe("SessionStatusChanged", remind_on_go_live)
    return TrackingWiring(metrics_cache, stream, worker)
