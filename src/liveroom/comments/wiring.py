"""Wiring of live comments into the container: the embedded pipeline (one process), or,
with LIVEROOM_REDIS_URL, the per-session log on Redis Streams applied by one owner per
session (distributed.py, owner.py). The container's `comment_log` is the
port the routes use either way (comments/ports.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from liveroom.adapters.replay_guard import build_replay_guard
from liveroom.comments.distributed import build_distributed
from liveroom.comments.handlers import handlers_for
from liveroom.comments.rooms import CommentSettings, Rooms
from liveroom.comments.worker import CommentPipeline, build_analyzer_factory
from liveroom.connectors.replies import ReplyHub

if TYPE_CHECKING:
    from liveroom.bootstrap import Container


def wire_comments(c: Container) -> None:
    knobs = CommentSettings()
    distributed = bool(c.settings.redis_url) and knobs.distributed
    # Several processes: a session's state may change on any of them, so none caches it.
    rooms = Rooms(build_analyzer_factory(c, knobs), cache_status=not distributed)
    hub = ReplyHub(keep=knobs.replies_kept)
    pipeline = CommentPipeline(c, rooms, hub, knobs)
    c.extras.update(comment_rooms=rooms, comment_pipeline=pipeline, comment_replies=hub,
                    webhook_replays=build_replay_guard(c.engine, c.extras.get("redis_sync")))
    c.events.subscribe("SessionStatusChanged", lambda env: rooms.status_changed(
        env.payload["session_id"], env.payload["after"]))
    c.events.subscribe("OrderPaid", lambda env: rooms.order_paid(
        env.payload["session_id"], env.payload["buyer_id"], int(env.payload["total_fen"])))
    handlers = handlers_for(rooms)
    c.bus.register(handlers)  # type: ignore[arg-type]
    startup = c.extras.setdefault("startup", [])
    shutdown = c.extras.setdefault("shutdown", [])
    startup.append(pipeline.start)
    if distributed:
        assert c.settings.redis_url is not None
        log, forwarders = build_distributed(c, pipeline, rooms, hub, handlers, knobs,
                                            c.settings.redis_url, c.extras["redis_sync"])
        c.bus.register(forwarders)  # type: ignore[arg-type]
        c.comment_log = log
        startup.append(log.start)
        shutdown.append(log.stop)
    else:
        c.comment_log = pipeline
    shutdown.append(pipeline.stop)
