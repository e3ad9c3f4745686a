"""The learned intent model used where the rules are unsure.

Char n-grams (1-3, within word boundaries) + logistic regression: robust to typos, slang and
unsegmented Chinese, and it trains in about a second on our labelled set. The fitted model
is cached under ``./var/models/`` keyed by a hash of the training data and sklearn version.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from liveroom.comments.model import INTENTS
from liveroom.comments.normalize import normalize_many

log = logging.getLogger(__name__)
DEFAULT_MODEL_DIR = Path("var/models")


@dataclass(frozen=True, slots=True)
class LabelledComment:
    text: str
    intent: str


def load_training_set() -> list[LabelledComment]:
    raw = resources.files("liveroom.comments").joinpath("data/train.jsonl").read_text("utf-8")
    rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
    return [LabelledComment(r["text"], r["intent"]) for r in rows]


def _fingerprint(rows: list[LabelledComment]) -> str:
    digest = hashlib.sha256(sklearn.__version__.encode())
    for row in rows:
        digest.update(f"{row.intent}\t{row.text}\n".encode())
    return digest.hexdigest()[:16]


def build_pipeline() -> Pipeline:
    return Pipeline(
        [
            ("tfidf", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True,
                                      min_df=1)),
            ("clf", LogisticRegression(C=8.0, max_iter=2000, class_weight="balanced")),
        ]
    )


class IntentModel:
    """Lazily trained; ``predict_proba`` columns follow :data:`INTENTS`."""

    def __init__(
        self,
        rows: list[LabelledComment] | None = None,
        model_dir: Path | None = DEFAULT_MODEL_DIR,
    ) -> None:
        self._rows = rows
        self._model_dir = model_dir
        self._pipeline: Pipeline | None = None
        self._columns: np.ndarray | None = None

    def _fit_or_load(self) -> Pipeline:
        rows = self._rows if self._rows is not None else load_training_set()
        key = _fingerprint(rows)
        path = self._model_dir / f"intent-{key}.pkl" if self._model_dir else None
        if path is not None and path.exists():
            with path.open("rb") as fh:
                # Our own artefact, written below from our own training data.
                return pickle.load(fh)  # noqa: S301
        pipeline = build_pipeline()
        pipeline.fit(normalize_many([r.text for r in rows]), [r.intent for r in rows])
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp")
                with tmp.open("wb") as fh:
                    pickle.dump(pipeline, fh)
                tmp.replace(path)
            except OSError as exc:  # read-only checkout: keep the in-memory model
                log.warning("could not cache intent model at %s: %s", path, exc)
        return pipeline

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = self._fit_or_load()
            classes = list(self._pipeline.classes_)
            self._columns = np.array([classes.index(i) for i in INTENTS])
        return self._pipeline

    def predict_proba(self, normalized: list[str]) -> np.ndarray:
        """(n, 8) probabilities in INTENTS order, for already-normalised texts."""
        if not normalized:
            return np.zeros((0, len(INTENTS)))
        pipeline = self.pipeline
        features = pipeline.named_steps["tfidf"].transform(normalized)
        proba = pipeline.named_steps["clf"].predict_proba(features)
        assert self._columns is not None
        proba = proba[:, self._columns]
        # No known n-gram at all (emoji-only, unseen script): the model would only echo its
        # intercept, so it abstains with a flat distribution and the rules decide.
        proba[np.diff(features.indptr) == 0] = 1.0 / len(INTENTS)
        return proba
