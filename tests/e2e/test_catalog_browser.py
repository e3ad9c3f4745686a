"""Lin's Monday morning in a browser: sign in with a password, create two products from
the catalogue page, edit one, and (as admin) add a colleague on the users page."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.e2e

SEED = [("挂耳咖啡 10 包", "食品", "traffic", "COF-10", 2990, 1200, 800,
         {"views": 5200, "orders": 710, "returns": 12, "buyers": 600, "repeat_buyers": 210}),
        ("真丝围巾", "服饰", "flagship", "SILK-1", 59900, 21000, 40,
         {"views": 900, "orders": 45, "returns": 6, "buyers": 44, "repeat_buyers": 2})]


def seed(server, admin: str) -> None:
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {admin}"}) as c:
        for name, cat, tier, code, price, cost, stock, history in SEED:
            r = c.post("/api/v1/products", json={
                "name": name, "category": cat, "tier": tier, "history": history,
                "qualification_docs": ["食品经营许可证"] if cat == "食品" else [],
                "skus": [{"code": code, "spec": "标准", "price_fen": price, "cost_fen": cost,
                          "stock": stock}]})
            assert r.status_code == 201, r.text


def fill_product(page, name: str, code: str, price: str, cost: str, stock: str) -> None:
    form = page.locator("form[hx-post='/catalog/products']")
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=category]").fill("厨具")
    form.locator("input[name=code]").fill(code)
    form.locator("input[name=spec]").fill("28cm")
    form.locator("input[name=price]").fill(price)
    form.locator("input[name=cost]").fill(cost)
    form.locator("input[name=stock]").fill(stock)
    form.locator("button").click()
    page.wait_for_selector(f"tr[data-product='{name}']")


def test_sign_in_and_build_the_catalogue(server, page, tmp_path):
    admin = server.cli("user", "add", "lin", "--role", "admin", "--password", "lin-monday-1")
    seed(server, admin)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server.url}/login")
    page.fill("input[name=username]", "lin")
    page.fill("input[name=password]", "wrong-password")
    page.click("button.primary")
    assert "用户名或密码错误" in page.inner_text("main")
    page.fill("input[name=password]", "lin-monday-1")
    page.click("button.primary")
    page.wait_for_url(f"{server.url}/")
    page.goto(f"{server.url}/catalog")
    fill_product(page, "麦饭石不粘锅", "POT-28", "199", "80", "120")
    fill_product(page, "铸铁珐琅炖锅", "CAST-24", "459", "210", "30")
    assert page.locator("table.products tbody tr").count() == 4
    # edit the pan's tier and restock it
    page.locator("tr[data-product='麦饭石不粘锅'] button").click()
    page.wait_for_selector("section.edit")
    page.select_option("section.edit select[name=tier]", "traffic")
    page.locator("section.edit form").first.locator("button").click()
    # the row is redrawn with the new tier (an earlier notice may still be on the page)
    page.wait_for_selector("tr[data-product='麦饭石不粘锅']:has-text('引流款')")
    text = page.inner_text("tr[data-product='麦饭石不粘锅']")
    assert "引流款" in text and "¥199.00" in text
    shots = Path(os.environ.get("LIVEROOM_SCREENSHOT_DIR") or tmp_path)
    page.screenshot(path=str(shots / "catalog.png"), full_page=False)
    # the users page: a colleague with a password
    page.goto(f"{server.url}/users")
    form = page.locator("form[hx-post='/users']")
    form.locator("input[name=name]").fill("mei")
    form.locator("input[name=display_name]").fill("梅 客服")
    form.locator("select[name=role]").select_option("cs")
    form.locator("input[name=password]").fill("mei-password")
    form.locator("button").click()
    page.wait_for_selector("tr[data-user='mei']")
    page.screenshot(path=str(shots / "users.png"), full_page=False)
