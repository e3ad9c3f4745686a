"""Live-ops on the console (heat-map order, abandoned carts with a one-click answer,
bundles, the half-hour host sync) and the experiments page (A/B verdicts)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from liveroom.analytics import views as analytics_views
from liveroom.analytics.commands import CreateExperiment
from liveroom.analytics.model import EXPERIMENT_METRICS
from liveroom.bootstrap import Container
from liveroom.core.errors import DomainError
from liveroom.entrypoints.api.deps import ContainerDep
from liveroom.entrypoints.api.routes_web_console import yuan_to_fen
from liveroom.entrypoints.api.web_base import Token, page, render, web_actor, web_writer
from liveroom.entrypoints.api.web_labels import N_
from liveroom.liveops import views
from liveroom.liveops.commands import InterveneCarts
from liveroom.metrics import views as metric_views
from liveroom.planning import views as planning_views

router = APIRouter(include_in_schema=False)
Minutes = Annotated[int, Form(ge=1, le=120)]
ABANDON_AFTER = timedelta(minutes=5)


def liveops_context(c: Container, sid: str, after: timedelta = ABANDON_AFTER) -> dict[str, Any]:
    now = c.clock.now()
    with c.read() as conn:
        detail = planning_views.session_detail(conn, sid)
        m = metric_views.live_metrics(conn, c.metrics_cache, sid, now)
        names = {i["sku_id"]: i["name"] for i in detail["lineup"]}
        found = views.to_answer(conn, sid, now, after)
        return {"s": detail, "sid": sid, "now": now, "names": names,
                "heat": views.heat(conn, detail, m, now),
                "abandoned_skus": Counter(s for a in found for s in a.sku_ids).most_common(6),
                "abandoned_count": len(found),
                "after_minutes": int(after.total_seconds() // 60),
                "recovery": views.recovery(conn, sid),
                "sync": views.host_sync(conn, sid, m, now, c.settings.timezone),
                "bundles": views.bundle_suggestions(conn, detail)}


@router.get("/console/{sid}/liveops", response_class=HTMLResponse)
def liveops_panel(sid: str, request: Request, c: ContainerDep, token: Token = None,
                  after: int = 5) -> Response:
    actor = web_actor(c, token)
    actor.require("metrics.read")
    minutes = min(max(after, 1), 120)
    return render(request, "console/_liveops_body.html",
                  {**liveops_context(c, sid, timedelta(minutes=minutes)), "actor": actor})


@router.post("/console/{sid}/liveops/carts", response_class=HTMLResponse)
def intervene(sid: str, request: Request, c: ContainerDep, kind: Annotated[str, Form()],
              minutes: Minutes = 10, after: Minutes = 5,
              discount: Annotated[str, Form()] = "0", token: Token = None) -> Response:
    actor = web_writer(request, c, token)
    error: DomainError | None = None
    try:
        c.bus.handle(InterveneCarts(sid, kind, yuan_to_fen(discount or "0", "discount"),
                                    minutes, after), actor)
    except DomainError as exc:
        error = exc
    ok = N_("Coupon pop-up on the shelf") if kind == "coupon" else N_("Message queued")
    return render(request, "toast.html", {"ok": None if error else ok, "error": error,
                                          "product": "", "sid": sid})


def _experiments(c: Container) -> dict[str, Any]:
    with c.read() as conn:
        rows = analytics_views.experiment_list(conn)
        results = [analytics_views.experiment(conn, r["id"]) for r in rows[:20]]
        sessions = analytics_views.ended_sessions(conn)
    return {"experiments": results, "sessions": sessions, "metrics": list(EXPERIMENT_METRICS)}


@router.get("/experiments", response_class=HTMLResponse)
def experiments_page(request: Request, c: ContainerDep, token: Token = None) -> Response:
    return page(request, c, token, "experiments.html", lambda actor: _experiments(c),
                "experiments.write")


@router.post("/experiments", response_class=HTMLResponse)
def create_experiment(request: Request, c: ContainerDep, name: Annotated[str, Form()],
                      metric: Annotated[str, Form()], a_session: Annotated[str, Form()],
                      b_session: Annotated[str, Form()], a_from: Annotated[str, Form()] = "",
                      a_to: Annotated[str, Form()] = "", b_from: Annotated[str, Form()] = "",
                      b_to: Annotated[str, Form()] = "", token: Token = None) -> Response:
    actor = web_writer(request, c, token)
    arms = [_arm("A", a_session, a_from, a_to), _arm("B", b_session, b_from, b_to)]
    error: DomainError | None = None
    try:
        c.bus.handle(CreateExperiment(name.strip() or "A/B", metric, arms), actor)
    except DomainError as exc:
        error = exc
    headers = {} if error else {"HX-Refresh": "true"}
    return render(request, "toast.html", {"ok": None if error else N_("Experiment created"),
                                          "error": error, "product": "", "sid": ""},
                  headers=headers)


def _arm(label: str, sid: str, lo: str, hi: str) -> dict[str, Any]:
    return {"label": label, "session_id": sid,
            "from_minute": int(lo) if lo.strip().isdigit() else None,
            "to_minute": int(hi) if hi.strip().isdigit() else None}
