"""When an FAQ answer may go back to the room: an operator switch, a per-minute budget and
a cool-down per FAQ entry (the same answer twice in 30 s reads as a bot spamming)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

MAX_PER_MINUTE = 60
SAME_ANSWER_COOLDOWN = timedelta(seconds=30)


@dataclass
class AutoReplyPolicy:
    enabled: bool = False  # off until an operator turns it on: replies speak for the shop
    max_per_minute: int = 10
    _sent: deque[datetime] = field(default_factory=deque)
    _last_by_faq: dict[str, datetime] = field(default_factory=dict)

    def configure(self, enabled: bool, max_per_minute: int) -> None:
        if not 1 <= max_per_minute <= MAX_PER_MINUTE:
            raise ValueError(f"max_per_minute must be 1–{MAX_PER_MINUTE}")
        self.enabled, self.max_per_minute = enabled, max_per_minute

    def allow(self, faq_id: str, at: datetime) -> bool:
        """Decide and, if allowed, count the reply (event time, so replays agree)."""
        if not self.enabled:
            return False
        while self._sent and at - self._sent[0] >= timedelta(minutes=1):
            self._sent.popleft()
        if len(self._sent) >= self.max_per_minute:
            return False
        last = self._last_by_faq.get(faq_id)
        if last is not None and at - last < SAME_ANSWER_COOLDOWN:
            return False
        self._sent.append(at)
        self._last_by_faq[faq_id] = at
        return True
