"""CommentAnalyzer: the one object request handlers call.

Flow per batch: normalise (one lookup-table pass) -> fast automaton scores (one scan) ->
learned model only for the comments the rules are unsure about (one vectorised predict) ->
risk terms -> sentiment, purchase, spam (vectorised) -> item reference (purchases only) ->
FAQ for questions (one batched encode). Results are cached by raw text because live rooms
repeat themselves ("扣1", "666", "多少钱").
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from liveroom.comments import rules
from liveroom.comments.abuse import is_abuse
from liveroom.comments.encoder import SentenceEncoder
from liveroom.comments.faq import FaqMatcher
from liveroom.comments.faq_concepts import concept_tags, topics
from liveroom.comments.itemref import extract_item_ref, is_bare_purchase_number
from liveroom.comments.learned import DEFAULT_MODEL_DIR, IntentModel
from liveroom.comments.model import (
    INTENTS,
    QUESTION_INTENTS,
    CommentAnalysis,
    FaqEntry,
    FaqMatch,
    Language,
)
from liveroom.comments.normalize import detect_language, normalize_many
from liveroom.comments.risk import RiskLexicon, asserts, doubts
from liveroom.comments.sentiment import decide_many, english_compound

# Blend when the rules are unsure: the model generalises to unseen phrasing, the rules
# carry the live-room lexicon; neither alone was as good on the training set.
MODEL_WEIGHT = 0.6
SPAM_MIN_SCORE = 3.0
# A comment without live-room vocabulary or a question cue is small talk unless the model is
# at least this sure of another intent.
SILENT_MODEL_MIN = 0.35
# A comment with an insult, accusation or threat is a complaint unless what remains without
# them is a clear ask: a question the rules/model are this sure of, or a demand (refund,
# exchange, shipping, a malfunction) with this much rule evidence.
ASK_MIN_CONFIDENCE = 0.5
ASK_MIN_RULE = 3.0
_CACHE_LIMIT = 200_000
# A big batch allocates ~2 container objects per comment, which triggers full cyclic-GC passes
# over the whole heap (~30 % of the batch time); nothing here creates reference cycles, so
# the collector is paused for the batch and resumed (if it was on) afterwards.
_GC_PAUSE_MIN = 64


@contextmanager
def _gc_paused(active: bool) -> Iterator[None]:
    was_enabled = active and gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
        cache = self._cache
        todo = list(dict.fromkeys(t for t in texts if t not in cache))
        if todo:
            if len(cache) + len(todo) > _CACHE_LIMIT:
                cache = self._cache = {}
            with _gc_paused(len(todo) >= _GC_PAUSE_MIN):
                cache.update(zip(todo, self._analyze_uncached(todo), strict=True))
        return [cache[t] for t in texts]

    def classify_intents(self, texts: Sequence[str]) -> list[str]:
        """Intent labels only (rules + model), without risk, sentiment or FAQ."""
        return self._intents_only(normalize_many(list(texts)))

    def faq_inputs(
        self, texts: Sequence[str]
    ) -> tuple[list[str], list[str | None], np.ndarray, np.ndarray]:
        """(normalised texts, intents passed to the matcher, asked mask, strict mask), exactly
        as :meth:`analyze_batch` feeds the FAQ matcher; used by calibration."""
        normalized = normalize_many(list(texts))
        risk_terms, masks, scores, intent_idx, _, from_model = self._read(normalized)
        risky, doubted, advert, off_topic = masks
        spam = (scores.features[:, rules.SPAM] >= SPAM_MIN_SCORE) | advert
        viewer = _viewer_aimed(normalized, risky, risk_terms)
        final = final_intents(intent_idx, risky, doubted, off_topic, viewer)
        asked, trusted, strict = faq_rows(final, scores.question, spam, from_model, risky,
                                          normalized)
        intents = [INTENTS[i] if trusted[row] else None for row, i in enumerate(final.tolist())]
        return normalized, intents, asked, strict

    def _read(self, normalized: list[str]) -> tuple[
        list[list[str]], tuple[np.ndarray, ...], rules.FastScores, np.ndarray, np.ndarray,
        np.ndarray,
    ]:
        """Risk terms, then the fast scores and the intent of each comment's *ask*: a comment
        with an insult, accusation or threat is read with those blanked out ("几号发货 你们是
        不是智障" asks about shipping; "sb主播" asks nothing and becomes a complaint later)."""
        risk_terms = self.risk.find_many(normalized)
        masks = tag_masks(risk_terms)
        asks = list(normalized)
        masked = np.flatnonzero(masks[0]).tolist()
        for row, text in zip(masked, self.risk.mask_many([normalized[r] for r in masked]),
                             strict=True):
            asks[row] = text
        scores = self._fast.score(asks)
        intent, confidence, from_model = self._resolve(asks, scores)
        if masked:
            rows = np.array(masked)
            picked = intent[rows]
            rule = scores.features[rows, picked]
            asked = scores.question[rows] & (confidence[rows] >= ASK_MIN_CONFIDENCE) & np.isin(
                picked, _QUESTION_IDX)
            demanded = (rule >= ASK_MIN_RULE) & np.isin(picked, _DEMAND_IDX)
            intent[rows[~(asked | demanded)]] = rules.COMPLAINT
        return risk_terms, masks, scores, intent, confidence, from_model

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
        sure = scores.sure.copy()
        if scores.digits_only is not None:
            candidates = np.flatnonzero(scores.digits_only).tolist()
        else:
            candidates = [i for i, t in enumerate(normalized) if t.strip().isdigit()]
        for row in candidates:
            if is_bare_purchase_number(normalized[row]):
                intent[row], confidence[row] = rules.PURCHASE, 0.9
            else:  # "666", "888", "520", "5555": cheers and net slang, not an order
                intent[row], confidence[row] = rules.CHITCHAT, 0.8
            sure[row] = True
        unsure = np.flatnonzero(~sure)
        if self._model is not None and len(unsure):
            proba = self._model.predict_proba([normalized[i] for i in unsure.tolist()])
            rule_part = scores.features[unsure, : rules.N_INTENTS]
            rule_proba = _softmax(rule_part)
            blended = MODEL_WEIGHT * proba + (1 - MODEL_WEIGHT) * rule_proba
            intent[unsure] = blended.argmax(axis=1)
            confidence[unsure] = blended.max(axis=1)
            from_model[unsure] = True
            # No live-room vocabulary and no question cue ("外面下雨了", "嗯嗯"): small talk,
            # unless the model is clearly sure of something else.
            silent = (rule_part.max(axis=1) <= 0) & ~scores.question[unsure]
            weak = proba.max(axis=1) < SILENT_MODEL_MIN
            intent[unsure[silent & weak]] = rules.CHITCHAT
        return intent, confidence, from_model

    def _analyze_uncached(self, texts: list[str]) -> list[CommentAnalysis]:
        """Everything vectorised over the batch; Python runs per comment only to build the
        result object and for the minority that needs it (English words, purchases, risk
        hits, FAQ questions)."""
        n = len(texts)
        normalized = normalize_many(texts)
        risk_terms, masks, scores, intent_idx, confidence, from_model = self._read(normalized)
        # A doubt ("别是高仿吧") is sensitive but stays a question; asserted terms and insults
        # make a complaint.
        risky, doubted, advert, off_topic = masks
        # Language: without two latin letters a comment is Chinese (or digits/emoji).
        languages: list[Language] = ["zh"] * n
        has_english = np.zeros(n, dtype=bool)
        mixed = np.zeros(n, dtype=bool)
        english = np.zeros(n, dtype=np.float64)
        latin = scores.latin if scores.latin is not None else np.full(n, 2)
        for row in np.flatnonzero(latin >= 2).tolist():
            language = languages[row] = detect_language(normalized[row])
            if language != "zh":
                has_english[row] = True
                mixed[row] = language == "mixed"
                english[row] = english_compound(normalized[row])
        feats = scores.features
        question = scores.question
        # Diversion off the platform and adverts found by pattern (kinds.py) are spam too;
        # they, not the looser spam score, make a comment sensitive.
        spam = (feats[:, rules.SPAM] >= SPAM_MIN_SCORE) | advert
        purchase = (intent_idx == rules.PURCHASE) | ((feats[:, rules.PURCHASE] >= 2.5) & ~question)
        viewer = _viewer_aimed(normalized, risky, risk_terms)
        final = final_intents(intent_idx, risky, doubted, off_topic, viewer)
        purchase &= ~spam
        labels, sentiment_scores = decide_many(
            pos=feats[:, rules.POS].astype(np.float64),
            neg=feats[:, rules.NEG].astype(np.float64),
            complaint=risky | (final == rules.COMPLAINT),
            technical=intent_idx == rules.TECHNICAL,
            question=question,
            english=english,
            has_english=has_english,
            mixed=mixed,
        )
        intents = [INTENTS[i] for i in final.tolist()]
        faq_by_row: dict[int, FaqMatch] = {}
        if self._faq.entries:
            asked, trusted, strict = faq_rows(final, question, spam, from_model, risky,
                                              normalized)
            question_rows = np.flatnonzero(asked).tolist()
            if question_rows:
                matches = self._faq.match_many(
                    [normalized[i] for i in question_rows],
                    [intents[i] if trusted[i] else None for i in question_rows],
                    strict[question_rows].tolist(),
                )
                faq_by_row = dict(zip(question_rows, matches, strict=True))
        item_refs: list[str | None] = [None] * n
        for row in np.flatnonzero(purchase).tolist():
            item_refs[row] = extract_item_ref(texts[row])
        sentiment_list = np.round(sentiment_scores, 3).tolist()
        confidence_list = np.round(confidence, 3).tolist()
        source = np.where(from_model, "model", "rules").tolist()
        out: list[CommentAnalysis] = []
        append = out.append
        no_match = None
        for row, (name, terms, label, s_score, buys, ref, lang, is_spam, conf, src) in enumerate(
            zip(
                intents, risk_terms, labels, sentiment_list, purchase.tolist(), item_refs,
                languages, spam.tolist(), confidence_list, source, strict=True,
            )
        ):
            match = faq_by_row.get(row, no_match) if faq_by_row else no_match
            append(
                CommentAnalysis(
                    intent=name,
                    sensitive=bool(terms),
                    risk_terms=terms,
                    sentiment=label,
                    sentiment_score=s_score,
                    purchase_intent=buys,
                    item_ref=ref,
                    language=lang,
                    spam=is_spam,
                    faq_id=match.faq_id if match else None,
                    reply=match.answer if match else None,
                    confidence=conf,
                    source=src,
                )
            )
        return out


_QUESTION_IDX = np.array([i for i, name in enumerate(INTENTS) if name in QUESTION_INTENTS])
_LOOSE_IDX = np.array([rules.PURCHASE, rules.CHITCHAT])
_DEMAND_IDX = np.array([rules.AFTERSALES, rules.LOGISTICS, rules.TECHNICAL])
_DOUBT_IDX = np.array([rules.PURCHASE, rules.CHITCHAT, rules.COMPLAINT])


def tag_masks(
    risk_terms: list[list[str]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(asserted, doubted, advert, off-topic) per comment, looking only at the few with any
    tag: an accusation/threat/insult; an authenticity doubt alone; a diversion off the
    platform or an advert; an advert, sexual or political talk (forced to small talk;
    :mod:`liveroom.comments.kinds`)."""
    n = len(risk_terms)
    risky, doubted, advert, off_topic = (np.zeros(n, dtype=bool) for _ in range(4))
    for row in np.flatnonzero(np.fromiter(map(bool, risk_terms), bool, count=n)).tolist():
        terms = risk_terms[row]
        risky[row] = asserts(terms)
        doubted[row] = doubts(terms)
        advert[row] = any(t.startswith(("divert:", "spam:")) for t in terms)
        # An advert (刷单, 招代理) is small talk whatever it asks; a diversion riding on an
        # ask ("要三件 加我微信") keeps the ask (issue 14: the label is the main ask).
        off_topic[row] = any(t.startswith(("vulgar:", "spam:")) for t in terms)
    return risky, doubted & ~risky, advert, off_topic


_VIEWERS = ("楼上", "楼下", "楼主", "上面的", "这些人")


def _viewer_aimed(
    normalized: Sequence[str], risky: np.ndarray, risk_terms: list[list[str]]
) -> np.ndarray:
    """Comments whose only offence is an insult at other viewers ("楼上的闭嘴"): small talk,
    not a complaint about the show (the label guide's reading), unless their ask says
    otherwise. Accusations and threats stay complaints wherever they point."""
    aimed = np.zeros(len(normalized), dtype=bool)
    for row in np.flatnonzero(risky).tolist():
        aimed[row] = any(v in normalized[row] for v in _VIEWERS) and all(
            is_abuse(t) for t in risk_terms[row] if asserts([t]))
    return aimed


def final_intents(
    intent: np.ndarray,
    risky: np.ndarray,
    doubted: np.ndarray,
    chitchat: np.ndarray,
    viewer: np.ndarray | None = None,
) -> np.ndarray:
    """Intents after the risk and spam checks: an asserted risk term or insult ("我要找消协")
    makes a purchase/chitchat a complaint; an authenticity doubt ("别是高仿吧") alone makes
    a complaint/chitchat/purchase guess a product question; an advert ("兼职刷单"), sexual
    or political talk is chitchat. A diversion off the platform keeps the intent the
    rules/model gave it ("要三件 加我微信" is a purchase, "加我微信 看更多优惠" small talk)."""
    final = intent.copy()
    at_show = risky if viewer is None else risky & ~viewer
    final[at_show & np.isin(final, _LOOSE_IDX)] = rules.COMPLAINT
    if viewer is not None:
        final[viewer & (final == rules.COMPLAINT)] = rules.CHITCHAT
    final[doubted & np.isin(final, _DOUBT_IDX)] = rules.PRODUCT
    final[chitchat] = rules.CHITCHAT
    return final


def faq_rows(
    intent: np.ndarray,
    question: np.ndarray,
    spam: np.ndarray,
    from_model: np.ndarray,
    risky: np.ndarray,
    normalized: Sequence[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which comments the FAQ is asked about, whether their intent is trusted for the
    intent-agreement factor, and which need a sure match (statements).

    Questions by intent; also purchase/chitchat-labelled comments with a question cue
    ("卖完了吗", "送啥"), and question-cued comments the *model* (not the rules) guessed to
    be complaints without any risk term ("送不送东西"): a question filed elsewhere still
    deserves an answer if the FAQ has a confident one. Chitchat without a cue that names a
    FAQ topic ("公司报销要票") is asked too, but only a sure match answers it. Never
    adverts, asserted complaints or purchases without a cue."""
    by_intent = np.isin(intent, _QUESTION_IDX)
    loose = np.isin(intent, _LOOSE_IDX) & question
    guessed = (intent == rules.COMPLAINT) & from_model & question & ~risky
    quiet = (intent == rules.CHITCHAT) & ~question & ~risky
    for row in np.flatnonzero(quiet & ~spam).tolist():
        quiet[row] = bool(topics(concept_tags(normalized[row])))
    asked = (by_intent | loose | guessed | quiet) & ~spam
    return asked, by_intent, quiet


def _softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)
