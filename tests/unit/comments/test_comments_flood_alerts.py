from __future__ import annotations

from datetime import timedelta

import pytest

from liveroom.comments.alerts import AlertMonitor
from liveroom.comments.flood import FloodDetector, detect_floods
from liveroom.comments.model import CommentAnalysis


def test_same_text_from_many_buyers_is_one_flood_signal(make_comment) -> None:
    # given 25 buyers posting the same advert within 5 seconds
    comments = [make_comment("点我主页领福利", buyer=f"b{i}", seconds=i * 0.2) for i in range(25)]
    # when the stream is scanned
    signals = detect_floods(comments, FloodDetector(same_text_buyers=20))
    # then one same-text signal names the comments behind it
    assert [s.kind for s in signals] == ["same_text"]
    assert len(signals[0].comment_ids) == 20


def test_room_answering_the_host_is_not_a_flood(make_comment) -> None:
    comments = [make_comment("扣1", buyer=f"b{i}", seconds=i * 0.01) for i in range(300)]
    assert detect_floods(comments) == []


def test_spread_out_repeats_are_not_a_flood(make_comment) -> None:
    comments = [make_comment("好看", buyer=f"b{i}", seconds=i * 2.0) for i in range(30)]
    assert detect_floods(comments, FloodDetector(same_text_buyers=20)) == []


def test_one_buyer_posting_many_times_a_second_is_a_burst(make_comment) -> None:
    comments = [make_comment(f"刷{i}", buyer="spammer", seconds=i * 0.1) for i in range(6)]
    signals = detect_floods(comments)
    assert [(s.kind, s.key) for s in signals] == [("user_burst", "spammer")]


def test_windows_use_comment_time_not_wall_clock(make_comment) -> None:
    # the same four comments, but one second apart in event time: no burst
    comments = [make_comment(f"刷{i}", buyer="b", seconds=i * 1.1) for i in range(6)]
    assert detect_floods(comments) == []


def _analysis(sentiment: str = "neu", terms: list[str] | None = None) -> CommentAnalysis:
    return CommentAnalysis(
        intent="complaint" if terms else "chitchat",
        sensitive=bool(terms),
        risk_terms=terms or [],
        sentiment=sentiment,  # type: ignore[arg-type]
    )


def test_risky_comment_raises_a_critical_alert_with_its_id(make_comment) -> None:
    monitor = AlertMonitor()
    comment = make_comment("骗子", cid="c1")
    alerts = monitor.process(comment, _analysis("neg", ["骗子"]))
    assert [(a.kind, a.severity, a.comment_ids, a.terms) for a in alerts] == [
        ("risk", "critical", ("c1",), ("骗子",))
    ]


@pytest.mark.parametrize(
    ("terms", "kind", "severity"),
    [
        (["废物"], "abuse", "warning"),
        (["doubt:别是高仿"], "doubt", "warning"),
        (["废物", "骗子"], "risk", "critical"),  # the most serious term decides
    ],
)
def test_insults_and_doubts_have_their_own_alert_kind(
    make_comment, terms: list[str], kind: str, severity: str  # noqa: ANN001
) -> None:
    alerts = AlertMonitor().process(make_comment("x", cid="c1"), _analysis("neg", terms))
    assert [(a.kind, a.severity, a.terms) for a in alerts] == [(kind, severity, tuple(terms))]


def test_negative_surge_against_the_session_baseline(make_comment) -> None:
    # given a calm session: 100 comments, 5% negative
    monitor = AlertMonitor()
    for i in range(100):
        monitor.process(make_comment("hi", buyer=f"b{i}", seconds=i * 2), _analysis(
            "neg" if i % 20 == 0 else "neu"))
    # when 30 comments in the next minute are half negative
    alerts = []
    for i in range(30):
        comment = make_comment("x", buyer=f"n{i}", seconds=200 + i, cid=f"n{i}")
        alerts += monitor.process(comment, _analysis("neg" if i % 2 else "neu"))
    # then exactly one surge alert fires, carrying the negative comments
    surges = [a for a in alerts if a.kind == "negative_surge"]
    assert len(surges) == 1
    ids = surges[0].comment_ids
    assert len(ids) >= monitor.min_window_negative
    assert any(cid.startswith("n") for cid in ids)


def test_steady_negativity_is_not_a_surge(make_comment, t0) -> None:
    monitor = AlertMonitor()
    alerts = []
    for i in range(300):
        comment = make_comment("x", buyer=f"b{i}", seconds=i)
        alerts += monitor.process(comment, _analysis("neg" if i % 3 == 0 else "neu"))
    # once the session has its own baseline (after the first two minutes) nothing fires
    late = [a for a in alerts if a.kind == "negative_surge" and a.ts >= t0 + timedelta(minutes=2)]
    assert late == []


def test_flood_becomes_an_alert(make_comment) -> None:
    monitor = AlertMonitor(flood=FloodDetector(same_text_buyers=5))
    alerts = []
    for i in range(6):
        alerts += monitor.process(make_comment("加群", buyer=f"b{i}", seconds=i), _analysis())
    assert [a.kind for a in alerts] == ["flood"]
