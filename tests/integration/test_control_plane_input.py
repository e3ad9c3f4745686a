"""Input the columns cannot hold is a 4xx with a stable code on SQLite and PostgreSQL,
never a 500 from the database."""

from __future__ import annotations

import pytest

from liveroom.entrypoints.api.routes_web import csrf_for
from tests import factories as f


def test_a_taken_coupon_code_is_a_conflict_and_writes_nothing(client, tokens):
    # given a live show with a coupon coded KOL88
    sid, _ = f.live_session_with(client, tokens)
    url = f"/api/v1/sessions/{sid}/coupons"
    body = {"name": "达人专属券", "kind": "fixed", "discount_fen": 500, "total": 100,
            "code": "KOL88"}
    assert client.post(url, headers=tokens["console"], json=body).status_code == 201
    # when a second coupon asks for the same code
    r = client.post(url, headers=tokens["console"], json=body)
    # then it is refused with a stable code and only the first coupon exists
    assert r.status_code == 409 and r.json()["code"] == "duplicate_coupon_code"
    assert len(client.get(url, headers=tokens["host"]).json()["items"]) == 1


@pytest.mark.parametrize(("path", "body"), [
    ("coupons", {"name": "券" * 150, "kind": "fixed", "discount_fen": 500, "total": 1}),
    ("coupons", {"name": "券", "kind": "fixed", "discount_fen": 500, "total": 2**40}),
    ("coupons", {"name": "券", "kind": "fixed", "discount_fen": 2**70, "total": 1}),
    ("coupons", {"name": "券", "kind": "fixed", "discount_fen": 500, "total": 1,
                 "valid_from": "9999-12-31T23:00:00+00:00"}),
    ("links", {"channel": "kol", "koc": "k" * 100}),
    ("links", {"channel": "kol", "spend_fen": 2**70}),
])
def test_values_a_column_cannot_hold_are_refused_by_name(client, tokens, path, body):
    # given a live show
    sid, _ = f.live_session_with(client, tokens)
    # when a body carries a value too long, too large or too far in time for its column
    r = client.post(f"/api/v1/sessions/{sid}/{path}", headers=tokens["admin"], json=body)
    # then it is a validation error naming the field, not a server error
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "validation_error" and r.json()["field"] in body


def test_products_and_sessions_refuse_what_their_columns_cannot_hold(client, tokens):
    # given bodies with a 150-character brand, a 2^40 stock, a non-numeric target, year 1
    sku = {"code": "PAN-1", "price_fen": 19900, "cost_fen": 8000, "stock": 10}
    product = {"name": "锅", "category": "厨具", "tier": "profit", "skus": [sku]}
    show = {"title": "t", "scheduled_start": "2026-11-27T19:00:00+08:00",
            "duration_minutes": 120}
    bad = [("products", {**product, "brand": "b" * 150}),
           ("products", {**product, "skus": [{**sku, "stock": 2**40}]}),
           ("sessions", {**show, "targets": {"repeat_rate": "high"}}),
           ("sessions", {**show, "scheduled_start": "0001-01-01T00:00:00+08:00"})]
    for path, body in bad:
        # when each is sent
        r = client.post(f"/api/v1/{path}", headers=tokens["ops"], json=body)
        # then each is a 422 validation error
        assert r.status_code == 422 and r.json()["code"] == "validation_error", r.text


def test_a_page_offset_beyond_any_table_is_refused(client, tokens):
    # given a session
    sid = f.session(client, tokens["ops"])
    # when its audit trail is asked for at an offset SQLite cannot bind
    r = client.get(f"/api/v1/sessions/{sid}/audit?offset={2**70}", headers=tokens["admin"])
    # then the offset is refused by name
    assert r.status_code == 422 and r.json()["field"] == "offset"


def test_the_web_console_refuses_a_price_too_large_for_any_column(client, tokens):
    # given a live show and a console operator signed in to the web console
    sid, sku = f.live_session_with(client, tokens)
    token = tokens["console"]["Authorization"].removeprefix("Bearer ")
    client.cookies.set("liveroom_token", token)
    # when forty nines are typed as the price
    r = client.post(f"/console/{sid}/price/{sku}", data={"price": "9" * 40},
                    headers={"X-CSRF-Token": csrf_for(token)})
    # then the console shows the error inline and the price is unchanged
    assert r.status_code == 200 and 'data-code="invalid_price"' in r.text
    lineup = client.get(f"/api/v1/sessions/{sid}/lineup", headers=tokens["host"]).json()
    assert lineup["items"][0]["live_price_fen"] == 19900
