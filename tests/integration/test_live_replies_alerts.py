"""Operators' replies to comments, and stored alerts with acknowledgement (SQLite and
PostgreSQL), through the API and the console."""

from __future__ import annotations

import json
import re

from liveroom.entrypoints.api import live_comments
from liveroom.entrypoints.api.web_base import csrf_for
from liveroom.identity.model import SYSTEM
from liveroom.metrics.commands import RecordMetricAlerts
from liveroom.metrics.wiring import AlertWatch
from tests import factories as f

DROP = {"code": "viewer_drop", "severity": "critical", "value": 420, "baseline": 1000.0,
        "change_pct": -58.0, "at": "2026-11-29T12:00:00+00:00"}


def comment(client, tokens, clock, sid, text="这个锅能用电磁炉吗？", buyer="b-1") -> str:
    r = client.post(f"/api/v1/sessions/{sid}/comments", headers=tokens["connector"], json={
        "comments": [{"buyer_id": buyer, "nickname": "小美", "text": text,
                      "ts": clock.now().isoformat()}]})
    assert r.status_code == 202, r.text
    return str(r.json()["ids"][0])


def sign_in(client, tokens, role="console") -> dict[str, str]:
    token = tokens[role]["Authorization"].removeprefix("Bearer ")
    client.cookies.set("liveroom_token", token)
    return {"X-CSRF-Token": csrf_for(token)}


def test_a_reply_is_stored_audited_and_said_in_the_room(client, container, tokens, clock):
    # given a live show and a viewer's question
    sid, _ = f.live_session_with(client, tokens)
    cid = comment(client, tokens, clock, sid)
    # when the console operator answers it
    r = client.post(f"/api/v1/sessions/{sid}/comments/{cid}/reply", headers=tokens["console"],
                    json={"text": "可以的，电磁炉燃气灶都能用"})
    # then it is stored and listed, audited, and the viewers' shelf carries it
    assert r.status_code == 201, r.text
    assert r.json()["comment_id"] == cid and r.json()["by"] == "console-user"
    listed = client.get(f"/api/v1/sessions/{sid}/replies", headers=tokens["cs"]).json()
    assert [(x["comment_id"], x["text"]) for x in listed["items"]] == [
        (cid, "可以的，电磁炉燃气灶都能用")]
    audit = client.get(f"/api/v1/sessions/{sid}/audit", headers=tokens["admin"]).json()
    assert any(a["action"] == "comments.reply" and a["target"] == cid for a in audit["items"])
    shelf = client.get(f"/api/v1/sessions/{sid}/shelf").json()
    assert shelf["replies"][0]["question"] == "这个锅能用电磁炉吗？"
    assert shelf["replies"][0]["nickname"] == "小美"
    # and the console's comment stream gets it with the comment it answers
    with container.read() as conn:
        rows, _ = live_comments.read(conn, sid, None)
    data = json.loads(live_comments.payload(rows, "zh_CN", "Asia/Shanghai"))
    assert [x["id"] for x in data["items"]] == [cid]
    said = data["replies"][0]
    assert said["x"] == "可以的，电磁炉燃气灶都能用" and said["n"] == "小美"


def test_a_reply_is_refused_empty_for_another_show_or_after_the_end(client, tokens, clock):
    sid, _ = f.live_session_with(client, tokens)
    other, _ = f.live_session_with(client, tokens)
    cid = comment(client, tokens, clock, sid)
    url = f"/api/v1/sessions/{sid}/comments/{cid}/reply"
    assert client.post(url, headers=tokens["console"], json={"text": "  "}).json()["code"] \
        == "reply_empty"
    assert client.post(f"/api/v1/sessions/{other}/comments/{cid}/reply",
                       headers=tokens["console"], json={"text": "好"}).status_code == 404
    assert client.post(url, headers=tokens["merchant"], json={"text": "好"}).status_code == 403
    client.post(f"/api/v1/sessions/{sid}/end", headers=tokens["console"]).raise_for_status()
    r = client.post(url, headers=tokens["console"], json={"text": "好"})
    assert r.status_code == 409 and r.json()["code"] == "invalid_state"


def test_the_console_reply_button_answers_in_words(client, tokens, clock):
    sid, _ = f.live_session_with(client, tokens)
    cid = comment(client, tokens, clock, sid)
    headers = sign_in(client, tokens)
    r = client.post(f"/console/{sid}/comments/{cid}/reply", data={"text": "明天发货"},
                    headers=headers)
    assert r.status_code == 200 and "回复已发到直播间" in r.text
    empty = client.post(f"/console/{sid}/comments/{cid}/reply", data={"text": ""},
                        headers=headers)
    assert 'data-code="reply_empty"' in empty.text and "reply_empty" not in re.sub(
        r"<[^>]+>", "", empty.text)


def test_a_raised_alert_is_stored_once_and_cleared_when_it_stops(client, container, tokens):
    # given a live show whose viewers dropped
    sid, _ = f.live_session_with(client, tokens)
    # when the evaluator records the same firing alert twice (two ticks or two processes)
    first = container.bus.handle(RecordMetricAlerts(sid, [DROP]), SYSTEM)
    again = container.bus.handle(RecordMetricAlerts(sid, [DROP]), SYSTEM)
    # then it is raised once, and the API reads it back as stored
    assert len(first["raised"]) == 1 and again == {"raised": [], "cleared": []}
    body = client.get(f"/api/v1/sessions/{sid}/alerts", headers=tokens["host"]).json()
    assert [(a["code"], a["active"], a["suggested_action"]) for a in body["alerts"]] == [
        ("viewer_drop", True, "lucky_bag")]
    live = client.get(f"/api/v1/sessions/{sid}/metrics/live", headers=tokens["host"]).json()
    assert [a["id"] for a in live["alerts"]] == first["raised"]
    # when the rule stops firing, the episode is cleared but stays open until acknowledged
    cleared = container.bus.handle(RecordMetricAlerts(sid, []), SYSTEM)
    assert cleared["cleared"] == first["raised"]
    body = client.get(f"/api/v1/sessions/{sid}/alerts", headers=tokens["host"]).json()
    assert body["alerts"] == [] and [a["id"] for a in body["open"]] == first["raised"]
    # and a new drop is a new episode
    assert len(container.bus.handle(RecordMetricAlerts(sid, [DROP]), SYSTEM)["raised"]) == 1


def test_an_alert_is_acknowledged_once_with_who_and_when(client, container, tokens):
    sid, _ = f.live_session_with(client, tokens)
    aid = container.bus.handle(RecordMetricAlerts(sid, [DROP]), SYSTEM)["raised"][0]
    # when the host acknowledges it, and then the console operator too
    r = client.post(f"/api/v1/sessions/{sid}/alerts/{aid}/ack", headers=tokens["host"])
    second = client.post(f"/api/v1/sessions/{sid}/alerts/{aid}/ack", headers=tokens["console"])
    # then the first acknowledgement holds, audited once; the alert leaves the open list
    assert r.status_code == 200 and r.json()["acknowledged_by"] == "host-user"
    assert second.json()["acknowledged_by"] == "host-user"
    audit = client.get(f"/api/v1/sessions/{sid}/audit", headers=tokens["admin"]).json()
    assert [a["target"] for a in audit["items"] if a["action"] == "alert.acknowledge"] == [aid]
    body = client.get(f"/api/v1/sessions/{sid}/alerts", headers=tokens["host"]).json()
    assert body["open"] == []
    assert [(a["id"], a["acknowledged_by"]) for a in body["history"]] == [(aid, "host-user")]
    # and an unknown alert, or a role that does not run the show, is refused
    assert client.post(f"/api/v1/sessions/{sid}/alerts/nope/ack",
                       headers=tokens["host"]).json()["code"] == "alert_not_found"
    assert client.post(f"/api/v1/sessions/{sid}/alerts/{aid}/ack",
                       headers=tokens["merchant"]).status_code == 403


def test_the_console_shows_open_alerts_with_acknowledge_and_the_suggested_action(
        client, container, tokens):
    sid, _ = f.live_session_with(client, tokens)
    aid = container.bus.handle(RecordMetricAlerts(sid, [DROP]), SYSTEM)["raised"][0]
    headers = sign_in(client, tokens)
    panel = client.get(f"/feed/{sid}/console/snapshot").text
    panel = panel[panel.index('id="p-alerts"'):]
    assert "在线人数下滑" in panel and f"/alerts/{aid}/ack" in panel
    assert 'data-open="lucky_bag"' in panel and "发福袋" in panel
    r = client.post(f"/console/{sid}/alerts/{aid}/ack", data={}, headers=headers)
    assert r.status_code == 200 and "告警已确认" in r.text
    panel = client.get(f"/feed/{sid}/console/snapshot").text
    panel = panel[panel.index('id="p-alerts"'):]
    assert f"/alerts/{aid}/ack" not in panel and "console-user" in panel


def test_the_watch_raises_nothing_on_a_quiet_show_and_clears_alerts_after_the_end(
        client, container, tokens):
    sid, _ = f.live_session_with(client, tokens)
    watch = AlertWatch(container, container.metrics_cache)
    assert watch.check_once()[sid] == []
    aid = container.bus.handle(RecordMetricAlerts(sid, [DROP]), SYSTEM)["raised"][0]
    client.post(f"/api/v1/sessions/{sid}/end", headers=tokens["console"]).raise_for_status()
    assert watch.check_once() == {sid: []}
    body = client.get(f"/api/v1/sessions/{sid}/alerts", headers=tokens["host"]).json()
    assert body["alerts"] == [] and body["history"][0]["id"] == aid
    assert body["history"][0]["cleared_at"] is not None
