"""Console and customer-service actions on live comments: question cards, FAQ, auto-reply,
moderation, hiding, 1-to-1 tickets and keyword games (lottery, 口令红包)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from liveroom.adapters.sql.comments_repo import CommentsRepo
from liveroom.comments import commands as cmds
from liveroom.comments import views
from liveroom.comments.handlers import lottery_json
from liveroom.entrypoints.api.deps import ContainerDep, Operator, Reader
from liveroom.entrypoints.api.schemas import Body, Id

router = APIRouter(tags=["comments"])


Strict = Body


class AnswerIn(Strict):
    text: Annotated[str, Field(min_length=1, max_length=1000)]


class AssignIn(Strict):
    assignee: Id


class FaqEntryIn(Strict):
    id: Annotated[str | None, Field(max_length=64)] = None
    question: Annotated[str, Field(min_length=1, max_length=500)]
    answer: Annotated[str, Field(min_length=1, max_length=1000)]
    sku_id: Id | None = None


class FaqIn(Strict):
    entries: Annotated[list[FaqEntryIn], Field(max_length=200)]


class AutoReplyIn(Strict):
    enabled: bool
    max_per_minute: Annotated[int, Field(ge=1, le=60)] = 10


class ModerationIn(Strict):
    buyer_id: Id
    minutes: Annotated[int | None, Field(ge=1, le=10080)] = None
    reason: Annotated[str, Field(max_length=200)] = ""


class ReplyIn(Strict):
    text: Annotated[str, Field(min_length=1, max_length=200)]


class HideIn(Strict):
    reason: Annotated[str, Field(max_length=200)] = ""


class TicketIn(Strict):
    subject: Annotated[str | None, Field(max_length=500)] = None
    assignee: Annotated[str | None, Field(max_length=64)] = None


class TicketMessageIn(Strict):
    message: Annotated[str, Field(min_length=1, max_length=2000)]


class TicketCloseIn(Strict):
    resolution: Annotated[str, Field(min_length=1, max_length=2000)]


class LotteryIn(Strict):
    keyword: Annotated[str, Field(min_length=1, max_length=32)]
    kind: Literal["lottery", "password_red_packet"] = "lottery"
    winners: Annotated[int, Field(ge=1, le=10_000)] = 1
    amount_fen: Annotated[int | None, Field(ge=1, strict=True)] = None
    duration_seconds: Annotated[int, Field(ge=10, le=3600)] = 60


@router.post("/questions/{card_id}/answer")
def answer(card_id: str, body: AnswerIn, c: ContainerDep, actor: Operator) -> Any:
    return c.bus.handle(cmds.AnswerCard(card_id, text=body.text), actor)


@router.post("/questions/{card_id}/assign")
def assign(card_id: str, body: AssignIn, c: ContainerDep, actor: Operator) -> Any:
    return c.bus.handle(cmds.AssignCard(card_id, assignee=body.assignee), actor)


@router.post("/questions/{card_id}/dismiss")
def dismiss(card_id: str, c: ContainerDep, actor: Operator) -> Any:
    return c.bus.handle(cmds.DismissCard(card_id), actor)


@router.get("/sessions/{sid}/faq")
def get_faq(sid: str, conn: Reader, actor: Operator) -> dict[str, Any]:
    actor.require("comments.read")
    return {"entries": CommentsRepo(conn).faq(sid)}


@router.put("/sessions/{sid}/faq")
def put_faq(sid: str, body: FaqIn, c: ContainerDep, actor: Operator) -> Any:
    entries = [e.model_dump() for e in body.entries]
    return c.bus.handle(cmds.PutFaq(sid, entries), actor)


@router.get("/sessions/{sid}/autoreply")
def get_autoreply(sid: str, c: ContainerDep, conn: Reader, actor: Operator) -> dict[str, Any]:
    actor.require("comments.read")
    enabled, per_minute = CommentsRepo(conn).settings(sid)
    return {"enabled": enabled, "max_per_minute": per_minute,
            "recent": c.comment_replies.recent(sid)}


@router.put("/sessions/{sid}/autoreply")
def put_autoreply(sid: str, body: AutoReplyIn, c: ContainerDep, actor: Operator) -> Any:
    return c.bus.handle(cmds.SetAutoReply(sid, body.enabled, body.max_per_minute), actor)


@router.post("/sessions/{sid}/moderation/{kind}")
def moderate(sid: str, kind: Literal["mute", "ban"], body: ModerationIn, c: ContainerDep,
             actor: Operator) -> Any:
    return c.bus.handle(cmds.ModerateBuyer(sid, body.buyer_id, kind, body.minutes,
                                           body.reason), actor)


@router.post("/sessions/{sid}/comments/{comment_id}/reply", status_code=201)
def reply(sid: str, comment_id: str, body: ReplyIn, c: ContainerDep, actor: Operator) -> Any:
    """An operator's public answer to one comment: said in the room (the viewers' shelf
    carries the latest ones), on every open console, audited."""
    return c.bus.handle(cmds.ReplyToComment(sid, comment_id, body.text), actor)


@router.get("/sessions/{sid}/replies")
def replies(sid: str, conn: Reader, actor: Operator,
            limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
    actor.require("comments.read")
    return {"items": views.recent_replies(conn, sid, limit)}


@router.post("/comments/{comment_id}/hide")
def hide(comment_id: str, c: ContainerDep, actor: Operator, body: HideIn | None = None) -> Any:
    return c.bus.handle(cmds.HideComment(comment_id, (body or HideIn()).reason), actor)


@router.post("/comments/{comment_id}/ticket", status_code=201)
def ticket(comment_id: str, c: ContainerDep, actor: Operator,
           body: TicketIn | None = None) -> Any:
    body = body or TicketIn()
    return c.bus.handle(cmds.OpenTicket(comment_id, body.subject, body.assignee), actor)


@router.get("/sessions/{sid}/tickets")
def tickets(sid: str, c: ContainerDep, conn: Reader, actor: Operator) -> dict[str, Any]:
    """The session's after-sales tickets with their messages and SLA figures (first reply
    within 2 h, completion within 48 h)."""
    actor.require("comments.read")
    return views.ticket_list(conn, sid, c.clock.now())


@router.post("/tickets/{ticket_id}/respond")
def respond_ticket(ticket_id: str, body: TicketMessageIn, c: ContainerDep,
                   actor: Operator) -> Any:
    return c.bus.handle(cmds.RespondTicket(ticket_id, body.message), actor)


@router.post("/tickets/{ticket_id}/assign")
def assign_ticket(ticket_id: str, body: AssignIn, c: ContainerDep, actor: Operator) -> Any:
    return c.bus.handle(cmds.AssignTicket(ticket_id, body.assignee), actor)


@router.post("/tickets/{ticket_id}/close")
def close_ticket(ticket_id: str, body: TicketCloseIn, c: ContainerDep, actor: Operator) -> Any:
    return c.bus.handle(cmds.CloseTicket(ticket_id, body.resolution), actor)


@router.post("/sessions/{sid}/lotteries", status_code=201)
def create_lottery(sid: str, body: LotteryIn, c: ContainerDep, actor: Operator) -> Any:
    return c.bus.handle(cmds.CreateLottery(sid, body.keyword, body.kind, body.winners,
                                           body.amount_fen, body.duration_seconds), actor)


@router.post("/lotteries/{lottery_id}/draw")
def draw(lottery_id: str, c: ContainerDep, actor: Operator) -> Any:
    return c.bus.handle(cmds.DrawLottery(lottery_id), actor)


@router.get("/lotteries/{lottery_id}")
def get_lottery(lottery_id: str, conn: Reader) -> dict[str, Any]:
    """Public: commitment before the draw; seed, winners and entrants after it, so that
    anyone can recompute the result."""
    repo = CommentsRepo(conn)
    row = repo.lottery(lottery_id)
    out = lottery_json(row._asdict(), entrants=repo.entrants_count(lottery_id))
    if row.status == "drawn":
        out["entrant_ids"] = repo.entrants(lottery_id)
        out["drawn_at"] = row.drawn_at.isoformat() if row.drawn_at else None
    return out
