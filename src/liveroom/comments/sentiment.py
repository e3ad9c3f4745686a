"""Sentiment neg/neu/pos: live-room lexicon scores for Chinese, VADER for English.

Why not snownlp's model: its corpus is product reviews with only pos/neg labels, so it
pushes the neutral majority of live comments ("几号链接", "来了") to one pole. The lexicon
counts come for free from the fast-path automaton; VADER runs only on English/mixed text.
"""

from __future__ import annotations

from functools import lru_cache

from liveroom.comments.model import Language, Sentiment

POS_THRESHOLD = 0.2
NEG_THRESHOLD = -0.2


@lru_cache(maxsize=1)
def _vader():  # noqa: ANN202 - vaderSentiment ships no types
    # Loaded on first English comment: reading the lexicon is I/O we keep off import time.
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=50_000)
def vader_compound(text: str) -> float:
    return float(_vader().polarity_scores(text)["compound"])


def lexicon_score(pos: float, neg: float) -> float:
    return (pos - neg) / (pos + neg + 1.0)


def decide(
    *,
    pos: float,
    neg: float,
    intent: str,
    question: bool,
    risky: bool,
    language: Language,
    text: str,
) -> tuple[Sentiment, float]:
    """Combine lexicon, VADER and what the comment is doing (its intent)."""
    score = lexicon_score(pos, neg)
    if language != "zh":
        compound = vader_compound(text)
        score = compound if language == "en" else (score + compound) / 2
    if risky or intent == "complaint":
        return "neg", min(score, -0.5)
    if intent == "technical":
        # A broken stream or payment is a frustration even when worded flatly ("卡了").
        return "neg", min(score, -0.3)
    if question and score > NEG_THRESHOLD and neg == 0:
        # "好看吗" / "is it good?" contain positive words but ask, they do not praise.
        return "neu", 0.0
    if score >= POS_THRESHOLD:
        return "pos", score
    if score <= NEG_THRESHOLD:
        return "neg", score
    return "neu", score
