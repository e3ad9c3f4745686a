"""How comment batches, console actions on a room and their answers travel through the
distributed comment log (JSON in a Redis stream entry and in an answer list)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from liveroom.comments import commands as cmds
from liveroom.comments.ingest import IncomingComment
from liveroom.comments.ports import IngestOutcome, OwnerUnavailable
from liveroom.core.errors import DomainError
from liveroom.core.messages import Command
from liveroom.identity.model import Actor, Role

# Console actions that change a room: they go through the session's log, in order with its
# comments, and are applied by the room's owner.
ROOM_COMMANDS: dict[str, type[Command]] = {cls.__name__: cls for cls in (
    cmds.AnswerCard, cmds.AssignCard, cmds.DismissCard, cmds.PutFaq, cmds.SetAutoReply,
    cmds.ModerateBuyer, cmds.CreateLottery, cmds.DrawLottery)}


class LeaseLost(Exception):  # noqa: N818 — a state, not a failure of the caller
    """The fence refused this owner's commit (or its lease ran out): another process owns
    the room now. Nothing of the transaction was committed."""


class RemoteError(DomainError):
    """A domain error raised by the room's owner, carried back to the request's process."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any]) -> None:
        super().__init__(message, code=code, **details)
        self.status = status


def encode_items(items: list[IncomingComment]) -> list[dict[str, Any]]:
    return [{"client_id": i.client_id, "buyer_id": i.buyer_id, "nickname": i.nickname,
             "text": i.text, "ts": i.ts.isoformat()} for i in items]


def decode_items(body: list[dict[str, Any]]) -> list[IncomingComment]:
    return [IncomingComment(i["client_id"], i["buyer_id"], i["nickname"], i["text"],
                            datetime.fromisoformat(i["ts"])) for i in body]


def encode_command(cmd: Command, actor: Actor) -> dict[str, Any]:
    return {"cmd": type(cmd).__name__, "fields": asdict(cmd),  # type: ignore[call-overload]
            "actor": {"id": actor.id, "name": actor.name, "role": actor.role.value}}


def decode_command(body: dict[str, Any]) -> tuple[Command, Actor]:
    who = body["actor"]
    return (ROOM_COMMANDS[body["cmd"]](**body["fields"]),
            Actor(who["id"], who["name"], Role(who["role"])))


def error_json(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, DomainError):
        return {"error": {"status": exc.status, "code": exc.code, "message": exc.message,
                          "details": exc.details}}
    return {"error": {"status": 503, "code": "comments_store_unavailable",
                      "message": f"comments not stored: {exc.__class__.__name__}",
                      "details": {}}}


def raise_if_error(answer: dict[str, Any] | None, what: str) -> dict[str, Any]:
    if answer is None:
        raise OwnerUnavailable(f"{what}: no owner of the room answered in time; retrying "
                               "with the same ids is safe")
    error = answer.get("error")
    if error is not None:
        raise RemoteError(int(error["status"]), error["code"], error["message"],
                          error.get("details") or {})
    return answer


def decode_outcome(answer: dict[str, Any] | None) -> IngestOutcome:
    out = raise_if_error(answer, "comments")
    return IngestOutcome(int(out["accepted"]), list(out["duplicates"]), list(out["ids"]))
