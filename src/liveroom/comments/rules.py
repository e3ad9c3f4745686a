"""The fast first pass: one Aho-Corasick scan over a whole batch, scored with numpy.

Why batch-wide: per-comment Python costs dominate at 100k comments/s, so the batch is
joined into one string, scanned once by the Rust automaton, and match offsets are mapped
back to comments with ``searchsorted``. Scores are a sparse (comments x patterns) count
matrix times a dense (patterns x features) weight matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick_rs
import numpy as np
from scipy import sparse

from liveroom.comments import lexicon
from liveroom.comments.model import INTENTS

# Feature columns: the eight intents first (same order as INTENTS), then cues.
N_INTENTS = len(INTENTS)
Q, POS, NEG, SPAM = N_INTENTS, N_INTENTS + 1, N_INTENTS + 2, N_INTENTS + 3
N_FEATURES = N_INTENTS + 4
PRODUCT, PRICE, LOGISTICS, AFTERSALES, PURCHASE, COMPLAINT, TECHNICAL, CHITCHAT = range(8)

_TABLES: tuple[tuple[int, str], ...] = (
    (PRODUCT, lexicon.PRODUCT),
    (PRICE, lexicon.PRICE),
    (LOGISTICS, lexicon.LOGISTICS),
    (AFTERSALES, lexicon.AFTERSALES),
    (PURCHASE, lexicon.PURCHASE),
    (COMPLAINT, lexicon.COMPLAINT),
    (TECHNICAL, lexicon.TECHNICAL),
    (CHITCHAT, lexicon.CHITCHAT),
    (Q, lexicon.QUESTION),
    (POS, lexicon.POSITIVE),
    (NEG, lexicon.NEGATIVE),
    (SPAM, lexicon.SPAM),
)

# A statement that merely mentions a topic ("颜色好看") is weaker evidence of a question
# than the same words with a question cue; purchase/chitchat words inside a question
# ("2号还有吗") usually are not purchases.
_NO_Q_DAMP = np.ones(N_INTENTS, dtype=np.float32)
_NO_Q_DAMP[[PRODUCT, PRICE, LOGISTICS]] = (0.6, 0.7, 0.7)
_Q_DAMP = np.ones(N_INTENTS, dtype=np.float32)
_Q_DAMP[[PURCHASE, CHITCHAT]] = (0.4, 0.5)
_Q_BONUS = np.zeros(N_INTENTS, dtype=np.float32)
_Q_BONUS[[PRODUCT, PRICE, LOGISTICS, AFTERSALES, TECHNICAL]] = 1.0

SURE_MIN_SCORE = 2.0
SURE_MIN_MARGIN = 1.0


@dataclass(frozen=True, slots=True)
class FastScores:
    """Per-comment arrays of one batch (row i is comment i)."""

    features: np.ndarray  # (n, N_FEATURES) raw summed weights
    intent: np.ndarray  # (n,) index into INTENTS
    confidence: np.ndarray  # (n,) 0..1
    sure: np.ndarray  # (n,) bool: rules are confident, the model is not needed
    question: np.ndarray  # (n,) bool


def _is_ascii_word(pattern: str) -> bool:
    return pattern.isascii() and any(c.isalnum() for c in pattern)


class FastClassifier:
    """Keyword automaton over the live-room lexicon; built once, immutable afterwards."""

    def __init__(self) -> None:
        merged: dict[str, np.ndarray] = {}
        for column, table in _TABLES:
            for pattern, weight in lexicon.parse_table(table).items():
                row = merged.setdefault(pattern, np.zeros(N_FEATURES, dtype=np.float32))
                row[column] += weight
        question_cues = lexicon.parse_table(lexicon.QUESTION)
        # Leftmost-longest matching lets "多少钱" swallow "多少": give the long pattern the
        # question cue of what it contains so the cue is not lost.
        sentiment = {
            POS: lexicon.parse_table(lexicon.POSITIVE),
            NEG: lexicon.parse_table(lexicon.NEGATIVE),
        }
        for pattern, row in merged.items():
            if row[Q] == 0:
                row[Q] = max((w for q, w in question_cues.items() if q in pattern), default=0.0)
            # Same for polarity ("主播好美" holds "好美"), except across a negation: polar
            # negated forms ("不好看") are listed explicitly, the rest ("不是假货") are neutral.
            negated = pattern.startswith(("不", "没", "别", "会不会", "是不是"))
            if row[POS] == 0 and row[NEG] == 0 and not negated:
                for column, table in sentiment.items():
                    row[column] = max((w for q, w in table.items() if q in pattern), default=0.0)
        self.patterns = list(merged)
        self.weights = np.vstack([merged[p] for p in self.patterns])
        self._automaton = ahocorasick_rs.AhoCorasick(
            self.patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        self._ascii = np.array([_is_ascii_word(p) for p in self.patterns])
        # Short ASCII words ("hi", "lol", "fit") need a right boundary too ("this", "profit").
        self._short_ascii = np.array([_is_ascii_word(p) and len(p) <= 3 for p in self.patterns])
        self._digits = np.array([p.strip("+").isdigit() for p in self.patterns])

    def match_counts(self, normalized: list[str]) -> sparse.csr_matrix:
        n = len(normalized)
        joined = "\x00".join(normalized)
        ends = np.cumsum(np.fromiter((len(t) + 1 for t in normalized), np.int64, count=n))
        found = self._automaton.find_matches_as_indexes(joined)
        if not found:
            return sparse.csr_matrix((n, len(self.patterns)), dtype=np.float32)
        m = np.asarray(found, dtype=np.int64)
        pid, start, end = m[:, 0], m[:, 1], m[:, 2]
        keep = self._boundaries_ok(joined, pid, start, end)
        pid, start = pid[keep], start[keep]
        row = np.searchsorted(ends, start, side="right")
        data = np.ones(len(pid), dtype=np.float32)
        return sparse.csr_matrix((data, (row, pid)), shape=(n, len(self.patterns)))

    def _boundaries_ok(
        self, joined: str, pid: np.ndarray, start: np.ndarray, end: np.ndarray
    ) -> np.ndarray:
        needs = self._ascii[pid]
        if not needs.any():
            return np.ones(len(pid), dtype=bool)
        # UTF-32 gives one code unit per character, so match offsets index it directly.
        chars = np.frombuffer(("\x00" + joined + "\x00").encode("utf-32-le"), dtype=np.uint32)
        before, after = chars[start], chars[end + 1]

        def is_word(c: np.ndarray) -> np.ndarray:
            return ((c >= 97) & (c <= 122)) | ((c >= 48) & (c <= 57))

        def is_digit(c: np.ndarray) -> np.ndarray:
            return (c >= 48) & (c <= 57)

        ok = ~(needs & is_word(before))
        ok &= ~(self._short_ascii[pid] & is_word(after))
        ok &= ~(self._digits[pid] & (is_digit(after) | is_digit(before)))
        return ok

    def score(self, normalized: list[str]) -> FastScores:
        features = np.asarray(self.match_counts(normalized) @ self.weights, dtype=np.float32)
        question = features[:, Q] > 0
        intents = features[:, :N_INTENTS].copy()
        intents[question] *= _Q_DAMP
        intents[question] += _Q_BONUS * (intents[question] > 0)
        intents[~question] *= _NO_Q_DAMP
        # Nothing matched: a bare question is most often about the product on screen.
        empty = intents.max(axis=1) <= 0
        intents[empty & question, PRODUCT] = 0.5
        intents[empty & ~question, CHITCHAT] = 0.5
        order = np.argsort(-intents, axis=1)
        rows = np.arange(len(normalized))
        top, second = intents[rows, order[:, 0]], intents[rows, order[:, 1]]
        confidence = top / (top + second + 1.0)
        sure = (top >= SURE_MIN_SCORE) & (top - second >= SURE_MIN_MARGIN)
        return FastScores(features, order[:, 0], confidence, sure, question)
