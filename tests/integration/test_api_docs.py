"""/api/v1/docs is Swagger UI served from our own files: nothing from a CDN, no inline
script, under the same CSP as every page."""

from __future__ import annotations

import re


def test_api_docs_page_loads_swagger_ui_from_static(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "cdn" not in html.lower() and "https://" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline block: CSP forbids it
    csp = r.headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe" not in csp
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        got = client.get(asset)
        assert got.status_code == 200 and len(got.content) > 100, asset
    assert "/static/vendor/swagger-ui-bundle.js" in html
    assert 'data-openapi-url="/api/v1/openapi.json"' in html
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "liveroom"
