"""Every CSV/XLSX/PDF download goes through one helper: the same media types and file
names everywhere, and a Chinese file name that survives the header."""

from __future__ import annotations

import re
from pathlib import Path

from liveroom.entrypoints.api.downloads import download

API = Path(__file__).resolve().parents[3] / "src" / "liveroom" / "entrypoints" / "api"


def test_download_names_the_file_and_its_type() -> None:
    r = download(b"a,b\n", "orders-s1.csv")
    assert r.media_type == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="orders-s1.csv"'
    x = download(b"PK", "review.xlsx")
    assert x.media_type.endswith("spreadsheetml.sheet")
    assert download("内容", "复盘.pdf").body == "内容".encode()


def test_a_chinese_file_name_is_sent_in_utf8_too() -> None:
    r = download(b"%PDF", "复盘-秋冬好物节.pdf")
    value = r.headers["content-disposition"]
    assert value.startswith('attachment; filename="') and value.isascii()
    assert "filename*=UTF-8''%E5%A4%8D%E7%9B%98" in value


def test_no_route_builds_a_download_response_itself() -> None:
    offenders = [p.name for p in sorted(API.glob("routes_*.py"))
                 if re.search(r"Content-Disposition", p.read_text(encoding="utf-8"), re.I)]
    assert offenders == []
