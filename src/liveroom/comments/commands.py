"""Commands of live-comment intelligence (console, customer service, configuration)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from liveroom.core.messages import Command


@dataclass(frozen=True)
class CardCommand(Command):
    card_id: str  # "<session id>.<local card id>"


@dataclass(frozen=True)
class AnswerCard(CardCommand):
    action: ClassVar[str] = "comments.answer"
    text: str = ""


@dataclass(frozen=True)
class AssignCard(CardCommand):
    action: ClassVar[str] = "comments.moderate"
    assignee: str = ""


@dataclass(frozen=True)
class DismissCard(CardCommand):
    action: ClassVar[str] = "comments.answer"


@dataclass(frozen=True)
class PutFaq(Command):
    action: ClassVar[str] = "comments.configure"
    session_id: str
    entries: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class SetAutoReply(Command):
    action: ClassVar[str] = "comments.configure"
    session_id: str
    enabled: bool
    max_per_minute: int


@dataclass(frozen=True)
class ModerateBuyer(Command):
    action: ClassVar[str] = "comments.moderate"
    session_id: str
    buyer_id: str
    kind: str  # mute | ban
    minutes: int | None
    reason: str


@dataclass(frozen=True)
class HideComment(Command):
    action: ClassVar[str] = "comments.moderate"
    comment_id: str
    reason: str


@dataclass(frozen=True)
class OpenTicket(Command):
    action: ClassVar[str] = "comments.moderate"
    comment_id: str
    subject: str | None = None
    assignee: str | None = None


@dataclass(frozen=True)
class RespondTicket(Command):
    action: ClassVar[str] = "comments.moderate"
    ticket_id: str
    message: str


@dataclass(frozen=True)
class AssignTicket(Command):
    action: ClassVar[str] = "comments.moderate"
    ticket_id: str
    assignee: str


@dataclass(frozen=True)
class CloseTicket(Command):
    action: ClassVar[str] = "comments.moderate"
    ticket_id: str
    resolution: str


@dataclass(frozen=True)
class CreateLottery(Command):
    action: ClassVar[str] = "comments.games"
    session_id: str
    keyword: str
    kind: str
    winners: int
    amount_fen: int | None
    duration_seconds: int


@dataclass(frozen=True)
class DrawLottery(Command):
    action: ClassVar[str] = "comments.games"
    lottery_id: str


@dataclass(frozen=True)
class CreateConnector(Command):
    action: ClassVar[str] = "comments.configure"
    session_id: str
    kind: str = "webhook"


@dataclass(frozen=True)
class ReplyToComment(Command):
    """An operator's public answer to one comment, said in the room."""

    action: ClassVar[str] = "comments.answer"
    session_id: str
    comment_id: str
    text: str
