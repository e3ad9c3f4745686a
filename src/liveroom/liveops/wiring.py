"""Plugs live-ops into a container: the intervention handler on the bus, the messages of a
`message` intervention handed to the notifier, and the half-hour host sync notice.

The host sync notice is a hint, not a fact: at :00 and :30 every server process tells the
pages of its live shows to redraw the host-sync panel, which reads the figures from the
database. Two processes sending it twice cost one extra redraw, nothing else."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from liveroom.adapters.eventbus import Envelope
from liveroom.adapters.notifications import Notifier, dispatch
from liveroom.adapters.sql import schema as t
from liveroom.console.ports import Broadcaster, Change
from liveroom.core.tasks import stop_tasks
from liveroom.liveops.handlers import HANDLERS
from liveroom.liveops.hostsync import next_sync
from liveroom.planning.model import Status
from liveroom.runtime import Core

log = logging.getLogger(__name__)
HOST_SYNC = frozenset({"hostsync"})


def seconds_to_next_sync(now: datetime, tz: str) -> float:
    return max(0.0, (next_sync(now.astimezone(ZoneInfo(tz))) - now).total_seconds())


def live_sessions(c: Core) -> list[str]:
    s = t.live_sessions.c
    with c.read() as conn:
        return [r.id for r in conn.execute(select(s.id).where(s.status == Status.LIVE.value))]


def announce_host_sync(c: Core, broadcaster: Broadcaster) -> int:
    sessions = live_sessions(c)
    for sid in sessions:
        broadcaster.publish(sid, Change(HOST_SYNC))
    return len(sessions)


def install_liveops(c: Core, broadcaster: Broadcaster, worker: ThreadPoolExecutor,
                    notifier: Notifier) -> None:
    c.bus.register(HANDLERS)  # type: ignore[arg-type]

    def send(sid: str) -> None:
        out = dispatch(c.engine, notifier, c.clock, sid)
        log.info("cart-recovery messages of session %s: %s", sid, out)

    def on_intervention(env: Envelope) -> None:
        if env.payload.get("kind") == "message":
            worker.submit(send, env.payload["session_id"])

    c.events.subscribe("CartsIntervened", on_intervention)
    state: dict[str, asyncio.Task[None]] = {}

    async def loop() -> None:
        while True:
            await asyncio.sleep(seconds_to_next_sync(c.clock.now(), c.settings.timezone) + 1)
            count = await asyncio.to_thread(announce_host_sync, c, broadcaster)
            log.info("host sync sent to %d live shows", count)

    async def start() -> None:
        state["task"] = asyncio.create_task(loop())

    async def stop() -> None:
        await stop_tasks([state.pop("task", None)])

    c.lifecycle.startup.append(start)
    c.lifecycle.shutdown.append(stop)
