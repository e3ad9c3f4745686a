"""Incidents, A/B experiments and roll-ups through HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from liveroom.identity.model import issue_buyer_jwt
from tests import factories as f
from tests.conftest import auth


def test_an_incident_is_opened_resolved_with_its_duration_and_shown_in_the_review(
        client, tokens, clock):
    sid, _ = f.live_session_with(client, tokens)
    r = client.post(f"/api/v1/sessions/{sid}/incidents", headers=tokens["console"],
                    json={"kind": "stream_down", "note": "推流中断，切备用"})
    assert r.status_code == 201, r.text
    iid = r.json()["id"]
    clock.advance(seconds=150)
    done = client.post(f"/api/v1/incidents/{iid}/resolve", headers=tokens["host"])
    assert done.status_code == 200 and done.json()["duration_s"] == 150
    again = client.post(f"/api/v1/incidents/{iid}/resolve", headers=tokens["host"])
    assert again.status_code == 409 and again.json()["code"] == "incident_resolved"
    bad = client.post(f"/api/v1/sessions/{sid}/incidents", headers=tokens["console"],
                      json={"kind": "meteor"})
    assert bad.status_code == 422
    assert client.post(f"/api/v1/sessions/{sid}/incidents", headers=tokens["cs"],
                       json={"kind": "other"}).status_code == 403
    review = client.get(f"/api/v1/sessions/{sid}/review", headers=tokens["ops"]).json()
    assert [(i["kind"], i["duration_s"], i["within_goal"]) for i in review["incidents"]] == [
        ("stream_down", 150, True)]
    page = client.get(f"/api/v1/sessions/{sid}/review.md", headers=tokens["ops"]).text
    assert "推流中断" in page and "stream_down" not in page


def _show_with_viewers(client, tokens, clock, container, viewers, buyers, tag):
    sid, sku = f.live_session_with(client, tokens, stock=1000)
    events = [{"event_id": f"evt-{tag}-{i:06d}", "type": "enter", "buyer_id": f"{tag}{i}",
               "ts": clock.now().isoformat()} for i in range(viewers)]
    for k in range(0, len(events), 1000):
        r = client.post(f"/api/v1/sessions/{sid}/events", json={"events": events[k:k + 1000]},
                        headers=tokens["connector"])
        assert r.json()["accepted"] == len(events[k:k + 1000])
    fid = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                      json={"sku_id": sku, "price_fen": 9900, "quantity": 1000}).json()["id"]
    client.post(f"/api/v1/flash-sales/{fid}/start", headers=tokens["console"])
    for i in range(buyers):
        h = {**auth(issue_buyer_jwt(f"{tag}{i}", container.settings.buyer_secret,
                                    datetime.now(UTC), timedelta(hours=1))),
             "Idempotency-Key": f"k-{tag}{i}"}
        oid = client.post(f"/api/v1/flash-sales/{fid}/purchases", json={"quantity": 1},
                          headers=h).json()["order_id"]
        assert client.post(f"/api/v1/orders/{oid}/pay", headers=h, json={}).status_code == 200
    client.post(f"/api/v1/sessions/{sid}/end", headers=tokens["host"])
    return sid


def test_an_experiment_gives_a_verdict_on_conversion(client, tokens, clock, container):
    # given two shows: 20 of 400 viewers bought in A, 60 of 400 in B
    a = _show_with_viewers(client, tokens, clock, container, 400, 20, "a")
    b = _show_with_viewers(client, tokens, clock, container, 400, 60, "b")
    r = client.post("/api/v1/experiments", headers=tokens["ops"], json={
        "name": "开场秒杀 vs 福袋", "metric": "conversion",
        "arms": [{"label": "A", "session_id": a}, {"label": "B", "session_id": b}]})
    assert r.status_code == 201, r.text
    out = client.get(f"/api/v1/experiments/{r.json()['id']}", headers=tokens["ops"]).json()
    assert [(x["label"], x["value"], x["n"]) for x in out["arms"]] == [("A", 0.05, 400),
                                                                      ("B", 0.15, 400)]
    assert out["verdict"] == "b_better" and out["p_value"] < 0.001
    assert out["ci"][0] < out["effect"] < out["ci"][1]
    # and money per viewer is compared with a bootstrap
    r = client.post("/api/v1/experiments", headers=tokens["ops"], json={
        "name": "uv", "metric": "uv_value",
        "arms": [{"label": "A", "session_id": a}, {"label": "B", "session_id": b}]})
    uv = client.get(f"/api/v1/experiments/{r.json()['id']}", headers=tokens["admin"]).json()
    assert uv["arms"][0]["value"] == 20 * 9900 / 400 and uv["verdict"] == "b_better"
    assert client.get(f"/api/v1/experiments/{r.json()['id']}",
                      headers=tokens["console"]).status_code == 403


def test_a_rollup_sums_the_period_and_compares_with_the_one_before(client, tokens, clock,
                                                                   container):
    sid = _show_with_viewers(client, tokens, clock, container, 50, 5, "r")
    r = client.get("/api/v1/reports/rollup?period=week&date=2026-11-27", headers=tokens["ops"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["current"]["sessions"] == 1 and body["current"]["gmv_fen"] == 5 * 9900
    assert body["current"]["shows"][0]["id"] == sid
    assert body["previous"]["sessions"] == 0 and body["change"]["gmv_fen"] is None
    assert client.get("/api/v1/reports/rollup?period=year&date=2026-11-27",
                      headers=tokens["ops"]).status_code == 422
