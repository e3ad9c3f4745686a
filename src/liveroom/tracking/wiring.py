"""Plugs tracking, campaign and metrics into a container: handlers on the bus, the
per-process metrics cache, the notifier, the Redis stream, and go-live reminders."""

from __future__ import annotations

import logging
from typing import Any

from liveroom.adapters.eventbus import Envelope
from liveroom.adapters.notifications import LogNotifier, dispatch
from liveroom.adapters.tracking_stream import TrackingStream
from liveroom.core.bus import Context
from liveroom.identity.model import SYSTEM
from liveroom.metrics.views import MetricsCache
from liveroom.tracking.commands import QueueReminders
from liveroom.tracking.handlers import HANDLERS, queue_reminders

log = logging.getLogger(__name__)


def install(c: Any) -> None:
    c.bus.register(HANDLERS)
    c.extras["metrics_cache"] = MetricsCache()
    c.extras.setdefault("notifier", LogNotifier())
    if "redis_sync" in c.extras:
        c.extras["tracking_stream"] = TrackingStream(
            c.extras["redis_sync"], f"{c.settings.event_stream}:tracking")

    def remind_on_go_live(env: Envelope) -> None:
        if env.payload.get("after") != "live":
            return
        sid = env.payload["session_id"]
        # Runs inside the relay's drain: use a unit of work directly, not the bus (whose
        # handle() would drain again and wait on the relay's lock).
        with c.uow() as uow:
            out = queue_reminders(QueueReminders(sid), uow, Context(SYSTEM, c.clock,
                                                                    c.settings))
        sent = dispatch(c.engine, c.extras["notifier"], c.clock, sid)
        log.info("session %s live: %s reminders queued, %s", sid, out["queued"], sent)

    c.events.subscribe("SessionStatusChanged", remind_on_go_live)
