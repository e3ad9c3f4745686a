"""Reading the catalogue spreadsheet: yuan to fen exactly, tiers in Chinese, our own
formula guard undone, and one clear sentence per bad row."""

from __future__ import annotations

import pytest

from liveroom.catalog.history import SoldLine, per_show
from liveroom.catalog.sheet import parse_row
from liveroom.core.errors import Invalid


def test_a_row_in_yuan_and_chinese_becomes_fen_and_a_tier() -> None:
    row = parse_row(2, ("保温杯", "厨具", "引流款", "", "CUP-1", "500ml", 39.9, "15.5", 100.0))
    assert (row.tier, row.price_fen, row.cost_fen, row.stock) == ("traffic", 3990, 1550, 100)
    assert parse_row(3, ("'=SUM(1)", "厨具", "形象款", None, "X", None, 1, 0, 0)).name == "=SUM(1)"
    assert parse_row(4, ("围巾", "服饰", "战略款", "", "S", "", 599, 210, 5)).tier == "flagship"


@pytest.mark.parametrize("cells, words", [
    (("杯", "厨具", "爆款", "", "C", "", 1, 0, 0), "定位"),
    (("杯", "厨具", "引流款", "", "C", "", "四十", 0, 0), "四十"),
    (("杯", "厨具", "引流款", "", "C", "", 1.234, 0, 0), "1.234"),
    (("杯", "厨具", "引流款", "", "C", "", 1, 0, -3), "库存"),
    (("杯", "", "引流款", "", "C", "", 1, 0, 0), "必填"),
])
def test_a_bad_row_says_what_is_wrong(cells: tuple[object, ...], words: str) -> None:
    with pytest.raises(Invalid) as err:
        parse_row(5, cells)
    assert words in err.value.message


def test_per_show_counts_orders_units_amount_and_returns() -> None:
    lines = [SoldLine("s1", "o1", "k1", 2, 24000, False), SoldLine("s1", "o2", "k2", 1, 9000, True),
             SoldLine("s2", "o3", "k1", 1, 12000, False), SoldLine("s1", "o4", "zz", 1, 1, False)]
    out = per_show(lines, {"k1": "p1", "k2": "p1"})
    assert out[("p1", "s1")] == {"orders": 2, "returns": 1, "units": 3, "amount_fen": 33000}
    assert out[("p1", "s2")] == {"orders": 1, "returns": 0, "units": 1, "amount_fen": 12000}
    assert len(out) == 2
