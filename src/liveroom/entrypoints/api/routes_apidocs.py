"""The API reference at /api/v1/docs: Swagger UI from our own vendored files (swagger-ui-dist,
see web/static/vendor/VERSIONS.txt), so it works offline and under the pages' strict CSP:
no CDN, no inline script (the start-up code is static/api-docs.js)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from liveroom.entrypoints.api.web_base import render

router = APIRouter(include_in_schema=False)


@router.get("/api/v1/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    openapi_url = request.app.openapi_url or "/api/v1/openapi.json"
    return render(request, "api_docs.html", {"openapi_url": openapi_url})
