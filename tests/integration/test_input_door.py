"""Bad input is refused at the door, by name and with a stable code, on SQLite and
PostgreSQL: NUL, lone surrogates and control characters in bodies, headers, paths, queries
and the buyer token; oversized bodies (413, decided while streaming) and deep JSON (400)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from liveroom.entrypoints.api.app import create_app
from liveroom.identity.model import issue_buyer_jwt
from tests import factories as f
from tests.conftest import auth
from tests.integration.test_orders import listed_shop


def buyer(container: Any, name: str) -> dict[str, str]:
    return auth(issue_buyer_jwt(name, container.settings.buyer_secret, datetime.now(UTC),
                                ttl=timedelta(days=1)))


def raw_post(client: Any, url: str, body: str, headers: dict[str, str]) -> Any:
    # json.dumps keeps \u0000 and \ud800 as escapes: the bytes a hostile client sends
    return client.post(url, content=body.encode(),
                       headers={**headers, "content-type": "application/json"})


@pytest.mark.parametrize(("value", "reason"), [
    ("a\u0000b", "nul"), ("\ud800x", "surrogate"), ("a\u0007b", "control"),
    ("a\u0085b", "control")])
def test_a_purchase_with_an_unstorable_channel_is_refused_by_name(
        client, tokens, container, value, reason):  # type: ignore[no-untyped-def]
    # given a running flash sale
    sid, sku = f.live_session_with(client, tokens)
    r = client.post(f"/api/v1/sessions/{sid}/flash-sales", headers=tokens["console"],
                    json={"sku_id": sku, "price_fen": 9900, "quantity": 5})
    fid = r.json()["id"]
    client.post(f"/api/v1/flash-sales/{fid}/start", headers=tokens["console"])
    # when a buyer's purchase carries a channel no column can hold
    r = raw_post(client, f"/api/v1/flash-sales/{fid}/purchases",
                 json.dumps({"quantity": 1, "channel": value}),
                 {**buyer(container, "eve"), "Idempotency-Key": "k1"})
    # then it is refused, naming the field and why, and nothing was sold
    assert r.status_code == 422, r.text
    assert (r.json()["code"], r.json()["field"],
            r.json()["details"]["reason"]) == ("invalid_text", "channel", reason)
    assert client.get(f"/api/v1/flash-sales/{fid}").json()["sold"] == 0


def test_unstorable_texts_in_headers_paths_queries_and_tokens_are_refused(
        client, tokens, container):  # type: ignore[no-untyped-def]
    # given a live show with one listed SKU
    sid, sku = f.live_session_with(client, tokens)
    item = {"items": [{"sku_id": sku, "quantity": 1}]}
    url = f"/api/v1/sessions/{sid}/orders"
    # when the key, the path, the query or the token's sub carries a control character
    bad_key = client.post(url, json=item, headers={**buyer(container, "ann"),
                                                   "Idempotency-Key": "k\x7f1"})
    bad_path = client.get("/api/v1/orders/o%00x", headers=buyer(container, "ann"))
    bad_query = client.get(f"/api/v1/sessions/{sid}/orders?status=paid%00",
                           headers=tokens["ops"])
    bad_sub = client.post(url, json=item, headers={**buyer(container, "a\x00b"),
                                                   "Idempotency-Key": "k2"})
    # then each is a 422 invalid_text naming where, and no order exists
    for r, field in [(bad_key, "Idempotency-Key"), (bad_path, "path"),
                     (bad_query, "query status"), (bad_sub, "token sub")]:
        assert r.status_code == 422, r.text
        assert (r.json()["code"], r.json()["field"]) == ("invalid_text", field)
    assert client.get(url, headers=tokens["ops"]).json()["total"] == 0


@pytest.mark.parametrize(("path", "field", "body"), [
    ("/api/v1/products", "name", {"name": "锅\n", "category": "厨具", "tier": "profit",
                                  "skus": [{"code": "P1", "price_fen": 100, "cost_fen": 1,
                                            "stock": 1}]}),
    ("/api/v1/products", "description", {
        "name": "锅", "category": "厨具", "tier": "profit", "description": "d" * 100_000,
        "skus": [{"code": "P1", "price_fen": 100, "cost_fen": 1, "stock": 1}]}),
    ("/api/v1/products", "shipping_regions.0", {
        "name": "锅", "category": "厨具", "tier": "profit", "shipping_regions": ["r" * 300],
        "skus": [{"code": "P1", "price_fen": 100, "cost_fen": 1, "stock": 1}]}),
])
def test_huge_or_broken_texts_are_not_stored(client, tokens, path, field, body):  # type: ignore[no-untyped-def]
    # when a product carries a 100 kB description, a line break in its name, a long region
    r = client.post(path, headers=tokens["ops"], json=body)
    # then it is a 422 naming the field, and nothing is stored
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field
    assert r.json()["code"] in ("invalid_text", "validation_error")
    assert client.get("/api/v1/products", headers=tokens["ops"]).json()["total"] == 0


def test_an_order_refuses_a_huge_utm_and_a_refund_a_huge_reason(client, tokens, container):  # type: ignore[no-untyped-def]
    # given a live show with a listed SKU
    sid, sku = listed_shop(client, tokens)
    item = [{"sku_id": sku, "quantity": 1}]
    # when an order carries a 100 kB utm value
    r = client.post(f"/api/v1/sessions/{sid}/orders", json={"items": item,
                    "utm": {"src": "u" * 100_000}},
                    headers={**buyer(container, "ann"), "Idempotency-Key": "k1"})
    # then it is refused by name
    assert r.status_code == 422 and r.json()["field"] == "utm.src", r.text
    # and a refund with a 100 kB reason is refused before anything is refunded
    r = client.post(f"/api/v1/sessions/{sid}/orders", json={"items": item},
                    headers={**buyer(container, "ann"), "Idempotency-Key": "k2"})
    assert r.status_code == 201, r.text
    oid = r.json()["order_id"]
    r = client.post(f"/api/v1/orders/{oid}/refund", json={"reason": "r" * 100_000},
                    headers=tokens["admin"])
    assert r.status_code == 422 and r.json()["field"] == "reason", r.text


def test_deeply_nested_json_is_a_400_not_a_crash(client, tokens):  # type: ignore[no-untyped-def]
    # when a body nests 100,000 arrays (Python's parser would recurse past its limit)
    r = client.post("/api/v1/products", content=b"[" * 100_000 + b"]" * 100_000,
                    headers={**tokens["ops"], "content-type": "application/json"})
    # then it is refused as too deep
    assert (r.status_code, r.json()["code"]) == (400, "json_too_deep")
    # and brackets inside strings do not count
    body = {"name": "[" * 100, "category": "厨具", "tier": "profit",
            "skus": [{"code": "P1", "price_fen": 100, "cost_fen": 1, "stock": 1}]}
    assert client.post("/api/v1/products", json=body, headers=tokens["ops"]).status_code == 201


def _asgi_post(app: Any, path: str, chunks: int, chunk: bytes,
               headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """(status, chunks the app pulled) of a streamed POST straight through ASGI."""
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": pulled < chunks}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(),
             "query_string": b"", "headers": headers, "http_version": "1.1",
             "scheme": "http", "server": ("test", 80), "client": ("test", 1), "root_path": ""}
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], pulled


def test_a_100_mb_payment_callback_is_refused_while_it_streams(container):  # type: ignore[no-untyped-def]
    app = create_app(container)
    mib = b"x" * (1024 * 1024)
    # when an unauthenticated caller streams 100 MB without saying how long it is
    status, pulled = _asgi_post(app, "/api/v1/payments/callback", 100, mib, [])
    # then it is a 413 after the first chunk over the limit, not after 100 MB
    assert (status, pulled) == (413, 1)
    # and a declared Content-Length over the limit is refused before reading anything
    status, pulled = _asgi_post(app, "/api/v1/payments/callback", 100, mib,
                                [(b"content-length", str(100 * len(mib)).encode())])
    assert (status, pulled) == (413, 0)


def test_a_poisoned_comment_is_rejected_alone_and_its_batch_stored(client, tokens):  # type: ignore[no-untyped-def]
    # given a live show and a connector batch in which one comment holds a NUL
    sid, _ = f.live_session_with(client, tokens)
    batch = [{"buyer_id": "u1", "text": "多少钱"}, {"buyer_id": "u2", "text": "a\u0000b"},
             {"buyer_id": "u3", "text": "\ud800"}, {"buyer_id": "u4", "text": "好看"}]
    # when it is posted
    r = raw_post(client, f"/api/v1/sessions/{sid}/comments",
                 json.dumps({"comments": batch}), tokens["connector"])
    # then the door lets the batch through (comments are checked one by one) and only the
    # poisoned comments are rejected
    assert r.status_code in (200, 201, 202), r.text
    assert r.json()["accepted"] == 2
    assert [x["index"] for x in r.json()["rejected"]] == [1, 2]


def test_a_poisoned_tracking_event_is_refused_at_the_door(client, tokens):  # type: ignore[no-untyped-def]
    # given a live show
    sid, _ = f.live_session_with(client, tokens)
    # when a batch of events carries a NUL in a text
    r = raw_post(client, f"/api/v1/sessions/{sid}/events",
                 json.dumps({"events": [{"kind": "view", "viewer_id": "v\u0000"}]}),
                 tokens["connector"])
    # then it is refused by name before the tracking store sees it
    assert (r.status_code, r.json()["code"]) == (422, "invalid_text"), r.text
    assert r.json()["field"] == "events[0].viewer_id"
