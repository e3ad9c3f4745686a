"""Raises metric alerts when they fire, instead of recomputing them on every read: every
few seconds the rules run over each live show's timeline and what they fire is stored
(metrics.handlers). Several processes may run this at once: raising is an upsert."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from liveroom.adapters.sql import schema as t
from liveroom.adapters.sql.schema_live import live_alerts
from liveroom.comments.reply_handlers import HANDLERS as REPLY_HANDLERS
from liveroom.core.tasks import stop_tasks
from liveroom.identity.model import SYSTEM
from liveroom.metrics import alerts, views
from liveroom.metrics.commands import RecordMetricAlerts
from liveroom.metrics.handlers import HANDLERS as ALERT_HANDLERS
from liveroom.metrics.views import MetricsCache
from liveroom.runtime import Core

log = logging.getLogger(__name__)
EVERY_SECONDS = 5.0


class AlertWatch:
    def __init__(self, c: Core, metrics_cache: MetricsCache,
                 interval: float = EVERY_SECONDS) -> None:
        self.c = c
        self.metrics_cache = metrics_cache
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    def check_once(self) -> dict[str, list[str]]:
        """Evaluate every live show (and every show with an alert still open, so the end
        of a show clears them); store only what changed. Returns the kinds now open."""
        c, now = self.c, self.c.clock.now()
        s, la = t.live_sessions.c, live_alerts.c
        with c.read() as conn:
            live = set(conn.execute(select(s.id).where(s.status == "live")).scalars())
            open_rows = conn.execute(select(la.session_id, la.kind)
                                     .where(la.cleared_at.is_(None))).all()
        stored: dict[str, set[str]] = {}
        for row in open_rows:
            stored.setdefault(row.session_id, set()).add(row.kind)
        out: dict[str, list[str]] = {}
        for sid in sorted(live | set(stored)):
            fired: list[dict[str, Any]] = []
            if sid in live:
                with c.read() as conn:
                    snap = views.live_metrics(conn, self.metrics_cache, sid, now)
                if snap["status"] == "live":  # after the show a falling curve is no incident
                    fired = alerts.evaluate(snap["timeline"])
            kinds = {a["code"] for a in fired}
            if kinds != stored.get(sid, set()):
                c.bus.handle(RecordMetricAlerts(sid, fired), SYSTEM)
            out[sid] = sorted(kinds)
        return out

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="alert-watch")

    async def stop(self) -> None:
        if self._task is not None:
            await stop_tasks([self._task])

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.to_thread(self.check_once)
            except SQLAlchemyError:  # a busy or lost database: log, try on the next tick
                log.exception("alert evaluation failed")
            await asyncio.sleep(self.interval)


def wire_alerts(c: Core, metrics_cache: MetricsCache) -> AlertWatch:
    """Stored alerts and their acknowledgement, and operators' replies to comments."""
    c.bus.register(ALERT_HANDLERS)  # type: ignore[arg-type]
    c.bus.register(REPLY_HANDLERS)  # type: ignore[arg-type]
    watch = AlertWatch(c, metrics_cache)
    c.lifecycle.startup.append(watch.start)
    c.lifecycle.shutdown.append(watch.stop)
    return watch
