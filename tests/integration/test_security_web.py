"""Browser-facing protections (headers, CSP nonce, the sign-in cookie), the OpenAPI security
schemes, a revoked connector's websocket, and `liveroom serve` refusing built-in secrets."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from liveroom.bootstrap import bootstrap
from liveroom.config import Settings
from liveroom.entrypoints.api.app import create_app
from liveroom.identity.handlers import AddUser
from liveroom.identity.model import SYSTEM, issue_buyer_jwt
from tests.conftest import REDIS_URL, auth, empty_postgres, redis_or_skip
from tests.factories import live_session_with

CLI = str(Path(sys.executable).parent / "liveroom")


@pytest.fixture
def settings(db_url: str, tmp_path: Any) -> Settings:
    return Settings(database_url=db_url, var_dir=tmp_path / "var", token_recheck_seconds=0.1)


def test_pages_forbid_sniffing_and_framing_and_allow_only_our_own_assets(
        client: TestClient, tokens: Any) -> None:
    token = tokens["console"]["Authorization"].split()[1]
    client.cookies.set("liveroom_token", token)
    sid, _ = live_session_with(client, tokens)
    for url in ("/login", "/", f"/console/{sid}", f"/dashboard/{sid}"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        policy = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
        assert "unsafe-inline" not in policy and "http" not in policy
        nonce = re.search(r"'nonce-([^']+)'", policy)
        assert nonce is not None
        # htmx's indicator style gets this response's nonce; every script is our own file
        assert f'"inlineStyleNonce": "{nonce.group(1)}"' in r.text
        assert all(src.startswith("/static/")
                   for src in re.findall(r'<script[^>]*src="([^"]+)"', r.text))
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", r.text), url  # no inline script
    api = client.get("/api/v1/health")
    assert api.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in api.headers  # JSON needs none


def test_the_review_page_inlines_its_scripts_under_the_response_nonce(
        client: TestClient, tokens: Any) -> None:
    sid, _ = live_session_with(client, tokens)
    client.post(f"/api/v1/sessions/{sid}/end", headers=tokens["host"])
    r = client.get(f"/api/v1/sessions/{sid}/review.html", headers=tokens["ops"])
    nonce = re.search(r"'nonce-([^']+)'", r.headers["content-security-policy"]).group(1)
    tags = re.findall(r"<(script|style)([^>]*)>", r.text)
    assert tags and all(f'nonce="{nonce}"' in attrs for _, attrs in tags)


def test_the_sign_in_cookie_expires_and_is_secure_over_https(
        container: Any, tokens: Any) -> None:
    token = tokens["console"]["Authorization"].split()[1]
    app = create_app(container)
    with TestClient(app, base_url="http://testserver") as plain:
        cookie = plain.post("/login", data={"token": token},
                            follow_redirects=False).headers["set-cookie"]
    assert "Max-Age=43200" in cookie and "HttpOnly" in cookie and "Secure" not in cookie
    with TestClient(app, base_url="https://testserver") as tls:
        cookie = tls.post("/login", data={"token": token},
                          follow_redirects=False).headers["set-cookie"]
    assert "Secure" in cookie and "Max-Age=43200" in cookie


def test_openapi_declares_bearer_schemes_instead_of_an_authorization_parameter(
        client: TestClient) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    schemes = doc["components"]["securitySchemes"]
    assert schemes["operatorToken"] == {**schemes["operatorToken"], "type": "http",
                                        "scheme": "bearer"}
    assert schemes["buyerJWT"]["scheme"] == "bearer" and schemes["buyerJWT"]["bearerFormat"] \
        == "JWT"
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            names = [p["name"].lower() for p in op.get("parameters", [])]
            assert "authorization" not in names, (method, path)
    paths = doc["paths"]
    assert paths["/api/v1/sessions"]["get"]["security"] == [{"operatorToken": []}]
    assert paths["/api/v1/sessions/{sid}/orders"]["post"]["security"] == [{"buyerJWT": []}]
    assert paths["/api/v1/flash-sales/{fid}/purchases"]["post"]["security"] == [
        {"buyerJWT": []}]
    assert {"buyerJWT": []} in paths["/api/v1/orders/{oid}"]["get"]["security"]
    # the shelf is public; a buyer's token is optional (it shows the member price)
    assert paths["/api/v1/sessions/{sid}/shelf"]["get"].get("security", [{"buyerJWT": []}]) \
        == [{"buyerJWT": []}]


def test_revoking_a_connector_token_closes_its_open_websocket(
        client: TestClient, tokens: Any, container: Any) -> None:
    # given a connector streaming comments over its websocket
    sid, _ = live_session_with(client, tokens)
    token = tokens["connector"]["Authorization"].split()[1]
    with client.websocket_connect(f"/api/v1/sessions/{sid}/comments/ws?token={token}") as ws:
        # when an admin revokes the connector's tokens
        r = client.delete("/api/v1/users/connector-user/tokens", headers=tokens["admin"])
        assert r.status_code == 200 and r.json()["revoked"] == 1
        # then the socket is told why and closed with 4401 within the recheck period
        started = time.monotonic()
        error = ws.receive_json()
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert error["type"] == "error" and error["code"] == "unauthenticated"
    assert closed.value.code == 4401 and time.monotonic() - started < 5


def test_serve_refuses_the_built_in_secrets_outside_development(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEROOM_")}
    env.update(LIVEROOM_ENV="production", LIVEROOM_VAR_DIR=str(tmp_path))
    out = subprocess.run([CLI, "serve", "--port", "1"], env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 2
    message = " ".join(out.stderr.split())
    assert "refusing to start" in message and "LIVEROOM_PAYMENT_SECRET" in message
    assert "LIVEROOM_ENV=development" in message


@pytest.mark.redis
def test_with_redis_two_servers_count_one_buyer_against_one_limit(
        db_url: str, tmp_path: Path, clock: Any) -> None:
    redis_or_skip()
    # given two servers on one database and one Redis, a listed SKU, a limit of 2 orders
    s = Settings(database_url=db_url, var_dir=tmp_path, redis_url=REDIS_URL,
                 stock_backend="sql", buyer_orders_per_minute=2)
    first, second = bootstrap(s, clock=clock), bootstrap(s, clock=clock)
    empty_postgres(first.engine)
    tokens = {role: auth(first.bus.handle(AddUser(f"{role}-r", role), SYSTEM)["token"])
              for role in ("ops", "console")}
    buyer = auth(issue_buyer_jwt(f"b-{uuid.uuid4().hex[:8]}", s.buyer_secret,
                                 datetime.now(UTC), timedelta(hours=1)))
    try:
        with TestClient(create_app(first)) as a, TestClient(create_app(second)) as b:
            sid, sku = live_session_with(a, tokens, live_price_fen=12000)
            a.post(f"/api/v1/sessions/{sid}/skus/{sku}/list", headers=tokens["console"])
            # when one buyer orders on server A, then B, then A again
            codes = [c.post(f"/api/v1/sessions/{sid}/orders",
                            headers={**buyer, "Idempotency-Key": f"k{i}"},
                            json={"items": [{"sku_id": sku, "quantity": 1}]})
                     for i, c in enumerate((a, b, a))]
        # then the third is refused: both servers count against one shared window
        assert [r.status_code for r in codes] == [201, 201, 429], [r.text for r in codes]
        assert codes[2].json()["code"] == "rate_limited" and codes[2].headers["Retry-After"]
    finally:
        first.close()
        second.close()
