"""The O(1) surge window raises exactly the alerts the reference monitor raises."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from liveroom.comments.alerts import AlertMonitor
from liveroom.comments.alerts_incremental import IncrementalAlertMonitor
from liveroom.comments.model import Comment, CommentAnalysis


def test_incremental_monitor_matches_the_reference_on_a_random_stream() -> None:
    rng = random.Random(3)
    start = datetime(2026, 11, 27, 11, tzinfo=UTC)
    reference, fast = AlertMonitor(), IncrementalAlertMonitor()
    for i in range(3000):
        ts = start + timedelta(seconds=i * 0.1)
        surge = 1200 <= i < 1700
        negative = rng.random() < (0.6 if surge else 0.08)
        comment = Comment(f"c{i}", "s", f"b{rng.randint(1, 500)}", "n", f"t{i}", ts)
        analysis = CommentAnalysis("chitchat", False, sentiment="neg" if negative else "neu")
        assert reference.process(comment, analysis) == fast.process(comment, analysis)
    assert fast.baseline() == reference.baseline()


def test_incremental_flood_detector_matches_the_reference() -> None:
    from liveroom.comments.flood import FloodDetector
    from liveroom.comments.flood_incremental import IncrementalFloodDetector

    rng = random.Random(5)
    start = datetime(2026, 11, 27, 11, tzinfo=UTC)
    reference, fast = FloodDetector(), IncrementalFloodDetector()
    texts = ["尺码怎么选", "扣1", "加微信看福利", "多少钱"]
    for i in range(4000):
        ts = start + timedelta(seconds=i * 0.02)
        buyer = "spammer" if i % 7 == 0 else f"b{rng.randint(1, 300)}"
        comment = Comment(f"c{i}", "s", buyer, "n", rng.choice(texts), ts)
        assert reference.observe(comment) == fast.observe(comment)
