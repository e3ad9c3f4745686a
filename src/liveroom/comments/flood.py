"""Spam/flood detection over the comment stream.

Rolling windows are keyed by each comment's own ``ts`` (event time), never the wall clock,
so replaying a recorded session gives the same signals. Two patterns:
- the same text (normalised) posted by many distinct buyers within ``same_text_window``;
- one buyer posting more than ``user_burst`` comments within ``user_window``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from liveroom.comments.model import Comment
from liveroom.comments.normalize import question_key


@dataclass(frozen=True, slots=True)
class FloodSignal:
    kind: Literal["same_text", "user_burst"]
    key: str  # the normalised text or the buyer id
    comment_ids: tuple[str, ...]
    ts: datetime


@dataclass
class FloodDetector:
    same_text_window: timedelta = timedelta(seconds=10)
    same_text_buyers: int = 20
    user_window: timedelta = timedelta(seconds=1)
    user_burst: int = 3
    # "扣1" / "666" from hundreds of viewers is the room answering the host, not a flood.
    allowed_texts: frozenset[str] = frozenset({"1", "11", "111", "扣1", "666", "2", "3", "来了"})
    _by_text: dict[str, deque[tuple[datetime, str, str]]] = field(default_factory=dict)
    _by_user: dict[str, deque[tuple[datetime, str]]] = field(default_factory=dict)
    _flagged_text: dict[str, datetime] = field(default_factory=dict)
    _flagged_user: dict[str, datetime] = field(default_factory=dict)

    def observe(self, comment: Comment) -> list[FloodSignal]:
        """Feed one comment (in ts order); returns the signals it triggers (at most once per
        key and window, so a flood is one alert, not hundreds)."""
        signals: list[FloodSignal] = []
        key = question_key(comment.text.lower()) or comment.text.strip()
        if key and key not in self.allowed_texts:
            window = self._by_text.setdefault(key, deque())
            window.append((comment.ts, comment.buyer_id, comment.id))
            _expire(window, comment.ts - self.same_text_window)
            buyers = {buyer for _, buyer, _ in window}
            last = self._flagged_text.get(key)
            if len(buyers) >= self.same_text_buyers and (
                last is None or comment.ts - last > self.same_text_window
            ):
                self._flagged_text[key] = comment.ts
                ids = tuple(cid for _, _, cid in window)
                signals.append(FloodSignal("same_text", key, ids, comment.ts))
        mine = self._by_user.setdefault(comment.buyer_id, deque())
        mine.append((comment.ts, comment.id))
        _expire(mine, comment.ts - self.user_window)
        last = self._flagged_user.get(comment.buyer_id)
        if len(mine) > self.user_burst and (last is None or comment.ts - last > self.user_window):
            self._flagged_user[comment.buyer_id] = comment.ts
            ids = tuple(cid for _, cid in mine)
            signals.append(FloodSignal("user_burst", comment.buyer_id, ids, comment.ts))
        return signals


def _expire(window: deque, cutoff: datetime) -> None:  # type: ignore[type-arg]
    while window and window[0][0] < cutoff:
        window.popleft()


def detect_floods(
    comments: Iterable[Comment], detector: FloodDetector | None = None
) -> list[FloodSignal]:
    """Pure helper: run a fresh detector over a finite stream."""
    detector = detector or FloodDetector()
    return [signal for comment in comments for signal in detector.observe(comment)]
