"""From HTTP ingest to the question queue, alerts, moderation, hiding and tickets."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from liveroom.core.clock import FixedClock
from tests.factories import live_session_with


@pytest.fixture(autouse=True)
def _fast_analyzer(monkeypatch: pytest.MonkeyPatch) -> None:
    # The sentence encoder takes ~1 s to load per room; lexical FAQ matching is enough here.
    monkeypatch.setenv("LIVEROOM_COMMENTS_USE_ENCODER", "0")


def post(client: TestClient, tokens: Any, sid: str, items: list[dict[str, Any]]) -> Any:
    r = client.post(f"/api/v1/sessions/{sid}/comments", json={"comments": items},
                    headers=tokens["connector"])
    assert r.status_code == 202, r.text
    return r.json()


def item(clock: FixedClock, buyer: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"buyer_id": buyer, "nickname": f"观众{buyer}", "text": text,
            "ts": clock.now().isoformat(), **extra}


def test_two_hundred_viewers_asking_one_question_make_one_card_below_payment_trouble(
        client: TestClient, tokens: Any, clock: FixedClock) -> None:
    # given a live session
    sid, _ = live_session_with(client, tokens)
    # when 200 viewers ask about sizes and 5 cannot pay
    sizes = [item(clock, f"b{i}", "尺码怎么选") for i in range(200)]
    pay = [item(clock, f"p{i}", "付不了款") for i in range(5)]
    out = post(client, tokens, sid, sizes[:100] + pay + sizes[100:])
    # then the queue has one size card with 200 askers and the payment card ranks above it
    assert out["accepted"] == 205 and out["rejected"] == []
    r = client.get(f"/api/v1/sessions/{sid}/questions", headers=tokens["host"])
    assert r.status_code == 200, r.text
    cards = r.json()["items"]
    size = next(c for c in cards if c["text"] == "尺码怎么选")
    assert size["count"] == 200 and size["intent"] == "product_question"
    assert cards[0]["text"] == "付不了款" and cards[0]["count"] == 5
    assert cards.index(size) > 0
    assert size["first_seen"] and size["last_seen"] and len(size["samples"]) >= 1


def test_a_risky_comment_raises_an_alert_carrying_its_id(
        client: TestClient, tokens: Any, clock: FixedClock) -> None:
    sid, _ = live_session_with(client, tokens)
    out = post(client, tokens, sid, [item(clock, "u1", "好看"), item(clock, "u2", "假货吧")])
    fake_id = out["ids"][1]
    r = client.get(f"/api/v1/sessions/{sid}/comment-alerts", headers=tokens["console"])
    alerts = r.json()["items"]
    risk = [a for a in alerts if a["kind"] == "risk"]
    assert len(risk) == 1 and risk[0]["comment_ids"] == [fake_id]
    assert risk[0]["comments"][0]["text"] == "假货吧"
    r = client.get(f"/api/v1/sessions/{sid}/comments?sensitive=true", headers=tokens["cs"])
    assert [c["id"] for c in r.json()["items"]] == [fake_id]


def test_bad_items_are_reported_and_repeated_ids_are_duplicates(
        client: TestClient, tokens: Any, clock: FixedClock) -> None:
    sid, _ = live_session_with(client, tokens)
    future = (clock.now() + timedelta(hours=1)).isoformat()
    out = post(client, tokens, sid, [
        item(clock, "u1", "多少钱", id="m1"), {"buyer_id": "u2", "text": ""},
        item(clock, "u3", "hi", ts=future), item(clock, "u4", "hi", ts="yesterday")])
    assert out["accepted"] == 1
    assert [(r["index"], r["code"]) for r in out["rejected"]] == [
        (1, "invalid_comment"), (2, "ts_in_future"), (3, "invalid_ts")]
    again = post(client, tokens, sid, [item(clock, "u1", "多少钱", id="m1")])
    assert again["accepted"] == 0 and again["duplicate_ids"] == ["m1"]
    r = client.post(f"/api/v1/sessions/{sid}/comments", headers=tokens["host"],
                    json={"comments": [item(clock, "u1", "hi")]})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_cards_are_answered_assigned_and_dismissed_and_survive_a_rebuild(
        client: TestClient, tokens: Any, clock: FixedClock, container: Any) -> None:
    sid, _ = live_session_with(client, tokens)
    post(client, tokens, sid, [item(clock, "a", "什么时候发货"), item(clock, "b", "能退货吗"),
                               item(clock, "c", "有优惠券吗")])
    cards = client.get(f"/api/v1/sessions/{sid}/questions", headers=tokens["host"]).json()
    ids = {c["text"]: c["id"] for c in cards["items"]}
    r = client.post(f"/api/v1/questions/{ids['什么时候发货']}/answer", headers=tokens["console"],
                    json={"text": "48小时内发货"})
    assert r.status_code == 200 and r.json()["status"] == "answered"
    r = client.post(f"/api/v1/questions/{ids['能退货吗']}/assign", headers=tokens["cs"],
                    json={"assignee": "cs-user"})
    assert r.json()["status"] == "assigned"
    r = client.post(f"/api/v1/questions/{ids['有优惠券吗']}/dismiss", headers=tokens["console"])
    assert r.json()["status"] == "dismissed"
    r = client.post(f"/api/v1/questions/{ids['有优惠券吗']}/dismiss", headers=tokens["console"])
    assert r.status_code == 409 and r.json()["code"] == "question_card_invalid_transition"
    r = client.post("/api/v1/questions/nope/dismiss", headers=tokens["console"])
    assert r.status_code == 404
    before = client.get(f"/api/v1/sessions/{sid}/questions", headers=tokens["host"]).json()
    # when the process forgets its rooms (a restart), the queue is rebuilt from the database
    container.comment_rooms.drop(sid)
    after = client.get(f"/api/v1/sessions/{sid}/questions", headers=tokens["host"]).json()
    assert after == before and [c["status"] for c in after["items"]] == ["assigned"]
    audit = client.get(f"/api/v1/sessions/{sid}/audit", headers=tokens["admin"]).json()
    actions = {a["action"] for a in audit["items"]}
    assert {"comments.card.answer", "comments.card.assign", "comments.card.dismiss"} <= actions


def test_muted_buyers_are_stored_flagged_and_not_queued_and_comments_hide_not_delete(
        client: TestClient, tokens: Any, clock: FixedClock) -> None:
    sid, _ = live_session_with(client, tokens)
    r = client.post(f"/api/v1/sessions/{sid}/moderation/mute", headers=tokens["console"],
                    json={"buyer_id": "troll", "minutes": 10, "reason": "刷屏"})
    assert r.status_code == 200, r.text
    client.post(f"/api/v1/sessions/{sid}/moderation/ban", headers=tokens["cs"],
                json={"buyer_id": "spammer", "reason": "广告"})
    out = post(client, tokens, sid, [item(clock, "troll", "什么时候发货"),
                                     item(clock, "spammer", "多少钱"),
                                     item(clock, "fan", "这个是骗子")])
    stored = client.get(f"/api/v1/sessions/{sid}/comments", headers=tokens["cs"]).json()
    flags = {c["buyer_id"]: (c["flagged"], c["queued"]) for c in stored["items"]}
    assert flags == {"troll": ("mute", False), "spammer": ("ban", False), "fan": (None, True)}
    queue = client.get(f"/api/v1/sessions/{sid}/questions", headers=tokens["host"]).json()
    assert queue["items"] == []
    # hide the accusation: still stored, marked hidden
    bad = out["ids"][2]
    r = client.post(f"/api/v1/comments/{bad}/hide", headers=tokens["console"],
                    json={"reason": "辱骂"})
    assert r.status_code == 200 and r.json()["hidden"] is True
    hidden = client.get(f"/api/v1/sessions/{sid}/comments?hidden=true",
                        headers=tokens["cs"]).json()
    assert [c["id"] for c in hidden["items"]] == [bad] and hidden["items"][0]["text"]
    # and open a 1-to-1 after-sales ticket on it
    r = client.post(f"/api/v1/comments/{bad}/ticket", headers=tokens["cs"], json={})
    assert r.status_code == 201 and r.json()["buyer_id"] == "fan"
    assert r.json()["status"] == "open"
    r = client.post(f"/api/v1/sessions/{sid}/moderation/mute", headers=tokens["host"],
                    json={"buyer_id": "x"})
    assert r.status_code == 403
    audit = client.get(f"/api/v1/sessions/{sid}/audit", headers=tokens["admin"]).json()
    actions = {a["action"] for a in audit["items"]}
    assert {"comments.mute", "comments.ban", "comments.hide", "comments.ticket"} <= actions
