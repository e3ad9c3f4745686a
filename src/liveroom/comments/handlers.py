"""Console, customer-service and configuration actions on live comments. Each one opens
the transaction, then takes the room lock (the pipeline's order), acts on the stored rows
and the in-memory room, writes the audit trail, and commits."""

from __future__ import annotations

import functools
import secrets
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy.exc import SQLAlchemyError

from liveroom.adapters.sql.comments_repo import CommentsRepo, faq_entries, keyword_key
from liveroom.comments import commands as cmds
from liveroom.comments.events import (
    BuyerModerated,
    CommentHidden,
    LotteryCreated,
    LotteryDrawn,
    QuestionCardChanged,
    TicketOpened,
)
from liveroom.comments.lottery import KeywordLottery, commit, new_seed
from liveroom.comments.queue import InvalidTransition
from liveroom.comments.room import CardAction, LotteryWindow, Room
from liveroom.comments.ticket_handlers import HANDLERS as TICKET_HANDLERS
from liveroom.core.bus import Context
from liveroom.core.clock import as_aware
from liveroom.core.errors import Conflict, Invalid, NotFound
from liveroom.core.ids import new_id
from liveroom.planning.model import Status

MAX_FAQ = 200
LOTTERY_KINDS = ("lottery", "password_red_packet")
_ACTIVE = (Status.PLANNED, Status.REHEARSAL, Status.LIVE)


class RoomRegistry(Protocol):
    def lock(self, session_id: str) -> Any: ...

    def get(self, session_id: str, conn: Any) -> Room: ...

    def drop(self, session_id: str) -> None: ...


def _commit_or_drop(uow: Any, rooms: RoomRegistry, session_id: str) -> None:
    """The room was changed before the commit; if the commit fails, forget the room so
    the next use rebuilds it from what the database actually holds."""
    try:
        uow.commit()
    except SQLAlchemyError:
        rooms.drop(session_id)
        raise


def card_json(room: Room, card: Any) -> dict[str, Any]:
    return {"id": room.public_id(card), "text": card.samples[0], "intent": card.intent,
            "urgency": card.urgency, "count": card.count, "askers": list(card.askers),
            "samples": list(card.samples), "comment_ids": list(card.comment_ids[-20:]),
            "first_seen": card.first_ts.isoformat(), "last_seen": card.last_ts.isoformat(),
            "status": card.status, "assignee": card.assignee, "answer": card.answer,
            "buyer_value_fen": int(card.buyer_value)}


def split_card_id(card_id: str) -> tuple[str, str]:
    session_id, _, local = card_id.rpartition(".")
    if not session_id or not local:
        raise NotFound(f"no question card {card_id}", code="question_card_not_found")
    return session_id, local


def act_on_card(cmd: cmds.CardCommand, uow: Any, ctx: Context, rooms: RoomRegistry) -> Any:
    sid, local = split_card_id(cmd.card_id)
    action, value = {cmds.AnswerCard: ("answer", getattr(cmd, "text", None)),
                     cmds.AssignCard: ("assign", getattr(cmd, "assignee", None)),
                     cmds.DismissCard: ("dismiss", None)}[type(cmd)]
    if action in ("answer", "assign") and not (value or "").strip():
        raise Invalid(f"{action} needs a non-empty value", field="text" if action == "answer"
                      else "assignee")
    with rooms.lock(sid):
        room = rooms.get(sid, uow.conn)
        try:
            before = room.queue.get(local)
            card = room.act(local, action, value)
        except KeyError as exc:
            raise NotFound(f"no question card {cmd.card_id}",
                           code="question_card_not_found") from exc
        except InvalidTransition as exc:
            raise Conflict(str(exc), code=InvalidTransition.code) from exc
        CommentsRepo(uow.conn).add_card_action(sid, CardAction(local, action, value, room.seq),
                                               ctx.actor.name, ctx.clock.now())
        uow.audit.record(ctx.actor, f"comments.card.{action}", session_id=sid,
                         target=cmd.card_id, before={"status": before.status},
                         after={"status": card.status, "assignee": card.assignee,
                                "answer": card.answer})
        uow.emit(QuestionCardChanged(sid, cmd.card_id, card.status, card.assignee, card.answer))
        _commit_or_drop(uow, rooms, sid)
    return card_json(room, card)


def put_faq(cmd: cmds.PutFaq, uow: Any, ctx: Context, rooms: RoomRegistry) -> dict[str, Any]:
    entries = _valid_faq(cmd.entries)
    repo = CommentsRepo(uow.conn)
    with rooms.lock(cmd.session_id):
        room = rooms.get(cmd.session_id, uow.conn)
        before = repo.faq(cmd.session_id)
        repo.replace_faq(cmd.session_id, entries)
        uow.audit.record(ctx.actor, "comments.faq", session_id=cmd.session_id,
                         target=cmd.session_id, before={"entries": len(before)},
                         after={"entries": len(entries), "ids": [e["id"] for e in entries]})
        uow.commit()
        room.analyzer.set_faq(faq_entries(entries))
    return {"entries": entries}


def _valid_faq(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(raw) > MAX_FAQ:
        raise Invalid(f"at most {MAX_FAQ} FAQ entries", code="faq_too_large")
    out, seen = [], set()
    for index, entry in enumerate(raw):
        question = str(entry.get("question") or "").strip()
        answer = str(entry.get("answer") or "").strip()
        if not question or not answer:
            raise Invalid(f"entries.{index}: question and answer are required",
                          code="invalid_faq_entry", index=index)
        faq_id = str(entry.get("id") or f"faq{index + 1}")
        if faq_id in seen:
            raise Invalid(f"entries.{index}: duplicate id {faq_id}", code="duplicate_faq_id")
        seen.add(faq_id)
        out.append({"id": faq_id, "question": question, "answer": answer,
                    "sku_id": entry.get("sku_id")})
    return out


def set_autoreply(cmd: cmds.SetAutoReply, uow: Any, ctx: Context,
                  rooms: RoomRegistry) -> dict[str, Any]:
    with rooms.lock(cmd.session_id):
        room = rooms.get(cmd.session_id, uow.conn)
        before = {"enabled": room.autoreply.enabled,
                  "max_per_minute": room.autoreply.max_per_minute}
        try:
            room.autoreply.configure(cmd.enabled, cmd.max_per_minute)
        except ValueError as exc:
            raise Invalid(str(exc), field="max_per_minute") from exc
        CommentsRepo(uow.conn).save_settings(cmd.session_id, cmd.enabled, cmd.max_per_minute,
                                             ctx.clock.now())
        after = {"enabled": cmd.enabled, "max_per_minute": cmd.max_per_minute}
        uow.audit.record(ctx.actor, "comments.autoreply", session_id=cmd.session_id,
                         target=cmd.session_id, before=before, after=after)
        _commit_or_drop(uow, rooms, cmd.session_id)
    return after


def moderate(cmd: cmds.ModerateBuyer, uow: Any, ctx: Context,
             rooms: RoomRegistry) -> dict[str, Any]:
    if cmd.kind not in ("mute", "ban"):
        raise Invalid("kind is mute or ban", field="kind")
    if cmd.minutes is not None and not 1 <= cmd.minutes <= 7 * 24 * 60:
        raise Invalid("minutes: 1 to 10080", field="minutes")
    minutes = cmd.minutes if cmd.minutes is not None else (10 if cmd.kind == "mute" else None)
    now = ctx.clock.now()
    until = now + timedelta(minutes=minutes) if minutes else None
    with rooms.lock(cmd.session_id):
        room = rooms.get(cmd.session_id, uow.conn)
        CommentsRepo(uow.conn).add_moderation(
            session_id=cmd.session_id, buyer_id=cmd.buyer_id, kind=cmd.kind, until=until,
            reason=cmd.reason, actor=ctx.actor.name, created_at=now)
        uow.audit.record(ctx.actor, f"comments.{cmd.kind}", session_id=cmd.session_id,
                         target=cmd.buyer_id, after={"until": until and until.isoformat(),
                                                     "reason": cmd.reason})
        uow.emit(BuyerModerated(cmd.session_id, cmd.buyer_id, cmd.kind,
                                until.isoformat() if until else None, cmd.reason))
        uow.commit()
        room.moderation.apply(cmd.buyer_id, cmd.kind, until)  # type: ignore[arg-type]
    return {"buyer_id": cmd.buyer_id, "kind": cmd.kind,
            "until": until.isoformat() if until else None}


def hide(cmd: cmds.HideComment, uow: Any, ctx: Context) -> dict[str, Any]:
    repo = CommentsRepo(uow.conn)
    row = repo.comment(cmd.comment_id)
    if row.hidden:
        return {"id": row.id, "hidden": True}  # hiding twice is a no-op, not an error
    repo.hide(row.id, ctx.actor.name, cmd.reason, ctx.clock.now())
    uow.audit.record(ctx.actor, "comments.hide", session_id=row.session_id, target=row.id,
                     before={"hidden": False, "text": row.text},
                     after={"hidden": True, "reason": cmd.reason})
    uow.emit(CommentHidden(row.session_id, row.id, cmd.reason))
    uow.commit()
    return {"id": row.id, "hidden": True}


def open_ticket(cmd: cmds.OpenTicket, uow: Any, ctx: Context) -> dict[str, Any]:
    repo = CommentsRepo(uow.conn)
    row = repo.comment(cmd.comment_id)
    now = ctx.clock.now()
    ticket = {"id": new_id(), "session_id": row.session_id, "comment_id": row.id,
              "buyer_id": row.buyer_id, "subject": cmd.subject or row.text,
              "status": "in_progress" if cmd.assignee else "open",
              "assignee": cmd.assignee or ctx.actor.name, "opened_by": ctx.actor.name,
              "created_at": now}
    repo.add_ticket(**ticket)
    uow.audit.record(ctx.actor, "comments.ticket", session_id=row.session_id,
                     target=ticket["id"], after={"comment_id": row.id,
                                                 "buyer_id": row.buyer_id})
    uow.emit(TicketOpened(row.session_id, ticket["id"], row.id, row.buyer_id))
    uow.commit()
    return {**ticket, "created_at": now.isoformat(), "first_response_at": None,
            "completed_at": None}


def create_lottery(cmd: cmds.CreateLottery, uow: Any, ctx: Context,
                   rooms: RoomRegistry) -> dict[str, Any]:
    keyword = keyword_key(cmd.keyword)
    if not keyword or len(cmd.keyword) > 32:
        raise Invalid("keyword: 1–32 characters", field="keyword")
    if cmd.kind not in LOTTERY_KINDS:
        raise Invalid(f"kind is one of {LOTTERY_KINDS}", field="kind")
    if not 1 <= cmd.winners <= 10_000 or not 10 <= cmd.duration_seconds <= 3600:
        raise Invalid("winners 1–10000, duration_seconds 10–3600", code="invalid_lottery")
    if cmd.kind == "password_red_packet" and (cmd.amount_fen or 0) < cmd.winners:
        raise Invalid("a red packet needs amount_fen ≥ 1 fen per winner", field="amount_fen")
    uow.sessions.get(cmd.session_id).require(*_ACTIVE)
    seed, now = new_seed(), ctx.clock.now()
    game = {"id": new_id(), "session_id": cmd.session_id, "kind": cmd.kind,
            "keyword": cmd.keyword, "winners_count": cmd.winners, "amount_fen": cmd.amount_fen,
            "commitment": commit(seed), "seed": seed, "starts_at": now,
            "ends_at": now + timedelta(seconds=cmd.duration_seconds), "status": "open",
            "created_by": ctx.actor.name, "created_at": now}
    with rooms.lock(cmd.session_id):
        room = rooms.get(cmd.session_id, uow.conn)
        CommentsRepo(uow.conn).add_lottery(**game)
        public = {k: v for k, v in game.items() if k != "seed"}  # the seed stays secret
        uow.audit.record(ctx.actor, "comments.lottery.create", session_id=cmd.session_id,
                         target=game["id"], after=_plain(public))
        uow.emit(LotteryCreated(cmd.session_id, game["id"], cmd.kind, cmd.keyword,
                                game["commitment"], now.isoformat(),
                                game["ends_at"].isoformat()))
        uow.commit()
        room.open_game(LotteryWindow(game["id"], keyword, now, game["ends_at"]))
    return lottery_json(game, entrants=0)


def draw_lottery(cmd: cmds.DrawLottery, uow: Any, ctx: Context,
                 rooms: RoomRegistry) -> dict[str, Any]:
    repo = CommentsRepo(uow.conn)
    session_id = repo.lottery(cmd.lottery_id).session_id
    # The room's lock first, then the row: a flush holds the room lock while its entries
    # reference the lottery row, so the other order could deadlock. Under both, a flush
    # committing entries right now is either fully in the draw or fully after it.
    with rooms.lock(session_id):
        row = repo.lottery(cmd.lottery_id, lock=True)
        if row.status == "drawn":
            raise Conflict(f"lottery {row.id} was drawn already",
                           code="lottery_already_drawn")
        now, ends = ctx.clock.now(), as_aware(row.ends_at)
        if now < ends:
            raise Conflict(f"lottery {row.id} is open until {ends.isoformat()}",
                           code="lottery_still_open", ends_at=ends.isoformat())
        entrants = repo.entrants(row.id)
        game = KeywordLottery(row.keyword, as_aware(row.starts_at), ends, row.commitment,
                              row.winners_count)
        winners = game.draw(row.seed, entrants)
        repo.mark_drawn(row.id, winners, len(entrants), now)
        uow.audit.record(ctx.actor, "comments.lottery.draw", session_id=row.session_id,
                         target=row.id, after={"winners": winners,
                                               "entrants": len(entrants), "seed": row.seed})
        uow.emit(LotteryDrawn(row.session_id, row.id, row.seed, winners, len(entrants)))
        uow.commit()
        rooms.get(row.session_id, uow.conn).close_game(row.id)
    out = lottery_json(row._asdict(), entrants=len(entrants))
    out.update(status="drawn", seed=row.seed, winners=winners, drawn_at=now.isoformat(),
               entrant_ids=entrants)
    return out


def lottery_json(game: dict[str, Any], entrants: int) -> dict[str, Any]:
    drawn = game.get("status") == "drawn"
    out = {k: game.get(k) for k in ("id", "session_id", "kind", "keyword", "winners_count",
                                     "amount_fen", "commitment", "status")}
    out.update(starts_at=as_aware(game["starts_at"]).isoformat(),
               ends_at=as_aware(game["ends_at"]).isoformat(), entrants=entrants,
               seed=game.get("seed") if drawn else None,
               winners=game.get("winners") if drawn else None,
               algorithm="winners = the k entrants with the smallest "
                         "sha256(seed || 0x00 || buyer_id); commitment = sha256(seed)")
    return out


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}


def create_connector(cmd: cmds.CreateConnector, uow: Any, ctx: Context) -> dict[str, Any]:
    # The signing secret lets its holder ingest comments: a role that may configure but not
    # ingest (ops, cs) must not be able to mint one.
    ctx.actor.require("comments.ingest")
    if cmd.kind != "webhook":
        raise Invalid("kind: webhook", field="kind")
    uow.sessions.get(cmd.session_id)
    connector = {"id": new_id(), "session_id": cmd.session_id, "kind": cmd.kind,
                 "secret": secrets.token_hex(32), "created_by": ctx.actor.name,
                 "created_at": ctx.clock.now()}
    CommentsRepo(uow.conn).add_connector(**connector)
    uow.audit.record(ctx.actor, "comments.connector.create", session_id=cmd.session_id,
                     target=connector["id"], after={"kind": cmd.kind})
    uow.commit()
    return {**connector, "created_at": connector["created_at"].isoformat()}


def handlers_for(rooms: RoomRegistry) -> dict[type, Any]:
    with_rooms = functools.partial
    return {
        cmds.AnswerCard: with_rooms(act_on_card, rooms=rooms),
        cmds.AssignCard: with_rooms(act_on_card, rooms=rooms),
        cmds.DismissCard: with_rooms(act_on_card, rooms=rooms),
        cmds.PutFaq: with_rooms(put_faq, rooms=rooms),
        cmds.SetAutoReply: with_rooms(set_autoreply, rooms=rooms),
        cmds.ModerateBuyer: with_rooms(moderate, rooms=rooms),
        cmds.CreateLottery: with_rooms(create_lottery, rooms=rooms),
        cmds.DrawLottery: with_rooms(draw_lottery, rooms=rooms),
        cmds.HideComment: hide,
        cmds.OpenTicket: open_ticket,
        cmds.CreateConnector: create_connector,
        **TICKET_HANDLERS,
    }
