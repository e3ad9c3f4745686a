"""FloodDetector with running buyer counts per text.

``flood.FloodDetector.observe`` rebuilds the set of buyers in a text's 10 s window for every
comment; a hot question ("尺码怎么选") at a 5,000/s burst has thousands in its window, which
made flood detection the pipeline's second hot spot. Same rules, same signals.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field

from liveroom.comments.flood import FloodDetector, FloodSignal
from liveroom.comments.model import Comment
from liveroom.comments.normalize import question_key


@dataclass
class IncrementalFloodDetector(FloodDetector):
    _text_windows: dict[str, deque[tuple[object, str, str]]] = field(default_factory=dict)
    _text_buyers: dict[str, Counter[str]] = field(default_factory=dict)
    _user_windows: dict[str, deque[tuple[object, str]]] = field(default_factory=dict)
    _text_flagged: dict[str, object] = field(default_factory=dict)
    _user_flagged: dict[str, object] = field(default_factory=dict)

    def observe(self, comment: Comment) -> list[FloodSignal]:
        signals: list[FloodSignal] = []
        key = question_key(comment.text.lower()) or comment.text.strip()
        if key and key not in self.allowed_texts:
            window = self._text_windows.setdefault(key, deque())
            buyers = self._text_buyers.setdefault(key, Counter())
            window.append((comment.ts, comment.buyer_id, comment.id))
            buyers[comment.buyer_id] += 1
            cutoff = comment.ts - self.same_text_window
            while window and window[0][0] < cutoff:  # type: ignore[operator]
                _, buyer, _ = window.popleft()
                buyers[buyer] -= 1
                if not buyers[buyer]:
                    del buyers[buyer]
            last = self._text_flagged.get(key)
            if len(buyers) >= self.same_text_buyers and (
                    last is None or comment.ts - last > self.same_text_window):  # type: ignore[operator]
                self._text_flagged[key] = comment.ts
                signals.append(FloodSignal("same_text", key, tuple(c for _, _, c in window),
                                           comment.ts))
        mine = self._user_windows.setdefault(comment.buyer_id, deque())
        mine.append((comment.ts, comment.id))
        cutoff = comment.ts - self.user_window
        while mine and mine[0][0] < cutoff:  # type: ignore[operator]
            mine.popleft()
        last = self._user_flagged.get(comment.buyer_id)
        if len(mine) > self.user_burst and (
                last is None or comment.ts - last > self.user_window):  # type: ignore[operator]
            self._user_flagged[comment.buyer_id] = comment.ts
            signals.append(FloodSignal("user_burst", comment.buyer_id,
                                       tuple(c for _, c in mine), comment.ts))
        return signals
