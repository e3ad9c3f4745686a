"""Wiring of live comments: the embedded pipeline (one process), or, with
LIVEROOM_REDIS_URL, the per-session log on Redis Streams applied by one owner per session
(distributed.py, owner.py). `CommentsWiring.log` is the port the routes use either way
(comments/ports.py)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from liveroom.comments.distributed import build_distributed
from liveroom.comments.handlers import handlers_for
from liveroom.comments.learned import IntentModel
from liveroom.comments.ports import CommentLog
from liveroom.comments.rooms import CommentSettings, Rooms
from liveroom.comments.worker import CommentPipeline, build_analyzer_factory, model_dir_of
from liveroom.connectors.replies import ReplyHub
from liveroom.runtime import Core


async def warm_intent_model(model_dir: Path) -> None:
    """Train (or load) the intent model before the server answers: the first comment
    batch must not wait for a training run (seconds of CPU on a fresh machine)."""
    await asyncio.to_thread(lambda: IntentModel(model_dir=model_dir).model)


@dataclass(frozen=True)
class CommentsWiring:
    rooms: Rooms
    pipeline: CommentPipeline
    replies: ReplyHub
    log: CommentLog


def wire_comments(c: Core) -> CommentsWiring:
    knobs = CommentSettings()
    distributed = c.redis is not None and bool(c.settings.redis_url) and knobs.distributed
    # Several processes: a session's state may change on any of them, so none caches it.
    rooms = Rooms(build_analyzer_factory(c, knobs), cache_status=not distributed)
    hub = ReplyHub(keep=knobs.replies_kept)
    pipeline = CommentPipeline(c, rooms, hub, knobs)
    c.events.subscribe("SessionStatusChanged", lambda env: rooms.status_changed(
        env.payload["session_id"], env.payload["after"]))
    c.events.subscribe("OrderPaid", lambda env: rooms.order_paid(
        env.payload["session_id"], env.payload["buyer_id"], int(env.payload["total_fen"])))
    handlers = handlers_for(rooms)
    c.bus.register(handlers)  # type: ignore[arg-type]
    if knobs.use_model:
        c.lifecycle.startup.append(lambda: warm_intent_model(model_dir_of(c, knobs)))
    c.lifecycle.startup.append(pipeline.start)
    log: CommentLog = pipeline
    if distributed:
        assert c.settings.redis_url is not None and c.redis is not None
        log, forwarders = build_distributed(c, pipeline, rooms, hub, handlers, knobs,
                                            c.settings.redis_url, c.redis)
        c.bus.register(forwarders)  # type: ignore[arg-type]
        c.lifecycle.startup.append(log.start)
        c.lifecycle.shutdown.append(log.stop)
    c.lifecycle.shutdown.append(pipeline.stop)
    return CommentsWiring(rooms, pipeline, hub, log)
