"""The demo's written summary lists the alerts the simulated console saw."""

from liveroom.simulator.summary import alert_line


def test_a_stored_alert_without_a_sentence_is_written_with_its_figures():
    # given an alert as GET /alerts answers it now: figures, no `message`
    stored = {"code": "viewer_drop", "value": 120, "baseline": 300.0, "change_pct": -60.0,
              "show_minute": 42.3}
    # when the summary writes it
    line = alert_line(stored)
    # then it names the minute, the kind and the figures
    assert line == "- 第42分钟 告警 viewer_drop: 120 (基线 baseline 300.0, -60%)"


def test_an_alert_with_a_sentence_keeps_it():
    assert alert_line({"code": "x", "message": "在线下降", "show_minute": 1}).endswith(": 在线下降")
