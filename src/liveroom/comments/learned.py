"""The learned intent model used where the rules are unsure.

Char n-grams (1-3 over the normalised text padded with one space each side) + TF-IDF +
logistic regression: robust to typos, slang and unsegmented Chinese; trains in well under a
second on our labelled set.

Inference is vectorised for the fast path: a whole batch is joined into one UTF-32 array and
every 1-, 2- and 3-gram is turned into an integer key with numpy (no Python object per
n-gram), looked up in the training vocabulary with ``searchsorted``, then tf-idf weighted
and multiplied by the coefficient matrix. Training uses the same featuriser, so training
and inference see identical features. The fitted weights are cached under
``./var/models/`` keyed by a hash of the training data, the featuriser version and sklearn.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
from dataclasses import dataclass, field
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse

from liveroom.comments.model import INTENTS
from liveroom.comments.normalize import normalize_many

log = logging.getLogger(__name__)
DEFAULT_MODEL_DIR = Path("var/models")
FEATURIZER_VERSION = "ngram-key-v4"
_BASE = np.int64(0x110000)  # one more than the largest code point
C_REGULARISATION = 8.0


@dataclass(frozen=True, slots=True)
class LabelledComment:
    text: str
    intent: str


def load_training_set() -> list[LabelledComment]:
    raw = resources.files("liveroom.comments").joinpath("data/train.jsonl").read_text("utf-8")
    rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
    return [LabelledComment(r["text"], r["intent"]) for r in rows]


def _fingerprint(rows: list[LabelledComment]) -> str:
    # sklearn and scipy are imported only to train (start-up of `comments classify`).
    stamp = f"{version('scikit-learn')}|{FEATURIZER_VERSION}|{C_REGULARISATION}"
    digest = hashlib.sha256(stamp.encode())
    for row in rows:
        digest.update(f"{row.intent}\t{row.text}\n".encode())
    return digest.hexdigest()[:16]


def ngram_keys(normalized: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) of every char 1-3-gram of " text " for each text, as two int64 arrays,
    in text order (rows ascending: the 1-, 2- and 3-gram starting at each position in turn).

    Keys are injective: a unigram is its code point (< 0x110000), a bigram
    ``c0 * B + c1`` (>= B), a trigram ``(c0 * B + c1) * B + c2`` (>= B**2), B = 0x110000;
    all fit in int64. NUL separates texts and no n-gram may contain it.
    """
    if not normalized:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    joined = " \x00 ".join(normalized)
    codes = np.frombuffer(f" {joined}   ".encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    codes[-2:] = 0  # padding: no 2- or 3-gram runs past the end
    sep = codes == 0
    row_of = np.cumsum(sep)  # the NUL itself gets the next row; it is masked out anyway
    c0, c1, c2 = codes[:-2], codes[1:-1], codes[2:]
    ok1 = ~sep[:-2]
    ok2 = ok1 & ~sep[1:-1]
    ok3 = ok2 & ~sep[2:]
    # A lone space is in every text; as a feature it would stop the model from abstaining
    # on texts it knows nothing about (emoji-only), so only word-boundary grams use spaces.
    ok1 = ok1 & (c0 != 32)
    grams = np.stack([c0, c0 * _BASE + c1, (c0 * _BASE + c1) * _BASE + c2], axis=1)
    ok = np.stack([ok1, ok2, ok3], axis=1)
    rows = np.repeat(row_of[:-2], 3).reshape(-1, 3)
    return rows[ok], grams[ok]


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing multiplier


def _slots(keys: np.ndarray, mask: int) -> np.ndarray:
    """Home slot of each key in a table of ``mask + 1`` (a power of two) slots."""
    bits = np.uint64(mask.bit_length())
    return ((keys.astype(np.uint64) * _GOLDEN) >> (np.uint64(64) - bits)).astype(np.int64)


def hash_table(vocab: np.ndarray) -> np.ndarray:
    """Slots (int32 vocabulary columns, -1 empty) of an open-addressing table at most 1/4
    full, built in vectorised rounds: each round every unplaced key claims its current slot,
    the first claimant of a free slot wins, the others move one slot on."""
    size = 1 << max(4, int(4 * len(vocab) - 1).bit_length())
    table = np.full(size, -1, dtype=np.int32)
    todo = np.arange(len(vocab))
    slot = _slots(vocab, size - 1)
    while len(todo):
        free = table[slot] < 0
        first = np.zeros(len(todo), dtype=bool)
        _, winners = np.unique(slot[free], return_index=True)
        first[np.flatnonzero(free)[winners]] = True
        table[slot[first]] = todo[first]
        todo, slot = todo[~first], (slot[~first] + 1) & (size - 1)
    return table


@dataclass(frozen=True, slots=True)
class LinearNgramModel:
    """Sorted vocabulary keys, idf per key, (vocab x classes) weights, intercepts."""

    vocab: np.ndarray  # (v,) int64 sorted
    idf: np.ndarray  # (v,) float32
    coef: np.ndarray  # (v, 8) float32, columns in INTENTS order
    intercept: np.ndarray  # (8,) float32
    table: np.ndarray = field(init=False, repr=False, compare=False)  # hash slots -> column
    sentinel_vocab: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "table", hash_table(self.vocab))
        object.__setattr__(self, "sentinel_vocab", np.append(self.vocab, np.int64(-1)))

    def columns(self, keys: np.ndarray) -> np.ndarray:
        """The vocabulary column of each key, -1 where unknown: open addressing with linear
        probing, vectorised; the rare keys whose home slot holds another key probe on."""
        table, mask = self.table, len(self.table) - 1
        slot = _slots(keys, mask)
        column = table[slot]
        # column -1 reads the sentinel -1 appended to the vocabulary: no key equals it
        hit = self.sentinel_vocab[column] == keys
        out = np.where(hit, column, -1)
        todo = np.flatnonzero(~hit & (column >= 0))
        while len(todo):
            slot[todo] = (slot[todo] + 1) & mask
            column = table[slot[todo]]
            found = self.sentinel_vocab[column] == keys[todo]
            out[todo[found]] = column[found]
            todo = todo[~found & (column >= 0)]
        return out

    def _weighted(self, normalized: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, vocabulary column, value) of every known n-gram *occurrence*, sorted by row:
        the non-zeros of the feature matrix before duplicates are summed. The value is the
        idf divided by the root of the row's summed squared idfs (an occurrence-level l2
        norm): no per-row grouping or sort, so tf is linear; training sums the duplicates
        the same way."""
        rows, keys = ngram_keys(normalized)
        pos = self.columns(keys)
        known = pos >= 0
        row, col = rows[known], pos[known]
        value = self.idf[col].astype(np.float64)
        norms = np.sqrt(np.bincount(row, weights=value * value, minlength=len(normalized)))
        return row, col, value / norms[row]

    def features(self, normalized: list[str]) -> sparse.csr_matrix:
        from scipy import sparse

        row, col, value = self._weighted(normalized)
        return sparse.csr_matrix(
            (value.astype(np.float32), (row, col)), shape=(len(normalized), len(self.vocab))
        )

    def predict_proba(self, normalized: list[str]) -> np.ndarray:
        n = len(normalized)
        row, col, value = self._weighted(normalized)
        # The sparse product without scipy (rows are sorted): gather each non-zero's weight
        # row, scale it, sum per comment with one reduceat.
        logits = np.zeros((n, len(INTENTS)), dtype=np.float64)
        if len(row):
            contributions = self.coef[col] * value.astype(np.float32)[:, None]
            starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])
            logits[row[starts]] = np.add.reduceat(contributions, starts, axis=0)
        logits += self.intercept
        z = np.exp(logits - logits.max(axis=1, keepdims=True))
        proba = z / z.sum(axis=1, keepdims=True)
        # No known n-gram at all (emoji-only, unseen script): the model would only echo its
        # intercept, so it abstains with a flat distribution and the rules decide.
        seen = np.zeros(n, dtype=bool)
        seen[row] = True
        proba[~seen] = 1.0 / len(INTENTS)
        return proba


def fit(rows: list[LabelledComment]) -> LinearNgramModel:
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    texts = normalize_many([r.text for r in rows])
    row_ids, keys = ngram_keys(texts)
    vocab, column = np.unique(keys, return_inverse=True)
    counts = sparse.csr_matrix(
        (np.ones(len(keys), dtype=np.float64), (row_ids, column)), shape=(len(texts), len(vocab))
    )
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=len(vocab))
    idf = np.log((1 + len(texts)) / (1 + df)) + 1.0  # sklearn's smooth idf
    staging = LinearNgramModel(
        vocab, idf.astype(np.float32), np.zeros((len(vocab), len(INTENTS)), np.float32),
        np.zeros(len(INTENTS), np.float32),
    )
    x = staging.features(texts)
    clf = LogisticRegression(C=C_REGULARISATION, max_iter=3000, class_weight="balanced")
    clf.fit(x, [r.intent for r in rows])
    classes = list(clf.classes_)
    coef, intercept = clf.coef_, clf.intercept_
    if len(classes) == 2:  # binary fit: one row for classes[1]; softmax of (-z/2, z/2)
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    full_coef = np.zeros((len(vocab), len(INTENTS)), dtype=np.float32)
    full_intercept = np.full(len(INTENTS), -30.0, dtype=np.float32)  # unseen class: never
    for out, name in enumerate(INTENTS):
        if name in classes:
            full_coef[:, out] = coef[classes.index(name)]
            full_intercept[out] = intercept[classes.index(name)]
    return LinearNgramModel(vocab, staging.idf, full_coef, full_intercept)


class IntentModel:
    """Lazily trained; ``predict_proba`` columns follow :data:`INTENTS`."""

    def __init__(
        self,
        rows: list[LabelledComment] | None = None,
        model_dir: Path | None = DEFAULT_MODEL_DIR,
    ) -> None:
        self._rows = rows
        self._model_dir = model_dir
        self._model: LinearNgramModel | None = None

    def _fit_or_load(self) -> LinearNgramModel:
        rows = self._rows if self._rows is not None else load_training_set()
        key = _fingerprint(rows)
        path = self._model_dir / f"intent-{key}.pkl" if self._model_dir else None
        if path is not None and path.exists():
            try:
                with path.open("rb") as fh:
                    # Our own artefact, written below from our own training data.
                    model = pickle.load(fh)  # noqa: S301
                if isinstance(model, LinearNgramModel):  # rebuilt: the hash table is derived
                    return LinearNgramModel(model.vocab, model.idf, model.coef, model.intercept)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
                log.warning("ignoring unreadable intent model cache %s: %s", path, exc)
        model = fit(rows)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{id(self)}.tmp")
                with tmp.open("wb") as fh:
                    pickle.dump(model, fh)
                tmp.replace(path)
                for old in path.parent.glob("intent-*.pkl"):  # keep only the current version
                    if old != path:
                        old.unlink(missing_ok=True)
            except OSError as exc:  # read-only checkout: keep the in-memory model
                log.warning("could not cache intent model at %s: %s", path, exc)
        return model

    @property
    def model(self) -> LinearNgramModel:
        if self._model is None:
            self._model = self._fit_or_load()
        return self._model

    def predict_proba(self, normalized: list[str]) -> np.ndarray:
        """(n, 8) probabilities in INTENTS order, for already-normalised texts."""
        if not normalized:
            return np.zeros((0, len(INTENTS)))
        return self.model.predict_proba(normalized)
