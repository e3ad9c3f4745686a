"""Wires the console's live feed: committed outbox events become change notices."""

from __future__ import annotations

from liveroom.adapters.eventbus import Envelope
from liveroom.adapters.memory.broadcast_memory import InProcessBroadcaster
from liveroom.adapters.redis.broadcast_redis import RedisBroadcaster
from liveroom.console.ports import PARTS_OF_EVENT, URGENT_EVENTS, Broadcaster, Change
from liveroom.runtime import Core


def notice_for(env: Envelope) -> tuple[str, Change] | None:
    parts = PARTS_OF_EVENT.get(env.name)
    sid = env.payload.get("session_id")
    if not parts or not isinstance(sid, str):
        return None
    return sid, Change(parts, urgent=env.name in URGENT_EVENTS)


def wire_live(c: Core) -> Broadcaster:
    """The relay publishes only committed events, so a page never shows a rolled-back
    change. One broadcaster per process, in `Container.broadcaster`: in-process by
    default, over Redis pub/sub when LIVEROOM_REDIS_URL is set (adapters/broadcast_redis.py)."""
    broadcaster: InProcessBroadcaster | RedisBroadcaster
    if c.settings.redis_url:  # several processes: notices travel over Redis pub/sub
        broadcaster = RedisBroadcaster(c.settings.redis_url,
                                       prefix=f"{c.settings.event_stream}:live")
        c.lifecycle.startup.append(broadcaster.start)
    else:
        broadcaster = InProcessBroadcaster()

    def forward(env: Envelope) -> None:
        notice = notice_for(env)
        if notice is not None:
            broadcaster.publish(*notice)

    c.events.subscribe("*", forward)
    c.lifecycle.shutdown.append(broadcaster.close)
    return broadcaster
