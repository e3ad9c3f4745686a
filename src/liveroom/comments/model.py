"""Typed domain objects for live comments. Plain dataclasses, no framework imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Intent = Literal[
    "product_question",
    "price_question",
    "logistics_question",
    "aftersales",
    "purchase_intent",
    "complaint",
    "technical",
    "chitchat",
]
Sentiment = Literal["neg", "neu", "pos"]
Language = Literal["zh", "en", "mixed"]

# Order matters: array columns in the fast classifier follow this tuple.
INTENTS: tuple[Intent, ...] = (
    "product_question",
    "price_question",
    "logistics_question",
    "aftersales",
    "purchase_intent",
    "complaint",
    "technical",
    "chitchat",
)
QUESTION_INTENTS: frozenset[str] = frozenset(
    {"product_question", "price_question", "logistics_question", "aftersales", "technical"}
)


@dataclass(frozen=True, slots=True)
class Comment:
    """One danmaku as a connector delivers it; ``ts`` is timezone-aware UTC."""

    id: str
    session_id: str | None
    buyer_id: str
    nickname: str
    text: str
    ts: datetime


@dataclass(frozen=True, slots=True)
class FaqEntry:
    id: str
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class FaqMatch:
    faq_id: str | None
    answer: str | None
    confidence: float


@dataclass(frozen=True, slots=True)
class CommentAnalysis:
    intent: Intent
    sensitive: bool
    risk_terms: list[str] = field(default_factory=list)
    sentiment: Sentiment = "neu"
    sentiment_score: float = 0.0  # -1 (negative) .. +1 (positive)
    purchase_intent: bool = False
    item_ref: str | None = None  # "2" for "2号", or a spec such as "粉色M码"
    language: Language = "zh"
    spam: bool = False
    faq_id: str | None = None
    reply: str | None = None
    confidence: float = 0.0  # of the intent label, 0..1
    source: Literal["rules", "model", "cache"] = "rules"

    @property
    def is_question(self) -> bool:
        return self.intent in QUESTION_INTENTS
