"""The comment log across processes (LIVEROOM_REDIS_URL set): requests on any process
append to the session's Redis stream and wait for the owner's answer; console actions on a
room are forwarded the same way; the question queue is read from the table the owner keeps
current, so every process answers the same."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import redis.asyncio as aioredis

from liveroom.adapters.redis.comment_log_redis import (
    COMMENTS,
    RedisCommentStreams,
    SyncControlLog,
)
from liveroom.adapters.sql.comment_log_repo import RoomOwnerRepo
from liveroom.adapters.sql.comments_repo import CommentsRepo
from liveroom.adapters.sql.repositories import SessionRepo
from liveroom.comments import commands as cmds
from liveroom.comments.handlers import split_card_id
from liveroom.comments.ingest import IncomingComment
from liveroom.comments.log_codec import (
    ROOM_COMMANDS,
    decode_outcome,
    encode_command,
    encode_items,
    raise_if_error,
)
from liveroom.comments.owner import RoomOwner
from liveroom.comments.ports import IngestOutcome
from liveroom.connectors.replies import ReplyHub
from liveroom.core.bus import Context
from liveroom.core.messages import Command

if TYPE_CHECKING:
    from liveroom.comments.rooms import CommentSettings, Rooms
    from liveroom.comments.worker import CommentPipeline
    from liveroom.runtime import Core


class DistributedCommentLog:
    """The CommentLog port over Redis Streams (comments/ports.py)."""

    def __init__(self, c: Core, streams: RedisCommentStreams, owner: RoomOwner,
                 timeout_s: float) -> None:
        self.c = c
        self.streams = streams
        self.owner = owner
        self.timeout_s = timeout_s

    async def submit(self, session_id: str, items: list[IncomingComment],
                     source: str = "api") -> IngestOutcome:
        request = await self.streams.append(session_id, COMMENTS, source, encode_items(items))
        if not self.owner.owns(session_id) and not await self.streams.has_owner(session_id):
            await self.owner.claim(session_id)  # the first process to get comments owns
        return decode_outcome(await self.streams.wait(request, self.timeout_s))

    def questions(self, session_id: str, limit: int) -> dict[str, Any]:
        with self.c.read() as conn:
            SessionRepo(conn).get(session_id)  # 404 session_not_found
            cards, total = RoomOwnerRepo(conn).queue(session_id)
        return {"items": cards[:limit], "total": total}

    async def start(self) -> None:
        await self.owner.start()

    async def stop(self) -> None:
        await self.owner.stop()
        await self.streams.redis.aclose()


def room_of(cmd: Command, uow: Any) -> str:
    if isinstance(cmd, cmds.CardCommand):
        return split_card_id(cmd.card_id)[0]
    if isinstance(cmd, cmds.DrawLottery):
        return str(CommentsRepo(uow.conn).lottery(cmd.lottery_id).session_id)
    return str(cmd.session_id)  # type: ignore[attr-defined]


def forward(cmd: Command, uow: Any, ctx: Context, *, control: SyncControlLog,
            owner: RoomOwner, timeout_s: float) -> Any:
    """The bus handler of a room command on a non-embedded deployment: the room's owner
    applies it in log order and its answer (or its error) comes back here."""
    sid = room_of(cmd, uow)
    uow.sessions.get(sid)  # 404 session_not_found before anything is queued
    # Hold nothing while the owner works: on SQLite this transaction has the write lock
    # (BEGIN IMMEDIATE) that the owner's commit needs.
    uow.conn.rollback()
    request = control.append(sid, encode_command(cmd, ctx.actor))
    owner.poke(sid)
    answer = raise_if_error(control.wait(request, timeout_s), type(cmd).__name__)
    return answer.get("result", answer)


def build_distributed(c: Core, pipeline: CommentPipeline, rooms: Rooms, hub: ReplyHub,
                      handlers: dict[type, Any], knobs: CommentSettings, redis_url: str,
                      sync_client: Any) -> tuple[DistributedCommentLog, dict[type, Any]]:
    """The log, and the bus handlers that forward room commands to it."""
    client = aioredis.Redis.from_url(redis_url)
    streams = RedisCommentStreams(client, knobs.log_prefix, knobs.lease_ms)
    owner = RoomOwner(c, streams, pipeline, rooms, handlers, hub, knobs)
    control = SyncControlLog(sync_client, knobs.log_prefix)
    forwarders = {cls: functools.partial(forward, control=control, owner=owner,
                                         timeout_s=knobs.owner_timeout_s)
                  for cls in ROOM_COMMANDS.values()}
    return DistributedCommentLog(c, streams, owner, knobs.owner_timeout_s), forwarders
