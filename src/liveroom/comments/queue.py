"""The host's question queue: unanswered questions clustered into cards and prioritised.

Cards are immutable; answer/assign/dismiss are pure transitions returning a new card. The
queue object only keeps the current card per id and the clustering index.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
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
_EMPTY: frozenset[str] = frozenset()


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
        self._order: dict[str, int] = {}  # card id -> creation number (tie-break)
        # Open cards only, per intent: gram -> ids of the cards holding it. A scan over every
        # card per question made the queue O(cards) and the session slower as it went on.
        self._index: dict[str, dict[str, set[str]]] = {}

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
        """The open card of this intent whose grams are most similar (Jaccard ≥ SIMILARITY)
        to the text's; on equal scores the newest card wins, as a linear scan would pick.

        Exact, not approximate: J(A, B) ≥ t implies |A ∩ B| ≥ t·|A| (the union is at least
        |A|), so B lacks at most |A| - ceil(t·|A|) of A's grams and must hold at least one
        of any |A| - ceil(t·|A|) + 1 of them. Probing only that many of A's grams, the ones
        held by the fewest cards, finds every card that can qualify; the candidates are then
        scored exactly. Random numbers and product names make those grams rare, so a
        question looks at a handful of cards instead of all of them."""
        postings = self._index.get(intent)
        grams = char_ngrams(text)
        if not postings or not grams:
            return None
        size = len(grams)
        probes = size - math.ceil(SIMILARITY * size - 1e-9) + 1
        lists = sorted((postings.get(g, _EMPTY) for g in grams), key=len)[:probes]
        # (Counting hits over one more list to demand two of them was tried: the extra list
        # is usually a common gram held by every card of the template, so it cost more.)
        candidates = set().union(*lists)
        best, best_score, best_order = None, SIMILARITY, -1
        for card_id in candidates:
            other = self._grams[card_id]
            common = len(grams & other)
            score = common / (size + len(other) - common)
            order = self._order[card_id]
            if score > best_score or (score == best_score and order > best_order):
                best, best_score, best_order = card_id, score, order
        return best

    def _index_card(self, card: QuestionCard) -> None:
        postings = self._index.setdefault(card.intent, {})
        for gram in self._grams[card.id]:
            postings.setdefault(gram, set()).add(card.id)

    def _unindex_card(self, card: QuestionCard) -> None:
        postings = self._index.get(card.intent, {})
        for gram in self._grams[card.id]:
            holders = postings.get(gram)
            if holders is not None:
                holders.discard(card.id)
                if not holders:
                    del postings[gram]

    def _new_card(
        self, comment: Comment, analysis: CommentAnalysis, key: str, buyer_value: float
    ) -> QuestionCard:
        number = next(self._ids)
        card_id = f"q{number}"
        self._grams[card_id] = char_ngrams(normalize(comment.text))
        self._order[card_id] = number
        card = QuestionCard(
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
        self._index_card(card)
        return card

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
        # Transitions only ever leave "open" (never return), so unindex once on the way out.
        if card.status != "open" and self._cards[card.id].status == "open":
            self._unindex_card(card)
        self._cards[card.id] = card
        return card

    def open_cards(self, value_of: Callable[[str], float] | None = None) -> list[QuestionCard]:
        """Cards still waiting for the host, most urgent first. With ``value_of`` (buyer id →
        value now) each card's buyer value is re-read from its askers, so spending after
        asking counts; without it, the values seen when the questions came in."""
        waiting = [c for c in self._cards.values() if c.status in ("open", "assigned")]
        if value_of is not None:
            waiting = [_revalued(c, value_of) for c in waiting]
        return sorted(waiting, key=lambda c: c.priority)


def _revalued(card: QuestionCard, value_of: Callable[[str], float]) -> QuestionCard:
    value = max((value_of(buyer) for buyer in card.askers), default=0.0)
    return card if value <= card.buyer_value else replace(card, buyer_value=value)
