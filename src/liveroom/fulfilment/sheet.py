"""The bulk shipping sheet (发货单): one row per order, 订单号 / 快递公司 / 运单号 / 状态
(the status is optional: shipped when empty), as XLSX or CSV (UTF-8, or GB18030 as Excel
on a Chinese Windows saves it). Each row either goes through the same command as the API
or comes back with its line number and an error code; the other rows are not held back."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from liveroom.core.errors import DomainError, Invalid
from liveroom.core.export import row as safe_row
from liveroom.fulfilment.commands import RecordShipping

HEADER = ["订单号", "快递公司", "运单号", "状态"]
STATUSES = {"已发货": "shipped", "运输中": "in_transit", "已签收": "delivered",
            "已退回": "returned", "待发货": "pending"}
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ShippingRow:
    line: int
    order_id: str
    carrier: str
    tracking_no: str
    status: str


@dataclass
class UploadResult:
    applied: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)  # {line, order_id, code}

    def as_dict(self) -> dict[str, Any]:
        return {"applied": self.applied, "unchanged": self.unchanged, "errors": self.errors}


def _text(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))  # a tracking number Excel turned into a number
    return text[1:] if text.startswith("'") else text  # our own formula guard


def _cells(data: bytes, filename: str) -> Iterator[tuple[Any, ...]]:
    if filename.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise Invalid("the CSV is neither UTF-8 nor GB18030", code="invalid_sheet")
        yield from (tuple(r) for r in csv.reader(io.StringIO(text)))
        return
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise Invalid("not an XLSX workbook or a CSV file", code="invalid_sheet") from exc
    try:
        yield from wb.worksheets[0].iter_rows(values_only=True)
    finally:
        wb.close()


def read_sheet(data: bytes, filename: str) -> tuple[list[ShippingRow], list[dict[str, Any]]]:
    """Rows to apply, and the rows already wrong by themselves (missing fields, unknown
    status, too long, the same order twice)."""
    rows: list[ShippingRow] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for line, cells in enumerate(_cells(data, filename), start=1):
        if line == 1:
            continue  # the header
        if line > MAX_ROWS + 1:
            raise Invalid(f"at most {MAX_ROWS} rows", code="sheet_too_large")
        values = [_text(v) for v in list(cells)[:4]] + [""] * (4 - min(len(cells), 4))
        if not any(values):
            continue
        order_id, carrier, tracking_no, status = values
        status = STATUSES.get(status, status) or "shipped"

        def fail(code: str, oid: str = order_id, at: int = line) -> None:
            errors.append({"line": at, "order_id": oid, "code": code})
        if not order_id or not carrier or not tracking_no:
            fail("missing_field")
        elif len(order_id) > 32 or len(carrier) > 32 or len(tracking_no) > 64:
            fail("text_too_long")
        elif status not in STATUSES.values():
            fail("unknown_shipping_status")
        elif order_id in seen:
            fail("duplicate_order")
        else:
            seen.add(order_id)
            rows.append(ShippingRow(line, order_id, carrier, tracking_no, status))
    return rows, errors


def apply_rows(rows: list[ShippingRow], errors: list[dict[str, Any]],
               handle: Callable[[RecordShipping], dict[str, Any]]) -> UploadResult:
    """Run each row through `handle` (one transaction each)."""
    result = UploadResult(errors=list(errors))
    for r in rows:
        try:
            out = handle(RecordShipping(r.order_id, r.carrier, r.tracking_no, r.status))
        except DomainError as exc:
            result.errors.append({"line": r.line, "order_id": r.order_id, "code": exc.code})
            continue
        if out.get("changed"):
            result.applied += 1
        else:
            result.unchanged += 1
    result.errors.sort(key=lambda e: e["line"])
    return result


def to_fill(items: list[dict[str, Any]]) -> bytes:
    """The orders to ship as a sheet to fill in: order id first, carrier and tracking number
    blank, then what to pack and by when (columns after the fourth are not read back)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("发货 shipping")
    ws.append([*HEADER, "商品(SKU×数量)", "发货截止"])
    for it in items:
        what = "、".join(f"{g['name']} {g['spec']}×{g['quantity']}" for g in it["goods"])
        ws.append(safe_row([it["order_id"], it.get("carrier") or "",
                            it.get("tracking_no") or "", "", what,
                            it["ship_by"].isoformat()]))
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
