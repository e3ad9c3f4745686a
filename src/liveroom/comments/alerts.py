"""Console alerts from the comment stream: risky terms, negative-sentiment surges, floods.

Pure and event-timed: feed (comment, analysis) pairs in ts order, get alerts back. Each
alert carries the ids of the comments behind it so the console can show them.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from liveroom.comments.abuse import risk_kind
from liveroom.comments.flood import FloodDetector
from liveroom.comments.model import Comment, CommentAnalysis

AlertKind = Literal["risk", "abuse", "doubt", "negative_surge", "flood"]
Severity = Literal["info", "warning", "critical"]
# issue 14: insults and authenticity doubts are sensitive too, each with its own alert kind.
_RISK_ALERTS: dict[str, tuple[AlertKind, Severity, str]] = {
    "risk": ("risk", "critical", "风险词 risk terms"),
    "abuse": ("abuse", "warning", "辱骂 abuse"),
    "doubt": ("doubt", "warning", "质疑真伪 authenticity doubt"),
}


@dataclass(frozen=True, slots=True)
class Alert:
    kind: AlertKind
    severity: Severity
    message: str
    comment_ids: tuple[str, ...]
    ts: datetime
    terms: tuple[str, ...] = ()


@dataclass
class AlertMonitor:
    window: timedelta = timedelta(seconds=60)
    min_window_comments: int = 20
    min_window_negative: int = 8
    surge_factor: float = 2.0  # window negative share vs session baseline
    surge_margin: float = 0.15  # ... and at least this many points above it
    min_baseline_comments: int = 50
    default_baseline: float = 0.1  # used until the session has a baseline of its own
    flood: FloodDetector = field(default_factory=FloodDetector)
    _recent: deque[tuple[datetime, str, bool]] = field(default_factory=deque)
    _seen: int = 0
    _seen_negative: int = 0
    _last_surge: datetime | None = None

    def process(self, comment: Comment, analysis: CommentAnalysis) -> list[Alert]:
        alerts: list[Alert] = []
        if analysis.sensitive:
            kind, severity, label = _RISK_ALERTS[risk_kind(analysis.risk_terms)]
            alerts.append(
                Alert(
                    kind,
                    severity,
                    f"{label}: {', '.join(analysis.risk_terms)}",
                    (comment.id,),
                    comment.ts,
                    tuple(analysis.risk_terms),
                )
            )
        surge = self._negative_surge(comment, analysis.sentiment == "neg")
        if surge:
            alerts.append(surge)
        for signal in self.flood.observe(comment):
            alerts.append(
                Alert(
                    "flood",
                    "warning",
                    f"刷屏 flood ({signal.kind}): {signal.key}",
                    signal.comment_ids,
                    signal.ts,
                )
            )
        return alerts

    def baseline(self) -> float:
        # The baseline excludes the current window so a surge does not dilute itself.
        older = self._seen - len(self._recent)
        older_negative = self._seen_negative - sum(neg for _, _, neg in self._recent)
        if older < self.min_baseline_comments:
            return self.default_baseline
        return older_negative / older

    def _negative_surge(self, comment: Comment, negative: bool) -> Alert | None:
        self._recent.append((comment.ts, comment.id, negative))
        self._seen += 1
        self._seen_negative += negative
        cutoff = comment.ts - self.window
        while self._recent and self._recent[0][0] < cutoff:
            self._recent.popleft()
        total = len(self._recent)
        negatives = [cid for _, cid, neg in self._recent if neg]
        if total < self.min_window_comments or len(negatives) < self.min_window_negative:
            return None
        share, baseline = len(negatives) / total, self.baseline()
        if share < max(baseline * self.surge_factor, baseline + self.surge_margin):
            return None
        if self._last_surge is not None and comment.ts - self._last_surge < self.window:
            return None  # one alert per window, not one per comment
        self._last_surge = comment.ts
        return Alert(
            "negative_surge",
            "warning",
            f"负面情绪激增 negative surge: {share:.0%} vs baseline {baseline:.0%}",
            tuple(negatives),
            comment.ts,
        )
