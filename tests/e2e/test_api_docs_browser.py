"""Swagger UI at /api/v1/docs draws the operations offline: every request stays on our
server and the CSP blocks nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_api_docs_draw_with_no_request_leaving_the_server(server, page) -> None:  # type: ignore[no-untyped-def]
    requests: list[str] = []
    blocked: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: blocked.append(m.text)
            if "Content Security Policy" in m.text or "Refused to" in m.text else None)
    page.on("pageerror", lambda e: blocked.append(str(e)))
    page.goto(f"{server.url}/api/v1/docs")
    # a 1.7 MB bundle and the whole OpenAPI document: slow on a loaded machine
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/health")).to_be_visible(
        timeout=60_000)
    expect(page.locator(".info .title", has_text="liveroom")).to_be_visible()
    page.locator(".opblock-summary-path", has_text="/api/v1/health").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    away = [u for u in requests if not u.startswith(server.url) and not u.startswith("data:")]
    assert away == [] and blocked == []
