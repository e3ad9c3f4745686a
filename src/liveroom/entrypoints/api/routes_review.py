from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from liveroom.entrypoints.api.deps import ContainerDep, Operator, Reader
from liveroom.entrypoints.api.downloads import download
from liveroom.entrypoints.api.security_headers import nonce_of
from liveroom.entrypoints.api.web_base import Token, locale_of, page, templates
from liveroom.entrypoints.api.web_i18n import gettext
from liveroom.entrypoints.api.web_labels import N_
from liveroom.identity.model import Actor
from liveroom.review import render
from liveroom.review.views import review

router = APIRouter(tags=["review"])
pages = APIRouter(include_in_schema=False)
templates.env.filters.update(render.FILTERS)  # the review body's filters, as in the report
DOWNLOADS = [("pdf", N_("Download PDF (A4)")), ("xlsx", N_("Download Excel")),
             ("html", N_("Open the report (HTML)")), ("md", N_("Download Markdown"))]


@router.get("/sessions/{sid}/review")
def get_review(sid: str, conn: Reader, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    actor.require("review.read")
    return review(conn, sid, c.clock.now(), c.metrics_cache.segments)


@router.get("/sessions/{sid}/review.{fmt}")
def download_review(sid: str, fmt: str, request: Request, conn: Reader, c: ContainerDep,
                    actor: Operator) -> Response:
    actor.require("review.read")
    data = review(conn, sid, c.clock.now(), c.metrics_cache.segments)
    locale = locale_of(request)
    if fmt == "html":
        return HTMLResponse(render.to_html(data, c.settings.timezone, nonce_of(request),
                                           locale))
    with tempfile.TemporaryDirectory(prefix="review-") as out:
        path = render.write(data, fmt, Path(out), c.settings.timezone, locale)
        body = path.read_bytes()  # a few MB at most; the directory goes with the request
    return download(body, path.name)


@pages.get("/sessions/{sid}/review", response_class=HTMLResponse)
def review_page(sid: str, request: Request, c: ContainerDep, token: Token = None) -> Response:
    """The review (复盘) as a page: the report's figures and charts, and its downloads."""
    def context(actor: Actor) -> dict[str, Any]:
        with c.read() as conn, conn.begin():
            data = review(conn, sid, c.clock.now(), c.metrics_cache.segments)
        return {**render.context(data, c.settings.timezone, locale_of(request)),
                "downloads": [(fmt, gettext(locale_of(request), words))
                              for fmt, words in DOWNLOADS]}
    return page(request, c, token, "review_page.html", context, "review.read")
