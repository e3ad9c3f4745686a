"""The fast first pass: one Aho-Corasick scan over a whole batch, scored with numpy.

Why batch-wide: per-comment Python costs dominate at 100k comments/s, so the batch is
joined into one string, scanned once by the Rust automaton, and match offsets are mapped
back to comments by offset. Scores are the per-comment sums of the matched patterns' rows of
a dense (patterns x features) weight matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import ahocorasick_rs
import numpy as np

from liveroom.comments import lexicon
from liveroom.comments.abuse import ABUSE_TERMS
from liveroom.comments.model import INTENTS

if TYPE_CHECKING:
    from scipy import sparse

# Feature columns: the eight intents first (same order as INTENTS), then cues.
N_INTENTS = len(INTENTS)
Q, POS, NEG, SPAM = N_INTENTS, N_INTENTS + 1, N_INTENTS + 2, N_INTENTS + 3
N_FEATURES = N_INTENTS + 4
PRODUCT, PRICE, LOGISTICS, AFTERSALES, PURCHASE, COMPLAINT, TECHNICAL, CHITCHAT = range(8)

_TABLES: tuple[tuple[int, str], ...] = (
    (PRODUCT, lexicon.PRODUCT),
    (PRODUCT, lexicon.MEASURES),
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
    # Insults are complaints with negative polarity (the risk lexicon flags them too).
    (COMPLAINT, " ".join(f"{t.replace(' ', '_')}:3" for t in ABUSE_TERMS)),
    (NEG, " ".join(t.replace(" ", "_") for t in ABUSE_TERMS)),
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

_BU, _MEI = ord("不"), ord("没")
_TAIL_QUESTION = np.array([_BU, _MEI], dtype=np.uint32)

SURE_MIN_SCORE = 3.0
SURE_MIN_MARGIN = 2.0


@dataclass(frozen=True, slots=True)
class FastScores:
    """Per-comment arrays of one batch (row i is comment i)."""

    features: np.ndarray  # (n, N_FEATURES) raw summed weights
    intent: np.ndarray  # (n,) index into INTENTS
    confidence: np.ndarray  # (n,) 0..1
    sure: np.ndarray  # (n,) bool: rules are confident, the model is not needed
    question: np.ndarray  # (n,) bool
    latin: np.ndarray | None = None  # (n,) count of a-z letters (language detection gate)
    digits_only: np.ndarray | None = None  # (n,) bool: nothing but digits and spaces


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
                for column, cues in sentiment.items():
                    row[column] = max((w for q, w in cues.items() if q in pattern), default=0.0)
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
        """(comments x patterns) match counts, for inspection and tests."""
        from scipy import sparse  # not on the hot path: keeps scipy off start-up

        row, pid, _, _ = self._scan(normalized)
        data = np.ones(len(pid), dtype=np.float32)
        return sparse.csr_matrix((data, (row, pid)), shape=(len(normalized), len(self.patterns)))

    def _scan(
        self, normalized: list[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(row, pattern id) of every accepted match in text order, the padded UTF-32 code
        units of the joined batch, and the row of each character of the joined batch."""
        joined = "\x00".join(normalized)
        # UTF-32 gives one code unit per character, so match offsets index it directly.
        chars = np.frombuffer(f"\x00{joined}\x00".encode("utf-32-le"), dtype=np.uint32)
        row_of = np.cumsum(chars[1:-1] == 0)  # row of each character of ``joined``
        found = self._automaton.find_matches_as_indexes(joined)
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, chars, row_of
        m = np.asarray(found, dtype=np.int64)
        pid, start, end = m[:, 0], m[:, 1], m[:, 2]
        keep = self._boundaries_ok(chars, pid, start, end)
        pid, start = pid[keep], start[keep]
        return row_of[start], pid, chars, row_of

    def _boundaries_ok(
        self, chars: np.ndarray, pid: np.ndarray, start: np.ndarray, end: np.ndarray
    ) -> np.ndarray:
        needs = self._ascii[pid]
        if not needs.any():
            return np.ones(len(pid), dtype=bool)
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
        if not normalized:
            nothing = np.zeros(0, dtype=bool)
            return FastScores(
                np.zeros((0, N_FEATURES), np.float32), np.zeros(0, np.int64),
                np.zeros(0, np.float32), nothing, nothing, np.zeros(0, np.int64), nothing,
            )
        row, pid, chars, row_of = self._scan(normalized)
        n = len(normalized)
        # Matches come in text order, so rows are sorted: sum each row's weight rows with
        # one reduceat (no sparse matrix: its constructor costs more than the maths here).
        features = np.zeros((n, N_FEATURES), dtype=np.float32)
        if len(row):
            first = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])
            features[row[first]] = np.add.reduceat(self.weights[pid], first, axis=0)
        inner = chars[1:-1]
        is_latin = (inner >= 97) & (inner <= 122)
        is_digit = (inner >= 48) & (inner <= 57)
        other = ~is_digit & (inner != 32) & (inner != 0)
        latin = np.bincount(row_of[is_latin], minlength=n)
        digits = np.bincount(row_of[is_digit], minlength=n)
        digits_only = (digits > 0) & (np.bincount(row_of[other], minlength=n) == 0)
        # A sentence-final 不/没 asks a yes/no question ("包邮不", "有折扣没", "能用不").
        ends = np.append(np.flatnonzero(inner == 0), len(inner))
        starts = np.concatenate(([0], ends[:-1] + 1))
        last = chars[ends]  # chars is padded by one: chars[i + 1] == inner[i]
        tail_q = np.isin(last, _TAIL_QUESTION) & (ends - starts >= 2)
        features[tail_q, Q] += 1.0
        # A-not-A asks too ("硬不硬", "防不防水", "有没有"): X 不/没 X with a CJK X.
        middle = inner[1:-1]
        negator = (middle == _BU) | (middle == _MEI)
        a_not_a = negator & (inner[:-2] == inner[2:]) & (inner[:-2] >= 0x3400)
        if a_not_a.any():
            asked = np.zeros(n, dtype=bool)
            asked[row_of[1:-1][a_not_a]] = True
            features[asked, Q] = np.maximum(features[asked, Q], 1.0)
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
        return FastScores(features, order[:, 0], confidence, sure, question, latin, digits_only)
