"""Wires the console's live feed: committed outbox events become change notices."""

from __future__ import annotations

from typing import Any

from liveroom.adapters.eventbus import Envelope
from liveroom.adapters.memory.broadcast_memory import InProcessBroadcaster
from liveroom.adapters.redis.broadcast_redis import RedisBroadcaster
from liveroom.console.ports import PARTS_OF_EVENT, Broadcaster, Change


def notice_for(env: Envelope) -> tuple[str, Change] | None:
    parts = PARTS_OF_EVENT.get(env.name)
    sid = env.payload.get("session_id")
    if not parts or not isinstance(sid, str):
        return None
    return sid, Change(parts)


def wire_live(c: Any) -> Broadcaster:
    """The relay publishes only committed events, so a page never shows a rolled-back
    change. One broadcaster per process, in `c.extras["broadcaster"]`: in-process by
    default, over Redis pub/sub when LIVEROOM_REDIS_URL is set (adapters/broadcast_redis.py)."""
    broadcaster: InProcessBroadcaster | RedisBroadcaster
    if c.settings.redis_url:  # several processes: notices travel over Redis pub/sub
        broadcaster = RedisBroadcaster(c.settings.redis_url,
                                       prefix=f"{c.settings.event_stream}:live")
        c.extras.setdefault("startup", []).append(broadcaster.start)
    else:
        broadcaster = InProcessBroadcaster()

    def forward(env: Envelope) -> None:
        notice = notice_for(env)
        if notice is not None:
            broadcaster.publish(*notice)

    c.events.subscribe("*", forward)
    c.extras["broadcaster"] = broadcaster
    c.extras.setdefault("shutdown", []).append(broadcaster.close)
    return broadcaster
