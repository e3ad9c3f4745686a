from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from liveroom.entrypoints.api.deps import ContainerDep, Operator, Reader
from liveroom.entrypoints.api.security_headers import nonce_of
from liveroom.review import render
from liveroom.review.views import review

router = APIRouter(tags=["review"])
MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "pdf": "application/pdf", "md": "text/markdown; charset=utf-8"}


@router.get("/sessions/{sid}/review")
def get_review(sid: str, conn: Reader, c: ContainerDep, actor: Operator) -> dict[str, Any]:
    actor.require("review.read")
    return review(conn, sid, c.clock.now(), c.metrics_cache.segments)


@router.get("/sessions/{sid}/review.{fmt}")
def download_review(sid: str, fmt: str, request: Request, conn: Reader, c: ContainerDep,
                    actor: Operator) -> Response:
    actor.require("review.read")
    data = review(conn, sid, c.clock.now(), c.metrics_cache.segments)
    if fmt == "html":
        return HTMLResponse(render.to_html(data, c.settings.timezone, nonce_of(request)))
    with tempfile.TemporaryDirectory(prefix="review-") as out:
        path = render.write(data, fmt, Path(out), c.settings.timezone)
        body = path.read_bytes()  # a few MB at most; the directory goes with the request
    return Response(body, media_type=MEDIA.get(fmt, "application/json"),
                    headers={"Content-Disposition": f'attachment; filename="{path.name}"'})
