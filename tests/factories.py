"""Builders that go through the public API, as a client would."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

from liveroom.connectors.webhook import sign

_seq = itertools.count(1)


def product(client: TestClient, headers: dict[str, str], *, name: str = "不粘锅",
            tier: str = "profit", category: str = "厨具", price_fen: int = 19900,
            cost_fen: int = 8000, stock: int = 500, **extra: Any) -> dict[str, Any]:
    body = {"name": name, "category": category, "tier": tier,
            "skus": [{"code": f"SKU-{next(_seq)}", "spec": "默认", "price_fen": price_fen,
                      "cost_fen": cost_fen, "stock": stock}], **extra}
    r = client.post("/api/v1/products", json=body, headers=headers)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    out["sku_id"] = out["skus"][0]["id"]
    return out


def session(client: TestClient, headers: dict[str, str], **extra: Any) -> str:
    body = {"title": "厨房好物节", "theme": "kitchen",
            "scheduled_start": "2026-11-27T19:00:00+08:00", "duration_minutes": 120,
            "targets": {"gmv_fen": 50_000_000, "viewers": 20_000, "conversion_rate": 0.08},
            **extra}
    r = client.post("/api/v1/sessions", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def live_session_with(client: TestClient, tokens: dict[str, dict[str, str]],
                      live_price_fen: int = 19900, **product_kw: Any) -> tuple[str, str]:
    """A live session whose lineup holds one product; returns (session_id, sku_id)."""
    p = product(client, tokens["ops"], **product_kw)
    sid = session(client, tokens["ops"])
    r = client.put(f"/api/v1/sessions/{sid}/lineup", headers=tokens["ops"],
                   json={"items": [{"sku_id": p["sku_id"], "live_price_fen": live_price_fen}]})
    assert r.status_code == 200, r.text
    r = client.post(f"/api/v1/sessions/{sid}/start", headers=tokens["console"])
    assert r.status_code == 200, r.text
    return sid, p["sku_id"]


def signed_webhook_headers(secret: str, body: bytes, at: datetime) -> dict[str, str]:
    """The headers a platform sends with a webhook body signed at `at`."""
    stamp = str(int(at.timestamp()))
    return {"X-Liveroom-Timestamp": stamp, "X-Liveroom-Signature": sign(secret, stamp, body),
            "Content-Type": "application/json"}
