"""The host's question queue: unanswered questions clustered into cards and prioritised.

Cards are immutable; answer/assign/dismiss are pure transitions returning a new card. The
queue object only keeps the current card per id and the clustering index.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from liveroom.comments.model import Comment, CommentAnalysis
from liveroom.comments.normalize import char_ngrams, normalize, question_key

CardStatus = Literal["open", "assigned", "answered", "dismissed"]
# Lower is more urgent: a viewer who cannot pay is lost revenue right now.
URGENCY: dict[str, int] = {
    "payment": 0,
    "technical": 1,
    "aftersales": 2,
    "price_question": 3,
    "product_question": 4,
    "logistics_question": 5,
}
PAYMENT_WORDS = ("付款", "支付", "付不了", "结算", "下单", "下不了", "pay", "checkout", "付钱")
MAX_SAMPLES = 5
MAX_ASKERS = 50
SIMILARITY = 0.6


class InvalidTransition(ValueError):
    code = "question_card_invalid_transition"


@dataclass(frozen=True, slots=True)
class QuestionCard:
    id: str
    key: str
    intent: str
    urgency: int
    count: int
    samples: tuple[str, ...]
    askers: tuple[str, ...]
    comment_ids: tuple[str, ...]
    first_ts: datetime
    last_ts: datetime
    buyer_value: float = 0.0  # the highest value among askers (e.g. member tier, spend)
    status: CardStatus = "open"
    assignee: str | None = None
    answer: str | None = None

    @property
    def priority(self) -> tuple[int, int, float, datetime]:
        return (self.urgency, -self.count, -self.buyer_value, self.first_ts)


def answer(card: QuestionCard, text: str) -> QuestionCard:
    if card.status in ("answered", "dismissed"):
        raise InvalidTransition(f"card {card.id} is already {card.status}")
    return replace(card, status="answered", answer=text)


def assign(card: QuestionCard, assignee: str) -> QuestionCard:
    if card.status != "open":
        raise InvalidTransition(f"card {card.id} is {card.status}, only open cards are assigned")
    return replace(card, status="assigned", assignee=assignee)


def dismiss(card: QuestionCard) -> QuestionCard:
    if card.status in ("answered", "dismissed"):
        raise InvalidTransition(f"card {card.id} is already {card.status}")
    return replace(card, status="dismissed")


def urgency_of(intent: str, text: str) -> int:
    lowered = text.lower()
    if intent == "technical" and any(word in lowered for word in PAYMENT_WORDS):
        return URGENCY["payment"]
    return URGENCY.get(intent, len(URGENCY))


class QuestionQueue:
    def __init__(self) -> None:
        self._cards: dict[str, QuestionCard] = {}
        self._by_key: dict[str, str] = {}
        self._grams: dict[str, set[str]] = {}
        self._ids = itertools.count(1)

    def add(
        self, comment: Comment, analysis: CommentAnalysis, buyer_value: float = 0.0
    ) -> QuestionCard | None:
        """Queue a question the FAQ could not answer; returns its (new or grown) card."""
        if not analysis.is_question or analysis.faq_id is not None or analysis.spam:
            return None
        text = normalize(comment.text)
        key = f"{analysis.intent}:{question_key(text) or text}"
        card_id = self._by_key.get(key) or self._similar(analysis.intent, text)
        card = self._cards.get(card_id) if card_id else None
        if card is None or card.status != "open":
            card = self._new_card(comment, analysis, key, buyer_value)
        else:
            card = self._grow(card, comment, buyer_value)
        self._cards[card.id] = card
        self._by_key[key] = card.id
        return card

    def _similar(self, intent: str, text: str) -> str | None:
        grams = char_ngrams(text)
        best, best_score = None, SIMILARITY
        for card_id, other in self._grams.items():
            card = self._cards[card_id]
            if card.status != "open" or card.intent != intent or not other:
                continue
            score = len(grams & other) / len(grams | other)
            if score >= best_score:
                best, best_score = card_id, score
        return best

    def _new_card(
        self, comment: Comment, analysis: CommentAnalysis, key: str, buyer_value: float
    ) -> QuestionCard:
        card_id = f"q{next(self._ids)}"
        self._grams[card_id] = char_ngrams(normalize(comment.text))
        return QuestionCard(
            id=card_id,
            key=key,
            intent=analysis.intent,
            urgency=urgency_of(analysis.intent, comment.text),
            count=1,
            samples=(comment.text,),
            askers=(comment.buyer_id,),
            comment_ids=(comment.id,),
            first_ts=comment.ts,
            last_ts=comment.ts,
            buyer_value=buyer_value,
        )

    def _grow(self, card: QuestionCard, comment: Comment, buyer_value: float) -> QuestionCard:
        new_asker = comment.buyer_id not in card.askers
        samples = card.samples
        if len(samples) < MAX_SAMPLES and comment.text not in samples:
            samples = (*samples, comment.text)
        askers = card.askers
        if new_asker and len(askers) < MAX_ASKERS:
            askers = (*askers, comment.buyer_id)
        return replace(
            card,
            count=card.count + (1 if new_asker else 0),  # count people, not repeats
            samples=samples,
            askers=askers,
            comment_ids=(*card.comment_ids, comment.id),
            last_ts=max(card.last_ts, comment.ts),
            buyer_value=max(card.buyer_value, buyer_value),
            urgency=min(card.urgency, urgency_of(card.intent, comment.text)),
        )

    # -- operations: pure transitions applied to the stored card ----------------------
    def get(self, card_id: str) -> QuestionCard:
        return self._cards[card_id]

    def answer(self, card_id: str, text: str) -> QuestionCard:
        return self._store(answer(self._cards[card_id], text))

    def assign(self, card_id: str, assignee: str) -> QuestionCard:
        return self._store(assign(self._cards[card_id], assignee))

    def dismiss(self, card_id: str) -> QuestionCard:
        return self._store(dismiss(self._cards[card_id]))

    def _store(self, card: QuestionCard) -> QuestionCard:
        self._cards[card.id] = card
        return card

    def open_cards(self) -> list[QuestionCard]:
        """Cards still waiting for the host, most urgent first."""
        waiting = [c for c in self._cards.values() if c.status in ("open", "assigned")]
        return sorted(waiting, key=lambda c: c.priority)
