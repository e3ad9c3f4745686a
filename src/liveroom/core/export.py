"""Cells for spreadsheets that leave the building (orders to merchants, reviews)."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

# A cell starting with one of these is a formula to Excel and WPS, in CSV and XLSX alike.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """Text from buyers or operators can never become a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def row(values: list[Any]) -> list[Any]:
    return [cell(v) for v in values]


def to_csv(columns: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    writer.writerows(row(r) for r in rows)
    return ("\ufeff" + buf.getvalue()).encode()  # BOM: Excel opens UTF-8 Chinese correctly


def to_xlsx(columns: list[str], rows: list[list[Any]], sheet: str,
            *more: tuple[str, list[str], list[list[Any]]]) -> bytes:
    """A workbook with the sheet `sheet`, then each further (name, columns, rows)."""
    wb = Workbook(write_only=True)
    for name, header, values in ((sheet, columns, rows), *more):
        ws = wb.create_sheet(name)
        ws.append(header)
        for r in values:
            ws.append(row(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
