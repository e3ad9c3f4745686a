"""The pages work under their Content-Security-Policy: nothing the browser blocks, htmx's
indicator style admitted by the nonce, and the review report's inline charts drawn."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.test_console_browser import seed

pytestmark = pytest.mark.e2e


def test_console_dashboard_and_review_run_with_nothing_blocked(server, page):
    admin = server.cli("user", "add", "csp-admin", "--role", "admin")
    sid, _ = seed(server, admin, code="PAN-CSP")
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text)
            if "Content Security Policy" in m.text or "Refused to" in m.text else None)
    page.on("pageerror", lambda e: blocked.append(str(e)))
    page.context.add_cookies([{"name": "liveroom_token", "value": admin, "url": server.url}])
    # the console: htmx loads, inserts its nonce'd indicator style and opens the live feed
    page.goto(f"{server.url}/console/{sid}")
    page.wait_for_selector("#sink", state="attached")  # the live feed's first snapshot
    assert page.evaluate("!!document.querySelector('head style[nonce]')")
    page.click("button:has-text('开播')")
    page.wait_for_selector("#console[data-status=live] #status:has-text('直播中')")
    # the dashboard: ECharts from /static draws
    page.goto(f"{server.url}/dashboard/{sid}")
    # selectors, not wait_for_function: the page's CSP forbids the eval that needs
    page.wait_for_selector("#d-kpis:has-text('¥')")
    page.wait_for_selector("#timeline canvas, #timeline svg")
    # the review report: inline ECharts under the response nonce draws its SVG charts
    with httpx.Client(base_url=server.url,
                      headers={"Authorization": f"Bearer {admin}"}) as c:
        c.post(f"/api/v1/sessions/{sid}/end").raise_for_status()
    page.set_extra_http_headers({"Authorization": f"Bearer {admin}"})
    page.goto(f"{server.url}/api/v1/sessions/{sid}/review.html")
    page.wait_for_selector("#timeline svg")
    assert blocked == []
