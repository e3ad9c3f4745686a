"""Events of live-comment intelligence (past tense), published through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from liveroom.core.messages import Event


@dataclass(frozen=True)
class CommentEvent(Event):
    stream: ClassVar[str] = "comments"


@dataclass(frozen=True)
class CommentsIngested(CommentEvent):
    """One per session and batch; per-comment events would multiply the outbox by 1,000."""

    session_id: str
    count: int
    questions: int
    sensitive: int
    purchase_intents: int
    negative: int


@dataclass(frozen=True)
class CommentAlertRaised(CommentEvent):
    session_id: str
    alert_id: str
    kind: str
    severity: str
    message: str
    comment_ids: list[str]


@dataclass(frozen=True)
class QuestionCardChanged(CommentEvent):
    session_id: str
    card_id: str
    status: str
    assignee: str | None
    answer: str | None


@dataclass(frozen=True)
class BuyerModerated(CommentEvent):
    session_id: str
    buyer_id: str
    kind: str
    until: str | None
    reason: str


@dataclass(frozen=True)
class CommentHidden(CommentEvent):
    session_id: str
    comment_id: str
    reason: str


@dataclass(frozen=True)
class TicketOpened(CommentEvent):
    session_id: str
    ticket_id: str
    comment_id: str | None
    buyer_id: str


@dataclass(frozen=True)
class TicketChanged(CommentEvent):
    session_id: str
    ticket_id: str
    action: str  # respond | assign | close
    status: str


@dataclass(frozen=True)
class LotteryCreated(CommentEvent):
    session_id: str
    lottery_id: str
    kind: str
    keyword: str
    commitment: str
    starts_at: str
    ends_at: str


@dataclass(frozen=True)
class LotteryDrawn(CommentEvent):
    session_id: str
    lottery_id: str
    seed: str
    winners: list[str]
    entrants: int


@dataclass(frozen=True)
class AutoReplySent(CommentEvent):
    session_id: str
    faq_id: str
    text: str
    reply_to: str


@dataclass(frozen=True)
class CommentReplied(CommentEvent):
    session_id: str
    reply_id: str
    comment_id: str
    buyer_id: str
    text: str
