"""The catalogue page (/catalog): products with their tier, SKUs, stock, margin and the
selection score with its reasons; filters by tier and category; create and edit forms that
post through htmx (with the page's CSRF header) to the same commands as the JSON API; the
catalogue as XLSX, out and back in, with per-row errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from liveroom.adapters.sql import schema as t
from liveroom.bootstrap import Container
from liveroom.catalog import sheet, views
from liveroom.catalog.commands import CreateProduct, SkuSpec, UpdateProduct, UpdateSku
from liveroom.core.errors import DomainError, Invalid
from liveroom.core.messages import Command
from liveroom.entrypoints.api.deps import ContainerDep
from liveroom.entrypoints.api.downloads import download
from liveroom.entrypoints.api.routes_web_console import yuan_to_fen
from liveroom.entrypoints.api.web_base import Token, page, render, web_actor, web_writer
from liveroom.identity.model import Actor

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=5000)]
MAX_UPLOAD = 5 * 1024 * 1024


def _listing(c: Container, tier: str | None, category: str | None,
             merchant: str | None = None) -> dict[str, Any]:
    with c.read() as conn, conn.begin():
        products = views.list_products(conn, tier=tier or None, category=category or None,
                                       merchant=merchant or None, limit=10_000,
                                       offset=0)["items"]
        categories = sorted(conn.execute(select(t.products.c.category).distinct()).scalars())
        merchants = sorted(conn.execute(select(t.products.c.merchant).distinct()
                                        .where(t.products.c.merchant != "")).scalars())
        tried = views.trials(conn)
    names = {p["id"]: p["name"] for p in products}
    shows = [{**s, "product": names[s["product_id"]]} for s in tried if s["product_id"] in names]
    untried = [p["name"] for p in products if p["id"] not in {s["product_id"] for s in shows}]
    for p in products:
        skus = p["skus"]
        margins = [(s["price_fen"] - s["cost_fen"]) / s["price_fen"] for s in skus]
        p["margin"] = sum(margins) / len(margins) if margins else None
        p["stock_total"] = sum(s["stock"] for s in skus)
        p["low_stock"] = any(s["stock"] <= s["safety_stock"] for s in skus)
    return {"products": products, "categories": categories, "merchants": merchants,
            "tier": tier or "", "category": category or "", "merchant": merchant or "",
            "shows": shows, "untried": untried}


def catalog_context(c: Container, actor: Actor, tier: str | None = None,
                    category: str | None = None, merchant: str | None = None) -> dict[str, Any]:
    if not actor.may("product.read"):
        return {"allowed": False}
    return {"allowed": True, "may_write": actor.may("product.write"),
            "may_override": actor.may("console.price_override"),
            **_listing(c, tier, category, merchant)}


@router.get("/catalog", response_class=HTMLResponse)
def catalog_page(request: Request, c: ContainerDep, tier: str = "", category: str = "",
                 merchant: str = "", token: Token = None) -> Response:
    return page(request, c, token, "catalog.html",
                lambda actor: catalog_context(c, actor, tier, category, merchant),
                "session.list")


def _render(request: Request, c: Container, actor: Actor, **extra: Any) -> Response:
    return render(request, "catalog_body.html", {
        **catalog_context(c, actor), **extra, "actor": actor, "tz": c.settings.timezone})


def _act(request: Request, c: Container, token: str | None, command: Callable[[], Command],
         done: str) -> Response:
    actor = web_writer(request, c, token)
    try:
        c.bus.handle(command(), actor)
    except DomainError as exc:
        return _render(request, c, actor, refused=exc)
    return _render(request, c, actor, done=done)


def _optional_fen(text: str) -> int | None:
    return yuan_to_fen(text) if text.strip() else None


def _int(text: str, name: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > 2**31 - 1:
        raise Invalid(f"{name} must be a whole number ≥ 0", code="invalid_number", field=name)
    return int(text)


def _list(text: str) -> list[str]:
    return [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]


@router.post("/catalog/products", response_class=HTMLResponse)
def create_product(request: Request, c: ContainerDep, name: Text, category: Text, tier: Text,
                   code: Text, price: Text, cost: Text, stock: Text = "0", brand: Text = "",
                   merchant: Text = "", spec: Text = "", token: Token = None) -> Response:
    return _act(request, c, token, lambda: CreateProduct(
        name=name.strip(), category=category.strip(), tier=tier, brand=brand.strip(),
        merchant=merchant,
        skus=[SkuSpec(code.strip(), spec.strip(), yuan_to_fen(price), yuan_to_fen(cost),
                      _int(stock, "stock") or 0)]), "created")


@router.get("/catalog/products/{pid}/edit", response_class=HTMLResponse)
def edit_form(pid: str, request: Request, c: ContainerDep, token: Token = None) -> Response:
    """The edit form: into the catalogue page through htmx, or, opened as a link of its
    own, the whole catalogue page with the form open."""
    if request.headers.get("hx-request") != "true":
        return page(request, c, token, "catalog.html", lambda actor: {
            **catalog_context(c, actor), "editing": _editable(c, actor, pid)}, "product.write")
    actor = web_actor(c, token)
    return render(request, "catalog_edit.html", _editable(c, actor, pid))


def _editable(c: Container, actor: Actor, pid: str) -> dict[str, Any]:
    actor.require("product.write")
    with c.read() as conn, conn.begin():
        product = views.get_product(conn, pid)
    return {"p": product, "may_override": actor.may("console.price_override")}


@router.post("/catalog/products/{pid}", response_class=HTMLResponse)
def edit_product(pid: str, request: Request, c: ContainerDep, name: Text, category: Text,
                 tier: Text, brand: Text = "", merchant: Text = "",
                 shipping_regions: Text = "", ship_lead_days: Text = "",
                 restock_lead_days: Text = "",
                 qualification_docs: Text = "", token: Token = None) -> Response:
    return _act(request, c, token, lambda: UpdateProduct(
        pid, name=name.strip(), category=category.strip(), tier=tier, brand=brand.strip(),
        merchant=merchant, shipping_regions=_list(shipping_regions) or None,
        ship_lead_days=_int(ship_lead_days, "ship_lead_days"),
        restock_lead_days=_int(restock_lead_days, "restock_lead_days"),
        qualification_docs=_list(qualification_docs)), "updated")


@router.post("/catalog/skus/{sku_id}", response_class=HTMLResponse)
def edit_sku(sku_id: str, request: Request, c: ContainerDep, spec: Text = "", price: Text = "",
             cost: Text = "", stock: Text = "", expected_stock: Text = "", restock: Text = "",
             override: Text = "", override_reason: Text = "",
             token: Token = None) -> Response:
    adding = _int(restock, "restock")  # a restock wins over the count shown in the form
    return _act(request, c, token, lambda: UpdateSku(
        sku_id, spec=spec.strip() or None, price_fen=_optional_fen(price),
        cost_fen=_optional_fen(cost), stock=None if adding else _int(stock, "stock"),
        expected_stock=_int(expected_stock, "expected_stock"),
        restock=adding or None, override=bool(override),
        override_reason=override_reason.strip()), "sku_updated")


@router.get("/catalog/export.xlsx")
def export(c: ContainerDep, tier: str = "", category: str = "", merchant: str = "",
           token: Token = None) -> Response:
    web_actor(c, token).require("product.read")
    data = sheet.export_products(_listing(c, tier, category, merchant)["products"])
    return download(data, "catalog.xlsx")


@router.post("/catalog/import", response_class=HTMLResponse)
async def import_sheet(request: Request, c: ContainerDep,
                       file: Annotated[UploadFile, File()], token: Token = None) -> Response:
    actor = web_writer(request, c, token)
    actor.require("product.write")
    data = await file.read(MAX_UPLOAD + 1)
    return await run_in_threadpool(_import, request, c, actor, data)


def _import(request: Request, c: Container, actor: Actor, data: bytes) -> Response:
    try:
        if len(data) > MAX_UPLOAD:
            raise Invalid("file too large", code="sheet_too_large")
        rows, errors = sheet.read_sheet(data)
    except Invalid as exc:
        return _render(request, c, actor, refused=exc)
    with c.read() as conn, conn.begin():
        s = t.skus.c
        existing = {r.code: (r.id, r.product_id, r.stock) for r in conn.execute(
            select(s.code, s.id, s.product_id, s.stock)
            .where(s.code.in_([r.code for r in rows])))}
    result = sheet.import_rows(rows, existing, lambda cmd: c.bus.handle(cmd, actor))
    result.errors = sorted(errors + result.errors, key=lambda e: e["line"])
    return _render(request, c, actor, imported=result)
