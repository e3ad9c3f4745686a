"""An operator's public reply to a comment: stored, audited, shown in the room (the
viewers' shelf carries the latest ones) and on every open console."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from liveroom.adapters.sql.comments_repo import CommentsRepo
from liveroom.adapters.sql.schema_live import comment_replies
from liveroom.comments.commands import ReplyToComment
from liveroom.comments.events import CommentReplied
from liveroom.core.bus import Context
from liveroom.core.errors import Invalid, NotFound
from liveroom.core.ids import new_id
from liveroom.planning.model import Status

MAX_REPLY = 200  # what a platform's room accepts in one message


def reply(cmd: ReplyToComment, uow: Any, ctx: Context) -> dict[str, Any]:
    text = " ".join(cmd.text.split())
    if not text:
        raise Invalid("a reply needs words", code="reply_empty", field="text")
    if len(text) > MAX_REPLY:
        raise Invalid(f"at most {MAX_REPLY} characters", code="reply_too_long", field="text")
    row = CommentsRepo(uow.conn).comment(cmd.comment_id)
    if row.session_id != cmd.session_id:
        raise NotFound(f"no comment {cmd.comment_id} in this show", code="comment_not_found")
    # Said in the room: only while the room is open (rehearsal answers the test audience).
    uow.sessions.get(cmd.session_id).require(Status.REHEARSAL, Status.LIVE)
    now, rid = ctx.clock.now(), new_id()
    uow.execute(insert(comment_replies).values(
        id=rid, session_id=cmd.session_id, comment_id=row.id, buyer_id=row.buyer_id,
        text=text, actor=ctx.actor.name, created_at=now))
    uow.audit.record(ctx.actor, "comments.reply", session_id=cmd.session_id, target=row.id,
                     before={"comment": row.text}, after={"reply": text})
    uow.emit(CommentReplied(cmd.session_id, rid, row.id, row.buyer_id, text))
    uow.commit()
    return {"id": rid, "comment_id": row.id, "text": text, "by": ctx.actor.name,
            "created_at": now.isoformat()}


HANDLERS = {ReplyToComment: reply}
