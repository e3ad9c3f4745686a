"""Cells for spreadsheets that leave the building (orders to merchants, reviews)."""

from __future__ import annotations

from typing import Any

# A cell starting with one of these is a formula to Excel and WPS, in CSV and XLSX alike.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """Text from buyers or operators can never become a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def row(values: list[Any]) -> list[Any]:
    return [cell(v) for v in values]
