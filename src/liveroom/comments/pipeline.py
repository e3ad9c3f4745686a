"""CommentAnalyzer: the one object request handlers call.

Flow per batch: normalise (one translate) -> fast automaton scores (one scan) -> learned model
only for the comments the rules are unsure about (one batched predict) -> risk terms ->
sentiment -> item reference -> FAQ for questions (one batched encode). Results are cached
by raw text because live rooms repeat themselves ("扣1", "666", "多少钱").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from liveroom.comments import rules
from liveroom.comments.encoder import SentenceEncoder
from liveroom.comments.faq import FaqMatcher
from liveroom.comments.itemref import extract_item_ref, is_bare_purchase_number
from liveroom.comments.learned import DEFAULT_MODEL_DIR, IntentModel
from liveroom.comments.model import INTENTS, QUESTION_INTENTS, CommentAnalysis, FaqEntry
from liveroom.comments.normalize import detect_language, normalize_many
from liveroom.comments.risk import RiskLexicon
from liveroom.comments.sentiment import decide

# Blend when the rules are unsure: the model generalises to unseen phrasing, the rules
# carry the live-room lexicon; neither alone was as good on the training set.
MODEL_WEIGHT = 0.6
SPAM_MIN_SCORE = 3.0
_CACHE_LIMIT = 200_000


class CommentAnalyzer:
    def __init__(
        self,
        faq: Iterable[FaqEntry] = (),
        risk_terms: RiskLexicon | None = None,
        *,
        use_model: bool = True,
        use_encoder: bool = True,
        model_dir: Path | None = DEFAULT_MODEL_DIR,
        faq_threshold: float | None = None,
    ) -> None:
        self.risk = risk_terms if risk_terms is not None else RiskLexicon()
        self._fast = rules.FastClassifier()
        self._model = IntentModel(model_dir=model_dir) if use_model else None
        encoder = SentenceEncoder(enabled=use_encoder)
        self._faq = FaqMatcher(encoder=encoder, intent_of=self._intents_only)
        if faq_threshold is not None:
            self._faq.threshold = faq_threshold
        self.set_faq(faq)
        self._cache: dict[str, CommentAnalysis] = {}
        self._cache_risk_version = self.risk.version

    # -- configuration -------------------------------------------------------------------
    def set_faq(self, entries: Iterable[FaqEntry]) -> None:
        self._faq.set_entries(list(entries))
        self._cache = {}

    @property
    def faq(self) -> list[FaqEntry]:
        return self._faq.entries

    # -- analysis ------------------------------------------------------------------------
    def analyze(self, text: str) -> CommentAnalysis:
        return self.analyze_batch([text])[0]

    def analyze_batch(self, texts: Sequence[str]) -> list[CommentAnalysis]:
        if self.risk.version != self._cache_risk_version:
            self._cache, self._cache_risk_version = {}, self.risk.version
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if todo:
            if len(self._cache) + len(todo) > _CACHE_LIMIT:
                self._cache = {}
            self._cache.update(zip(todo, self._analyze_uncached(todo), strict=True))
        return [self._cache[t] for t in texts]

    def classify_intents(self, texts: Sequence[str]) -> list[str]:
        """Intent labels only (rules + model), without risk, sentiment or FAQ."""
        return self._intents_only(normalize_many(list(texts)))

    def _intents_only(self, normalized: list[str]) -> list[str]:
        scores = self._fast.score(normalized)
        intent, _, _ = self._resolve(normalized, scores)
        return [INTENTS[i] for i in intent]

    def _resolve(
        self, normalized: list[str], scores: rules.FastScores
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        intent = scores.intent.copy()
        confidence = scores.confidence.astype(np.float64)
        from_model = np.zeros(len(normalized), dtype=bool)
        for row, text in enumerate(normalized):
            if is_bare_purchase_number(text):
                intent[row], confidence[row] = rules.PURCHASE, 0.9
                scores.sure[row] = True
        unsure = np.flatnonzero(~scores.sure)
        if self._model is not None and len(unsure):
            proba = self._model.predict_proba([normalized[i] for i in unsure])
            rule_part = scores.features[unsure, : rules.N_INTENTS]
            rule_proba = _softmax(rule_part)
            blended = MODEL_WEIGHT * proba + (1 - MODEL_WEIGHT) * rule_proba
            intent[unsure] = blended.argmax(axis=1)
            confidence[unsure] = blended.max(axis=1)
            from_model[unsure] = True
            # No live-room vocabulary and no question cue ("外面下雨了", "嗯嗯"): small talk,
            # unless the model is clearly sure of something else.
            silent = (rule_part.max(axis=1) <= 0) & ~scores.question[unsure]
            weak = proba.max(axis=1) < 0.55
            intent[unsure[silent & weak]] = rules.CHITCHAT
        return intent, confidence, from_model

    def _analyze_uncached(self, texts: list[str]) -> list[CommentAnalysis]:
        normalized = normalize_many(texts)
        scores = self._fast.score(normalized)
        intent_idx, confidence, from_model = self._resolve(normalized, scores)
        risk_terms = self.risk.find_many(normalized)
        languages = [detect_language(t) for t in normalized]
        intents = [INTENTS[i] for i in intent_idx]
        question_rows = [i for i, name in enumerate(intents) if name in QUESTION_INTENTS]
        matches = self._faq.match_many(
            [normalized[i] for i in question_rows], [intents[i] for i in question_rows]
        )
        faq_by_row = dict(zip(question_rows, matches, strict=True))
        feats = scores.features
        out: list[CommentAnalysis] = []
        for row, text in enumerate(texts):
            name = intents[row]
            terms = risk_terms[row]
            sentiment, sentiment_score = decide(
                pos=float(feats[row, rules.POS]),
                neg=float(feats[row, rules.NEG]),
                intent=name,
                question=bool(scores.question[row]),
                risky=bool(terms),
                language=languages[row],
                text=text,
            )
            purchase = name == "purchase_intent" or (
                feats[row, rules.PURCHASE] >= 2.5 and not scores.question[row]
            )
            if terms and name in ("purchase_intent", "chitchat"):
                # An asserted risk term ("我要找消协") is a complaint whatever else it says.
                name = "complaint"
            spam = bool(feats[row, rules.SPAM] >= SPAM_MIN_SCORE)
            if spam:
                # An advert is neither a question for the host nor a purchase.
                name, purchase = "chitchat", False
            match = faq_by_row.get(row) if not spam else None
            out.append(
                CommentAnalysis(
                    intent=name,
                    sensitive=bool(terms),
                    risk_terms=terms,
                    sentiment=sentiment,
                    sentiment_score=round(float(sentiment_score), 3),
                    purchase_intent=bool(purchase),
                    item_ref=extract_item_ref(text) if purchase else None,
                    language=languages[row],
                    spam=spam,
                    faq_id=match.faq_id if match else None,
                    reply=match.answer if match else None,
                    confidence=round(float(confidence[row]), 3),
                    source="model" if from_model[row] else "rules",
                )
            )
        return out


def _softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)
