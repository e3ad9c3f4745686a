"""Working after-sales tickets over HTTP: reply, assign, close, SLA figures, audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from liveroom.core.clock import FixedClock
from tests.factories import live_session_with


@pytest.fixture(autouse=True)
def _fast_analyzer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVEROOM_COMMENTS_USE_ENCODER", "0")


def _ticket_on_a_comment(client: TestClient, tokens: Any, clock: FixedClock, sid: str,
                         buyer: str, text: str) -> str:
    r = client.post(f"/api/v1/sessions/{sid}/comments", headers=tokens["connector"], json={
        "comments": [{"buyer_id": buyer, "text": text, "ts": clock.now().isoformat()}]})
    assert r.status_code == 202, r.text
    r = client.post(f"/api/v1/comments/{r.json()['ids'][0]}/ticket", headers=tokens["cs"],
                    json={})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_a_ticket_is_answered_assigned_and_closed_with_sla_figures(
        client: TestClient, tokens: Any, clock: FixedClock) -> None:
    # given two tickets opened from buyers' complaints
    sid, _ = live_session_with(client, tokens)
    quick = _ticket_on_a_comment(client, tokens, clock, sid, "b1", "收到的碗碎了怎么办")
    slow = _ticket_on_a_comment(client, tokens, clock, sid, "b2", "退款还没到账")
    # when the first is answered in 30 min (twice) and closed the next day
    clock.advance(minutes=30)
    r = client.post(f"/api/v1/tickets/{quick}/respond", headers=tokens["cs"],
                    json={"message": "亲，麻烦拍照发一下，给您补发"})
    assert r.status_code == 200, r.text
    first = r.json()["first_response_at"]
    assert r.json()["status"] == "in_progress" and first
    clock.advance(minutes=30)
    r = client.post(f"/api/v1/tickets/{quick}/respond", headers=tokens["cs"],
                    json={"message": "已登记补发"})
    assert r.json()["first_response_at"] == first
    r = client.post(f"/api/v1/tickets/{slow}/assign", headers=tokens["console"],
                    json={"assignee": "客服小李"})
    assert r.status_code == 200 and r.json()["assignee"] == "客服小李"
    clock.advance(hours=23)
    r = client.post(f"/api/v1/tickets/{quick}/close", headers=tokens["cs"],
                    json={"resolution": "已补发，单号 SF123"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "completed" and r.json()["completed_at"]
    # and the slow one waits 49 h in all without a word
    clock.advance(hours=25)
    # then the list shows the work and the SLA shares
    r = client.get(f"/api/v1/sessions/{sid}/tickets", headers=tokens["cs"])
    assert r.status_code == 200, r.text
    body = r.json()
    by_id = {t["id"]: t for t in body["items"]}
    assert [m["kind"] for m in by_id[quick]["messages"]] == ["respond", "respond", "close"]
    assert by_id[quick]["resolution"] == "已补发，单号 SF123"
    assert by_id[slow]["status"] == "in_progress" and by_id[slow]["first_response_at"] is None
    assert body["sla"]["first_response_within_2h"] == {"due": 2, "met": 1, "share": 0.5}
    assert body["sla"]["completed_within_48h"]["due"] == 2
    assert body["sla"]["completed_within_48h"]["share"] == 0.5
    # and a closed ticket refuses more work, an unknown one is 404, a host may not touch it
    r = client.post(f"/api/v1/tickets/{quick}/respond", headers=tokens["cs"],
                    json={"message": "again"})
    assert r.status_code == 409 and r.json()["code"] == "ticket_closed"
    r = client.post("/api/v1/tickets/nope/close", headers=tokens["cs"],
                    json={"resolution": "x"})
    assert r.status_code == 404 and r.json()["code"] == "ticket_not_found"
    r = client.post(f"/api/v1/tickets/{slow}/respond", headers=tokens["host"],
                    json={"message": "hi"})
    assert r.status_code == 403
    audit = client.get(f"/api/v1/sessions/{sid}/audit", headers=tokens["admin"]).json()
    actions = [a["action"] for a in audit["items"]]
    assert {"comments.ticket.respond", "comments.ticket.assign",
            "comments.ticket.close"} <= set(actions)
