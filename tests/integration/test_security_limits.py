"""Rate limits through HTTP: sign-in lockout, purchases and orders per buyer, comments per
connector; each a 429 with Retry-After and a stable code. Plus the payment callback's own
secret and the buyer token lifetime at the door."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from liveroom.config import Settings
from liveroom.identity.model import issue_buyer_jwt
from tests.conftest import auth
from tests.factories import live_session_with


@pytest.fixture
def settings(db_url: str, tmp_path: Any) -> Settings:
    return Settings(database_url=db_url, var_dir=tmp_path / "var", sign_in_max_failures=3,
                    buyer_purchases_per_minute=3, buyer_orders_per_minute=2,
                    connector_comments_per_minute=5)


@pytest.fixture(autouse=True)
def _fast_analyzer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVEROOM_COMMENTS_USE_ENCODER", "0")


def buyer(container: Any, name: str, ttl: timedelta = timedelta(hours=1)) -> dict[str, str]:
    return auth(issue_buyer_jwt(name, container.settings.buyer_secret, datetime.now(UTC), ttl))


def assert_limited(r: Any, code: str = "rate_limited") -> None:
    assert r.status_code == 429, r.text
    assert int(r.headers["Retry-After"]) >= 1
    if code:
        assert r.json()["code"] == code


def test_repeated_failed_sign_ins_lock_the_address_out(
        client: TestClient, tokens: Any) -> None:
    good = tokens["console"]["Authorization"].split()[1]
    # given three failed sign-ins from one address
    for _ in range(3):
        r = client.post("/login", data={"token": "lr_guess"}, follow_redirects=False)
        assert r.status_code == 401  # the sign-in form again, with the refusal
    # when even the right token is tried next
    locked = client.post("/login", data={"token": good}, follow_redirects=False)
    # then the address is locked out: 429, Retry-After, and the page says so
    assert_limited(locked, code="")
    assert int(locked.headers["Retry-After"]) > 800
    assert "登录失败次数过多" in locked.text


def test_a_good_sign_in_clears_earlier_failures(client: TestClient, tokens: Any) -> None:
    good = tokens["console"]["Authorization"].split()[1]
    for _ in range(2):
        client.post("/login", data={"token": "lr_typo"}, follow_redirects=False)
    assert client.post("/login", data={"token": good}, follow_redirects=False).status_code == 303
    for _ in range(2):
        client.post("/login", data={"token": "lr_typo"}, follow_redirects=False)
    assert client.post("/login", data={"token": good}, follow_redirects=False
                       ).headers["location"] == "/"


def test_a_buyer_hammering_purchase_is_limited_and_others_are_not(
        client: TestClient, tokens: Any, container: Any) -> None:
    # given a running flash sale
    sid, sku = live_session_with(client, tokens, stock=100)
    fid = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                      json={"sku_id": sku, "price_fen": 9900, "quantity": 50,
                            "per_buyer_limit": 1}).json()["id"]
    client.post(f"/api/v1/flash-sales/{fid}/start", headers=tokens["console"])
    bot = buyer(container, "bot")
    # when one buyer sends four purchase attempts in a minute
    codes = [client.post(f"/api/v1/flash-sales/{fid}/purchases", json={"quantity": 1},
                         headers={**bot, "Idempotency-Key": f"k{i}"}) for i in range(4)]
    # then the first three are answered by the sale and the fourth is refused by the limit
    assert [r.status_code for r in codes[:3]] == [201, 409, 409]
    assert_limited(codes[3])
    assert codes[3].json()["details"]["limit"] == "purchases"
    other = client.post(f"/api/v1/flash-sales/{fid}/purchases", json={"quantity": 1},
                        headers={**buyer(container, "human"), "Idempotency-Key": "h1"})
    assert other.status_code == 201


def test_a_buyer_placing_too_many_orders_is_limited(
        client: TestClient, tokens: Any, container: Any) -> None:
    sid, sku = live_session_with(client, tokens, live_price_fen=12000)
    client.post(f"/api/v1/sessions/{sid}/skus/{sku}/list", headers=tokens["console"])
    amy = buyer(container, "amy")
    codes = [client.post(f"/api/v1/sessions/{sid}/orders",
                         headers={**amy, "Idempotency-Key": f"o{i}"},
                         json={"items": [{"sku_id": sku, "quantity": 1}]}) for i in range(3)]
    assert [r.status_code for r in codes[:2]] == [201, 201]
    assert_limited(codes[2])


def test_a_connector_over_its_comment_budget_gets_429(
        client: TestClient, tokens: Any, clock: Any) -> None:
    sid, _ = live_session_with(client, tokens)

    def batch(n: int, start: int) -> dict[str, Any]:
        return {"comments": [{"id": f"c{start + i}", "buyer_id": f"v{i}", "text": "好看",
                              "ts": clock.now().isoformat()} for i in range(n)]}
    first = client.post(f"/api/v1/sessions/{sid}/comments", json=batch(4, 0),
                        headers=tokens["connector"])
    second = client.post(f"/api/v1/sessions/{sid}/comments", json=batch(4, 10),
                         headers=tokens["connector"])
    assert first.status_code == 202 and first.json()["accepted"] == 4
    assert_limited(second)
    # the websocket answers the same refusal in its error frame, and the socket stays open
    token = tokens["connector"]["Authorization"].split()[1]
    with client.websocket_connect(f"/api/v1/sessions/{sid}/comments/ws?token={token}") as ws:
        ws.send_json({"ref": 1, "comments": batch(1, 20)["comments"]})
        refused = ws.receive_json()
    assert refused["type"] == "error" and refused["code"] == "rate_limited"
    assert refused["ref"] == 1 and refused["details"]["retry_after"] >= 1


def test_the_payment_callback_is_verified_with_its_own_secret(
        client: TestClient, tokens: Any, container: Any) -> None:
    # given a placed order
    sid, sku = live_session_with(client, tokens, live_price_fen=12000)
    client.post(f"/api/v1/sessions/{sid}/skus/{sku}/list", headers=tokens["console"])
    placed = client.post(f"/api/v1/sessions/{sid}/orders",
                         headers={**buyer(container, "dee"), "Idempotency-Key": "p"},
                         json={"items": [{"sku_id": sku, "quantity": 1}]}).json()
    body = json.dumps({"order_id": placed["order_id"], "status": "success",
                       "amount_fen": placed["total_fen"], "reference": "r1"}).encode()
    # when it is signed with a key derived from the buyer secret (how it was done before)
    derived = hashlib.sha256(f"payments:{container.settings.buyer_secret}".encode()).digest()
    old = client.post("/api/v1/payments/callback", content=body, headers={
        "X-Signature": hmac.new(derived, body, hashlib.sha256).hexdigest()})
    # then it is refused; signed with LIVEROOM_PAYMENT_SECRET it marks the order paid
    assert (old.status_code, old.json()["code"]) == (401, "bad_signature")
    key = container.settings.payment_secret.encode()
    ok = client.post("/api/v1/payments/callback", content=body, headers={
        "X-Signature": hmac.new(key, body, hashlib.sha256).hexdigest()})
    assert (ok.status_code, ok.json()["status"]) == (200, "paid")


def test_long_lived_or_string_exp_buyer_tokens_are_refused_at_every_door(
        client: TestClient, tokens: Any, container: Any) -> None:
    sid, sku = live_session_with(client, tokens)
    fid = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                      json={"sku_id": sku, "price_fen": 9900, "quantity": 5}).json()["id"]
    client.post(f"/api/v1/flash-sales/{fid}/start", headers=tokens["console"])
    forever = buyer(container, "eve", timedelta(days=3650))
    stringy = auth(jwt.encode({"sub": "eve", "exp": str(int(datetime.now(UTC).timestamp())
                                                           + 3600)},
                              container.settings.buyer_secret, algorithm="HS256"))
    for headers in (forever, stringy):
        r = client.post(f"/api/v1/flash-sales/{fid}/purchases", json={"quantity": 1},
                        headers={**headers, "Idempotency-Key": "x"})
        assert r.status_code == 401, r.text
        assert client.post(f"/api/v1/sessions/{sid}/orders", json={"items": [
            {"sku_id": sku, "quantity": 1}]}, headers={**headers, "Idempotency-Key": "y"}
            ).status_code == 401
    assert client.post(f"/api/v1/flash-sales/{fid}/purchases", json={"quantity": 1}, headers={
        **buyer(container, "eve"), "Idempotency-Key": "z"}).status_code == 201
