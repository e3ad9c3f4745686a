"""One live session's comment state, in memory: analyzer, question queue, alert monitor,
moderation, open keyword games and the auto-reply budget.

Everything here is plain Python and deterministic in the order comments are fed, so the
state can be rebuilt by replaying the stored comments (and card actions) in ``seq`` order.
The caller serialises access (one lock per room); nothing here does I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from liveroom.comments.alerts import Alert
from liveroom.comments.alerts_incremental import IncrementalAlertMonitor
from liveroom.comments.autoreply import AutoReplyPolicy
from liveroom.comments.flood_incremental import IncrementalFloodDetector
from liveroom.comments.ids import new_ids
from liveroom.comments.ingest import IncomingComment
from liveroom.comments.model import Comment, CommentAnalysis
from liveroom.comments.moderation import Moderation
from liveroom.comments.normalize import normalize
from liveroom.comments.pipeline import CommentAnalyzer
from liveroom.comments.queue import QuestionCard, QuestionQueue

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ProcessedComment:
    comment: Comment
    analysis: CommentAnalysis
    seq: int
    client_id: str | None
    queued: bool
    flagged: str | None
    card_id: str | None = None  # local card id when the question joined/created a card


@dataclass(frozen=True, slots=True)
class LotteryWindow:
    id: str
    keyword: str  # normalised, spaces removed: the same test as lottery.KeywordLottery
    start: datetime
    end: datetime

    def matches(self, comment: Comment) -> bool:
        return (self.start <= comment.ts <= self.end
                and self.keyword in normalize(comment.text).replace(" ", ""))


@dataclass(frozen=True, slots=True)
class Reply:
    faq_id: str
    text: str
    reply_to: str
    buyer_id: str
    ts: datetime


@dataclass(frozen=True, slots=True)
class CardAction:
    card: str
    action: str  # answer | assign | dismiss
    value: str | None
    after_seq: int


@dataclass
class RoomBatch:
    processed: list[ProcessedComment] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    entries: list[tuple[str, str, str, datetime]] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)


class Room:
    def __init__(self, session_id: str, analyzer: CommentAnalyzer) -> None:
        self.session_id = session_id
        self.analyzer = analyzer
        self.queue = QuestionQueue()
        # O(1)-per-comment windows (see alerts_incremental.py / flood_incremental.py).
        self.monitor = IncrementalAlertMonitor(flood=IncrementalFloodDetector())
        self.moderation = Moderation()
        self.autoreply = AutoReplyPolicy()
        self.lotteries: dict[str, LotteryWindow] = {}
        self.seq = 0
        self._client_ids: set[str] = set()
        self._entered: set[tuple[str, str]] = set()
        # Paid GMV (fen) per buyer in this session: the queue's "buyer value". Replaced
        # wholesale by a periodic refresh from the orders table and bumped by OrderPaid
        # events in between; the hot path only reads it.
        self.buyer_values: dict[str, int] = {}

    def buyer_value(self, buyer_id: str) -> float:
        return float(self.buyer_values.get(buyer_id, 0))

    def set_buyer_values(self, values: dict[str, int]) -> None:
        self.buyer_values = values  # one reference swap: readers see old or new, not a mix

    def add_paid(self, buyer_id: str, total_fen: int) -> None:
        values = self.buyer_values
        values[buyer_id] = values.get(buyer_id, 0) + total_fen

    def open_cards(self) -> list[QuestionCard]:
        """The host's queue, ranked with buyer values as they are now: a viewer who pays
        after asking lifts the card they asked on."""
        return self.queue.open_cards(self.buyer_value)

    # -- the hot path ---------------------------------------------------------------------
    def process(self, incoming: list[IncomingComment]) -> RoomBatch:
        return self.process_many([incoming])[0]

    def process_many(self, groups: list[list[IncomingComment]]) -> list[RoomBatch]:
        """Several requests' comments in arrival order, analysed in one analyzer call: the
        analyzer and the sentence encoder cost less per comment in larger batches. The
        result is the same as processing the groups one after another."""
        batches = [RoomBatch() for _ in groups]
        fresh: list[tuple[RoomBatch, IncomingComment]] = []
        for batch, items in zip(batches, groups, strict=True):
            for item in items:
                if item.client_id is not None:
                    if item.client_id in self._client_ids:
                        batch.duplicates.append(item.client_id)
                        continue
                    self._client_ids.add(item.client_id)
                fresh.append((batch, item))
        analyses = self.analyzer.analyze_batch([item.text for _, item in fresh])
        ids = new_ids(len(fresh))
        for (batch, item), analysis, comment_id in zip(fresh, analyses, ids, strict=True):
            self.seq += 1
            comment = Comment(comment_id, self.session_id, item.buyer_id, item.nickname,
                              item.text, item.ts)
            flagged = self.moderation.flag(item.buyer_id, item.ts)
            card = None
            if flagged is None:
                card = self.queue.add(comment, analysis, self.buyer_value(item.buyer_id))
                batch.alerts.extend(self.monitor.process(comment, analysis))
                self._games(comment, batch)
                self._reply(comment, analysis, batch)
            batch.processed.append(ProcessedComment(
                comment, analysis, self.seq, item.client_id, queued=flagged is None,
                flagged=flagged, card_id=card.id if card else None))
        return batches

    def _games(self, comment: Comment, batch: RoomBatch) -> None:
        for game in self.lotteries.values():
            key = (game.id, comment.buyer_id)
            if key not in self._entered and game.matches(comment):
                self._entered.add(key)  # one entry per buyer; the table upserts as well
                batch.entries.append((game.id, comment.buyer_id, comment.id, comment.ts))

    def _reply(self, comment: Comment, analysis: CommentAnalysis, batch: RoomBatch) -> None:
        if analysis.faq_id is None or analysis.reply is None:
            return
        if self.autoreply.allow(analysis.faq_id, comment.ts):
            text = f"@{comment.nickname or comment.buyer_id} {analysis.reply}"
            batch.replies.append(Reply(analysis.faq_id, text, comment.id, comment.buyer_id,
                                       comment.ts))

    def open_game(self, game: LotteryWindow, entered: Iterable[str] = ()) -> None:
        self.lotteries[game.id] = game
        self._entered.update((game.id, buyer) for buyer in entered)

    def close_game(self, game_id: str) -> None:
        self.lotteries.pop(game_id, None)

    # -- console actions on cards (public id "<session>.<local>") --------------------------
    def public_id(self, card: QuestionCard) -> str:
        return f"{self.session_id}.{card.id}"

    def act(self, local: str, action: str, value: str | None) -> QuestionCard:
        if action == "answer":
            return self.queue.answer(local, value or "")
        if action == "assign":
            return self.queue.assign(local, value or "")
        if action == "dismiss":
            return self.queue.dismiss(local)
        raise ValueError(f"unknown card action {action!r}")

    # -- rebuild from storage -------------------------------------------------------------
    def replay(self, rows: Iterable[ProcessedComment], actions: list[CardAction]) -> None:
        """Feed stored comments back in seq order; card actions go in after the comment
        they followed, so later questions land on the same (or a new) card as they did."""
        pending = sorted(actions, key=lambda a: a.after_seq)
        index = 0
        for row in rows:
            while index < len(pending) and pending[index].after_seq < row.seq:
                self._replay_action(pending[index])
                index += 1
            self.seq = row.seq
            if row.client_id is not None:
                self._client_ids.add(row.client_id)
            if row.queued:
                self.queue.add(row.comment, row.analysis)
                self.monitor.process(row.comment, row.analysis)  # state only; alerts stored
        for action in pending[index:]:
            self._replay_action(action)

    def _replay_action(self, action: CardAction) -> None:
        try:
            self.act(action.card, action.action, action.value)
        except (KeyError, ValueError) as exc:
            # The action is recorded; a card that replays differently (e.g. the clustering
            # rules changed between versions) must not stop the room from loading.
            log.warning("room %s: card action %s on %s not replayed: %s", self.session_id,
                        action.action, action.card, exc)
