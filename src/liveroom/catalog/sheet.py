"""The catalogue as a spreadsheet (operators live in Excel): one row per SKU.

Export writes every product's SKUs with money in yuan and the tier in Chinese, no cell a
formula (core/export.py). Import reads the same columns back: a row whose SKU code exists
updates that SKU (spec, price, cost, stock) and its product (name, category, tier, brand,
and the merchant when its cell is filled: the last column, so older sheets still read);
rows with new codes become products, grouped by product name. Each row either goes through
the same commands as the API or comes back with its row number and what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from liveroom.catalog.commands import CreateProduct, SkuSpec, UpdateProduct, UpdateSku
from liveroom.catalog.model import Tier
from liveroom.core.errors import DomainError, Invalid
from liveroom.core.export import row as safe_row
from liveroom.core.messages import Command
from liveroom.core.money import MAX_FEN, Money

HEADER = ["商品名称", "类目", "定位", "品牌", "SKU编码", "规格", "售价(元)", "成本(元)", "库存",
          "商家"]
TIERS = {t.zh: t.value for t in Tier} | {"形象款": "flagship"} | {t.value: t.value for t in Tier}
MAX_ROWS = 5000


@dataclass
class SheetRow:
    line: int
    name: str
    category: str
    tier: str
    brand: str
    code: str
    spec: str
    price_fen: int
    cost_fen: int
    stock: int
    merchant: str = ""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)  # {line, message}


def _yuan(fen: int) -> float:
    return fen / 100  # display in the sheet; read back exactly by _fen


def export_products(products: list[dict[str, Any]]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("商品 products")
    ws.append(HEADER)
    for p in products:
        for s in p["skus"]:
            ws.append(safe_row([p["name"], p["category"], p["tier_zh"], p["brand"], s["code"],
                                s["spec"], _yuan(s["price_fen"]), _yuan(s["cost_fen"]),
                                s["stock"], p["merchant"]]))
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _text(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    return text[1:] if text.startswith("'") else text  # our own formula guard


def _fen(value: Any, what: str) -> int:
    if isinstance(value, float):
        value = f"{value:.2f}" if round(value, 2) == value else str(value)
    try:
        fen = Money.yuan(_text(value)).fen
    except ValueError as exc:
        raise Invalid(f"{what}「{_text(value)}」不是金额 not an amount in yuan") from exc
    if not 0 <= fen <= MAX_FEN:
        raise Invalid(f"{what} 超出范围 out of range")
    return fen


def _count(value: Any) -> int:
    text = _text(value)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not text.isdigit() or int(text) > 2**31 - 1:
        raise Invalid(f"库存「{text}」不是非负整数 stock must be a whole number ≥ 0")
    return int(text)


def parse_row(line: int, cells: tuple[Any, ...]) -> SheetRow:
    values = list(cells) + [None] * (len(HEADER) - len(cells))
    name, category, tier, brand, code, spec = (_text(v) for v in values[:6])
    if not name or not category or not code:
        raise Invalid("商品名称、类目和SKU编码必填 name, category and SKU code are required")
    merchant = _text(values[9])
    if len(name) > 200 or len(category) > 64 or len(code) > 64 or len(spec) > 200 \
            or len(brand) > 100 or len(merchant) > 100:
        raise Invalid("文字过长 a text is too long")
    if tier not in TIERS:
        raise Invalid(f"定位「{tier}」应为 引流款/利润款/战略款 tier unknown")
    return SheetRow(line, name, category, TIERS[tier], brand, code, spec,
                    _fen(values[6], "售价"), _fen(values[7], "成本"), _count(values[8]),
                    merchant)


def read_sheet(data: bytes) -> tuple[list[SheetRow], list[dict[str, Any]]]:
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise Invalid("不是 XLSX 文件 not an XLSX workbook", code="invalid_sheet") from exc
    rows, errors = [], []
    ws = wb.worksheets[0]
    for line, cells in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if line > MAX_ROWS + 1:
            raise Invalid(f"最多 {MAX_ROWS} 行 at most {MAX_ROWS} rows", code="sheet_too_large")
        if all(v is None or _text(v) == "" for v in cells):
            continue
        try:
            rows.append(parse_row(line, cells))
        except Invalid as exc:
            errors.append({"line": line, "message": exc.message})
    wb.close()
    return rows, errors


def import_rows(rows: list[SheetRow], existing: dict[str, tuple[str, str, int]],
                handle: Callable[[Command], Any]) -> ImportResult:
    """`existing`: SKU code → (SKU id, product id, stock as read). `handle` runs one
    command. A count set from the sheet applies only if the stock is still as read."""
    result = ImportResult()
    new: dict[str, list[SheetRow]] = {}
    for r in rows:
        if r.code in existing:
            sku_id, pid, stock = existing[r.code]
            _run(result, [r], handle, [
                UpdateSku(sku_id, spec=r.spec, price_fen=r.price_fen, cost_fen=r.cost_fen,
                          stock=r.stock, expected_stock=stock),
                UpdateProduct(pid, name=r.name, category=r.category, tier=r.tier,
                              brand=r.brand, merchant=r.merchant or None)])
        else:
            new.setdefault(r.name, []).append(r)
    for group in new.values():
        first = group[0]
        _run(result, group, handle, [CreateProduct(
            name=first.name, category=first.category, tier=first.tier, brand=first.brand,
            merchant=first.merchant,
            skus=[SkuSpec(r.code, r.spec, r.price_fen, r.cost_fen, r.stock) for r in group])])
    result.errors.sort(key=lambda e: e["line"])
    return result


def _run(result: ImportResult, rows: list[SheetRow], handle: Callable[[Command], Any],
         commands: list[Command]) -> None:
    try:
        for cmd in commands:
            handle(cmd)
    except DomainError as exc:
        result.errors += [{"line": r.line, "message": exc.message} for r in rows]
        return
    if isinstance(commands[0], CreateProduct):
        result.created += len(rows)
    else:
        result.updated += len(rows)
