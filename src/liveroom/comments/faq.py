"""Match a question comment to the best FAQ entry, or to none.

Score = blend of a multilingual sentence-embedding cosine (paraphrases, Chinese<->English)
and a lexical overlap (exact product words, numbers, sizes the encoder blurs). An entry
whose own question has a different intent than the comment is penalised: the encoder rates
"什么时候发货" and "能退货吗" as similar (both about an order) but they need other answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from liveroom.comments.encoder import SentenceEncoder
from liveroom.comments.model import FaqEntry, FaqMatch
from liveroom.comments.normalize import char_ngrams, detect_language, normalize

DEFAULT_THRESHOLD = 0.40
# Cross-language cosines (English comment, Chinese FAQ) run systematically lower.
CROSS_LANGUAGE_DISCOUNT = 0.07
EMBED_WEIGHT = 0.65
INTENT_MISMATCH_FACTOR = 0.85
_WORD = re.compile(r"[a-z0-9]+")
_EN_STOP = frozenset(
    {
        "a", "an", "the", "is", "it", "this", "that", "do", "does", "did", "can", "could", "i",
        "you", "we", "they", "my", "your", "of", "to", "for", "in", "on", "and", "or", "be",
        "are", "will", "would", "please", "what", "how", "when", "where", "which", "there", "any",
    }
)


def lexical_features(normalized: str) -> set[str]:
    words = {w for w in _WORD.findall(normalized) if w not in _EN_STOP}
    cjk_only = re.sub(r"[a-z0-9\s]+", "", normalized)
    grams = char_ngrams(cjk_only, 2) if cjk_only else set()
    grams |= set(re.sub(r"[\W\d_a-z]+", "", cjk_only))  # unigrams help 2-char questions
    return words | grams


def dice(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


@dataclass(frozen=True, slots=True)
class _Prepared:
    entry: FaqEntry
    normalized: str
    features: set[str]
    english: bool


class FaqMatcher:
    def __init__(
        self,
        entries: Iterable[FaqEntry] = (),
        *,
        threshold: float = DEFAULT_THRESHOLD,
        encoder: SentenceEncoder | None = None,
        intent_of: object | None = None,
    ) -> None:
        self.threshold = threshold
        self._encoder = encoder if encoder is not None else SentenceEncoder()
        # Callable[[list[str]], list[str]] giving intents of FAQ questions; None: no penalty.
        self._intent_of = intent_of
        self._entries: list[_Prepared] = []
        self._entry_intents: list[str | None] = []
        self._matrix: np.ndarray | None = None
        self.set_entries(entries)

    @property
    def entries(self) -> list[FaqEntry]:
        return [p.entry for p in self._entries]

    def set_entries(self, entries: Iterable[FaqEntry]) -> None:
        self._entries = []
        for entry in entries:
            text = normalize(entry.question)
            english = detect_language(text) == "en"
            self._entries.append(_Prepared(entry, text, lexical_features(text), english))
        self._matrix = None  # embeddings computed lazily on the first match
        if self._intent_of is not None and self._entries:
            self._entry_intents = list(self._intent_of([p.normalized for p in self._entries]))  # type: ignore[operator]
        else:
            self._entry_intents = [None] * len(self._entries)

    def match(self, text: str, intent: str | None = None) -> FaqMatch:
        return self.match_many([normalize(text)], [intent])[0]

    def match_many(
        self, normalized: Sequence[str], intents: Sequence[str | None] | None = None
    ) -> list[FaqMatch]:
        """Best entry per (already normalised) comment, or ``FaqMatch(None, None, score)``."""
        if not self._entries or not normalized:
            return [FaqMatch(None, None, 0.0) for _ in normalized]
        scores = self._scores(list(normalized), intents)
        best = scores.argmax(axis=1)
        out: list[FaqMatch] = []
        for row, column in enumerate(best):
            confidence = float(np.clip(scores[row, column], 0.0, 1.0))
            cross = (detect_language(normalized[row]) == "en") != self._entries[column].english
            threshold = self.threshold - (CROSS_LANGUAGE_DISCOUNT if cross else 0.0)
            if confidence >= threshold:
                entry = self._entries[column].entry
                out.append(FaqMatch(entry.id, entry.answer, confidence))
            else:
                out.append(FaqMatch(None, None, confidence))
        return out

    def _scores(self, normalized: list[str], intents: Sequence[str | None] | None) -> np.ndarray:
        lexical = np.array(
            [[dice(lexical_features(t), p.features) for p in self._entries] for t in normalized],
            dtype=np.float32,
        )
        scores = lexical
        if self._matrix is None:
            self._matrix = self._encoder.encode([p.normalized for p in self._entries])
        if self._matrix is not None:
            vectors = self._encoder.encode(normalized)
            if vectors is not None:
                semantic = vectors @ self._matrix.T
                # Either signal alone can be decisive: a near-verbatim question or a clean
                # paraphrase; the blend keeps both from firing on weak evidence.
                blend = EMBED_WEIGHT * semantic + (1 - EMBED_WEIGHT) * lexical
                scores = np.maximum(blend, np.maximum(semantic - 0.1, lexical - 0.1))
        if intents is not None:
            for row, intent in enumerate(intents):
                if intent is None:
                    continue
                for column, entry_intent in enumerate(self._entry_intents):
                    if entry_intent is not None and entry_intent != intent:
                        scores[row, column] *= INTENT_MISMATCH_FACTOR
        return scores
