"""Keyword lottery reproducibility, FAQ auto-replies, the signed webhook and the websocket."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from liveroom.comments.lottery import draw_winners
from liveroom.comments.worker import StoreUnavailable
from liveroom.core.clock import FixedClock
from tests.factories import live_session_with, signed_webhook_headers


@pytest.fixture(autouse=True)
def _fast_analyzer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVEROOM_COMMENTS_USE_ENCODER", "0")


def say(clock: FixedClock, buyer: str, text: str) -> dict[str, Any]:
    return {"buyer_id": buyer, "nickname": buyer, "text": text, "ts": clock.now().isoformat()}


def test_a_keyword_lottery_is_committed_before_and_reproducible_after(
        client: TestClient, tokens: Any, clock: FixedClock) -> None:
    sid, _ = live_session_with(client, tokens)
    r = client.post(f"/api/v1/sessions/{sid}/lotteries", headers=tokens["console"],
                    json={"keyword": "厨房好物", "kind": "lottery", "winners": 3,
                          "duration_seconds": 60})
    assert r.status_code == 201, r.text
    game = r.json()
    assert game["seed"] is None and len(game["commitment"]) == 64
    clock.advance(seconds=5)
    comments = [say(clock, f"b{i}", "厨房好物 冲冲冲") for i in range(20)]
    comments += [say(clock, "b1", "厨房好物!!"), say(clock, "x", "多少钱")]
    r = client.post(f"/api/v1/sessions/{sid}/comments", headers=tokens["connector"],
                    json={"comments": comments})
    assert r.status_code == 202
    early = client.post(f"/api/v1/lotteries/{game['id']}/draw", headers=tokens["console"])
    assert early.status_code == 409 and early.json()["code"] == "lottery_still_open"
    public = client.get(f"/api/v1/lotteries/{game['id']}").json()
    assert public["entrants"] == 20 and public["seed"] is None
    clock.advance(seconds=60)
    r = client.post(f"/api/v1/lotteries/{game['id']}/draw", headers=tokens["console"])
    assert r.status_code == 200, r.text
    drawn = r.json()
    # anyone can check: the seed matches the commitment and recomputes the same winners
    after = client.get(f"/api/v1/lotteries/{game['id']}").json()
    assert hashlib.sha256(after["seed"].encode()).hexdigest() == game["commitment"]
    assert draw_winners(after["seed"], after["entrant_ids"], 3) == drawn["winners"]
    assert after["winners"] == drawn["winners"] and len(set(drawn["winners"])) == 3
    again = client.post(f"/api/v1/lotteries/{game['id']}/draw", headers=tokens["console"])
    assert again.status_code == 409 and again.json()["code"] == "lottery_already_drawn"


def test_faq_answers_questions_and_auto_replies_respect_the_switch_and_budget(
        client: TestClient, tokens: Any, clock: FixedClock) -> None:
    sid, _ = live_session_with(client, tokens)
    r = client.put(f"/api/v1/sessions/{sid}/faq", headers=tokens["ops"], json={"entries": [
        {"id": "ship", "question": "什么时候发货", "answer": "付款后48小时内发货"}]})
    assert r.status_code == 200, r.text
    assert client.get(f"/api/v1/sessions/{sid}/faq", headers=tokens["host"]).json()[
        "entries"][0]["id"] == "ship"
    url = f"/api/v1/sessions/{sid}/comments"
    client.post(url, headers=tokens["connector"], json={"comments": [
        say(clock, "a", "什么时候发货")]})
    queue = client.get(f"/api/v1/sessions/{sid}/questions", headers=tokens["host"]).json()
    assert queue["items"] == []  # the FAQ answered it: no card for the host
    assert client.get(f"/api/v1/sessions/{sid}/autoreply",
                      headers=tokens["host"]).json()["recent"] == []  # switch is off
    r = client.put(f"/api/v1/sessions/{sid}/autoreply", headers=tokens["console"],
                   json={"enabled": True, "max_per_minute": 1})
    assert r.status_code == 200, r.text
    client.post(url, headers=tokens["connector"], json={"comments": [
        say(clock, "b", "什么时候发货"), say(clock, "c", "什么时候发货")]})
    recent = client.get(f"/api/v1/sessions/{sid}/autoreply", headers=tokens["host"]).json()
    assert [m["text"] for m in recent["recent"]] == ["@b 付款后48小时内发货"]


def test_signed_webhook_ingests_and_refuses_replays(
        client: TestClient, tokens: Any, clock: FixedClock) -> None:
    sid, _ = live_session_with(client, tokens)
    r = client.post(f"/api/v1/sessions/{sid}/connectors", headers=tokens["console"])
    assert r.status_code == 201, r.text
    hook = r.json()
    body = json.dumps({"comments": [say(clock, "w1", "假货吧")]}).encode()
    headers = signed_webhook_headers(hook["secret"], body, clock.now())
    r = client.post(hook["url"], content=body, headers=headers)
    assert r.status_code == 202 and r.json()["accepted"] == 1, r.text
    replay = client.post(hook["url"], content=body, headers=headers)
    assert replay.status_code == 401 and replay.json()["code"] == "webhook_replayed"
    forged = client.post(hook["url"], content=body,
                         headers=signed_webhook_headers("wrong", body, clock.now()))
    assert forged.json()["code"] == "webhook_signature_invalid"


def test_connector_websocket_acks_batches(client: TestClient, tokens: Any,
                                          clock: FixedClock, container: Any) -> None:
    sid, _ = live_session_with(client, tokens)
    token = tokens["connector"]["Authorization"].split()[1]
    with client.websocket_connect(f"/api/v1/sessions/{sid}/comments/ws") as ws:
        ws.send_json({"token": token})
        ws.send_json({"ref": 1, "comments": [say(clock, "s1", "几号链接"),
                                              {"buyer_id": "", "text": "x"}]})
        ack = ws.receive_json()
    assert ack["type"] == "ack" and ack["ref"] == 1 and ack["accepted"] == 1
    assert ack["rejected"][0]["index"] == 1
    with client.websocket_connect(f"/api/v1/sessions/{sid}/comments/ws?token=bad") as ws:
        assert ws.receive_json()["code"] == "unauthenticated"


@pytest.mark.parametrize("role", ["ops", "cs"])
def test_a_role_that_may_not_ingest_cannot_mint_a_webhook_secret(
        client: TestClient, tokens: Any, role: str) -> None:
    # given a live session and a role with comments.configure but not comments.ingest
    sid, _ = live_session_with(client, tokens)
    # when it asks for a webhook connector
    r = client.post(f"/api/v1/sessions/{sid}/connectors", headers=tokens[role])
    # then it is refused: the secret would let it ingest comments
    assert r.status_code == 403, r.text
    assert "secret" not in r.json()


def test_a_malformed_websocket_frame_is_answered_and_the_socket_stays_open(
        client: TestClient, tokens: Any, clock: FixedClock) -> None:
    # given a connector socket
    sid, _ = live_session_with(client, tokens)
    token = tokens["connector"]["Authorization"].split()[1]
    with client.websocket_connect(f"/api/v1/sessions/{sid}/comments/ws?token={token}") as ws:
        # when one frame is not JSON and the next is a good batch
        ws.send_text("{not json")
        error = ws.receive_json()
        ws.send_json({"ref": 7, "comments": [say(clock, "s1", "几号链接")]})
        ack = ws.receive_json()
    # then the bad frame gets a stable error and the batch is still acknowledged
    assert error["type"] == "error" and error["code"] == "malformed_json"
    assert ack["type"] == "ack" and ack["ref"] == 7 and ack["accepted"] == 1


@pytest.mark.parametrize("first", ["not json", '{"token": 5}', "[1]"])
def test_a_bad_first_message_is_refused_as_unauthenticated(
        client: TestClient, tokens: Any, first: str) -> None:
    # given a socket opened without ?token=
    sid, _ = live_session_with(client, tokens)
    with client.websocket_connect(f"/api/v1/sessions/{sid}/comments/ws") as ws:
        # when the first message is not {"token": "<string>"}
        ws.send_text(first)
        reply = ws.receive_json()
    # then a stable error, not a server crash
    assert reply["type"] == "error" and reply["code"] == "unauthenticated"


def test_a_webhook_retry_after_a_store_failure_is_not_refused_as_a_replay(
        client: TestClient, tokens: Any, clock: FixedClock, container: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # given a webhook connector and a store that fails the first delivery
    sid, _ = live_session_with(client, tokens)
    hook = client.post(f"/api/v1/sessions/{sid}/connectors", headers=tokens["console"]).json()
    pipeline = container.comment_pipeline
    real_submit = pipeline.submit
    failures = [StoreUnavailable("comments not stored: OperationalError")]

    async def flaky_submit(*args: Any, **kwargs: Any) -> Any:
        if failures:
            raise failures.pop()
        return await real_submit(*args, **kwargs)

    monkeypatch.setattr(pipeline, "submit", flaky_submit)
    body = json.dumps({"comments": [say(clock, "w1", "什么时候发货")]}).encode()
    headers = signed_webhook_headers(hook["secret"], body, clock.now())
    first = client.post(hook["url"], content=body, headers=headers)
    # when the sender retries the identical request
    retry = client.post(hook["url"], content=body, headers=headers)
    # then the first was a 503 and the retry is stored; a third copy is a replay
    assert first.status_code == 503, first.text
    assert retry.status_code == 202 and retry.json()["accepted"] == 1, retry.text
    again = client.post(hook["url"], content=body, headers=headers)
    assert again.status_code == 401 and again.json()["code"] == "webhook_replayed"
