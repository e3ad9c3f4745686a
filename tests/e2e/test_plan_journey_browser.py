"""Lin's Monday and Chen's rehearsal in a browser (../shared/JOURNEY.md): sign in with a
password, create two products on the catalogue page, plan a show, fix the plan checker's
warnings on the page, tick the checklist, rehearse with a test order paid and refunded,
then a viewer opens a reservation link and reserves."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from liveroom.config import Settings
from liveroom.identity.model import issue_buyer_jwt

pytestmark = pytest.mark.e2e

COFFEE, FRYER = "挂耳咖啡 10 包", "空气炸锅 5L"
LOOP = {"explain": "双层加热，无油也酥脆", "engage": "扣1抽奖，答疑容量", "close": "最后100台"}


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A Chinese operator's browser: date and time fields in Chinese, Beijing time."""
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def sign_in(page: Any, url: str, name: str, password: str) -> None:
    page.goto(f"{url}/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("button.primary")
    page.wait_for_url(f"{url}/")


def create_product(page: Any, name: str, tier: str, code: str, price: str, cost: str,
                   stock: str) -> None:
    form = page.locator("form[hx-post='/catalog/products']")
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=category]").fill("厨具")
    form.locator("select[name=tier]").select_option(tier)
    form.locator("input[name=code]").fill(code)
    form.locator("input[name=spec]").fill("标准")
    form.locator("input[name=price]").fill(price)
    form.locator("input[name=cost]").fill(cost)
    form.locator("input[name=stock]").fill(stock)
    form.locator("button").click()
    page.wait_for_selector(f"tr[data-product='{name}']")


def add_to_lineup(page: Any, name: str, price: str) -> None:
    form = page.locator("form[hx-post$='/plan/lineup']")
    form.locator("select[name=sku_id]").select_option(label=next(
        o for o in form.locator("option").all_inner_texts() if o.startswith(name)))
    form.locator("input[name=price]").fill(price)
    form.locator("button").click()
    page.wait_for_selector(f"table.plan-lineup tr[data-product='{name}']")


def segment(page: Any, row: Any, start: int, length: int, kind: str, product: str = "",
            giveaway: bool = False, loop: dict[str, str] | None = None) -> None:
    row.locator("input[name=start]").fill(str(start))
    row.locator("input[name=length]").fill(str(length))
    row.locator("select[name=kind]").select_option(kind)
    if product:
        row.locator("select[name=sku]").select_option(label=f"{product} 标准")
    row.locator("select[name=giveaway]").select_option("1" if giveaway else "0")
    for step, text in (loop or {}).items():
        row.locator(f"input[name={step}]").fill(text)


def save_segments(page: Any, rows: int) -> None:
    page.locator("#runofshow button.primary").click()
    expect(page.locator("table.segments tbody tr")).to_have_count(rows + 1)
    # htmx settles a swapped row with its old attributes for a moment (the saved row keeps
    # the empty row's "new" class for ~20 ms): wait until only the empty row is new
    expect(page.locator("table.segments tr.new")).to_have_count(1)


def test_lins_monday_and_the_rehearsal(server: Any, page: Any, tmp_path: Path) -> None:
    lin = server.cli("user", "add", "lin", "--role", "ops", "--password", "lin-monday-1")
    server.cli("user", "add", "chen", "--role", "console", "--password", "chen-friday-1")
    shots = Path(os.environ.get("LIVEROOM_SCREENSHOT_DIR") or tmp_path)
    page.set_viewport_size({"width": 1920, "height": 1080})
    sign_in(page, server.url, "lin", "lin-monday-1")
    # two products from the catalogue page
    page.goto(f"{server.url}/catalog")
    create_product(page, COFFEE, "traffic", "COF-10", "29.90", "5", "800")
    create_product(page, FRYER, "flagship", "FRY-5L", "399", "210", "500")
    # plan a show from the sessions list
    page.goto(f"{server.url}/")
    form = page.locator("form.new-show")
    form.locator("input[name=title]").fill("周五厨房好物节")
    form.locator("input[name=start]").fill("2026-12-04T19:00")
    form.locator("input[name=duration]").fill("120")
    form.locator("button").click()
    page.wait_for_url("**/plan")
    plan_url = page.url
    details = page.locator("#details form")
    details.locator("input[name=gmv]").fill("500000")
    details.locator("input[name=viewers]").fill("20000")
    details.locator("input[name=conversion]").fill("8")
    details.locator("button").click()
    expect(page.locator("#details .flash.ok")).to_contain_text("场次信息和目标已保存")
    add_to_lineup(page, COFFEE, "19.90")
    add_to_lineup(page, FRYER, "329")
    fryer_row = page.locator(f"table.plan-lineup tr[data-product='{FRYER}']")
    fryer_row.locator("textarea[name=feature]").fill("5L 大容量，双层加热")
    fryer_row.locator("textarea[name=advantage]").fill("不用翻面，少油")
    fryer_row.locator("textarea[name=benefit]").fill("一家人的晚饭一锅出")
    fryer_row.locator("textarea[name=evidence]").fill("第三方检测报告")
    fryer_row.locator("input[name=flash]").fill("800")
    fryer_row.locator("button.small").first.click()
    expect(fryer_row.locator(".plan-warning")).to_contain_text("秒杀数量 800 超过库存 500")
    # a first run-of-show: the flagship too early, no loop, giveaways missing
    segment(page, page.locator("table.segments tr.new"), 0, 3, "opening", COFFEE, True)
    save_segments(page, 1)
    segment(page, page.locator("table.segments tr.new"), 3, 8, "product", FRYER)
    save_segments(page, 2)
    second = page.locator("table.segments tbody tr").nth(1)
    expect(second.locator(".plan-warning").first).to_contain_text("战略款“空气炸锅 5L”")
    expect(second).to_contain_text("缺少：讲解、互动、逼单")
    expect(page.locator("#check-summary")).to_contain_text("计划检查")
    page.goto(plan_url)  # from the top: the plan check, the details, the lineup's warnings
    expect(fryer_row.locator(".plan-warning")).to_have_count(1)
    page.screenshot(path=str(shots / "plan.png"), full_page=False)
    page.goto(plan_url + "#runofshow")
    page.screenshot(path=str(shots / "plan-runofshow.png"), full_page=False)
    # Lin fixes every warning on the page
    fryer_row = page.locator(f"table.plan-lineup tr[data-product='{FRYER}']")
    fryer_row.locator("input[name=flash]").fill("300")
    fryer_row.locator("button.small").first.click()
    expect(fryer_row.locator(".plan-warning")).to_have_count(0)
    rows = page.locator("table.segments tbody tr")
    segment(page, rows.nth(0), 0, 5, "opening", COFFEE, True)
    segment(page, rows.nth(1), 5, 8, "product", FRYER, loop=LOOP)
    segment(page, page.locator("table.segments tr.new"), 20, 8, "product", COFFEE, True,
            loop={"explain": "冷萃工艺", "engage": "评论区报口味", "close": "拍二发三"})
    save_segments(page, 3)
    for n, (start, kind) in enumerate(((40, "promotion"), (60, "promotion"),
                                        (80, "promotion"), (100, "closing")), start=4):
        segment(page, page.locator("table.segments tr.new"), start, 20 if kind == "closing"
                else 10, kind, giveaway=True)
        save_segments(page, n)
    box = page.locator("#contingency form")
    box.locator("textarea[name=equipment_failure]").fill("切到备用机位，助播口播稍等")
    box.locator("textarea[name=out_of_stock]").fill("换讲同类备选款，公告补货时间")
    box.locator("textarea[name=slip_of_tongue]").fill("立即更正，以商品页价格为准")
    box.locator("button").click()
    expect(page.locator("#check-summary")).to_have_text("计划检查：没有问题")
    expect(page.locator(".plan-warning")).to_have_count(0)
    page.locator("form[action='/logout'] button").click()
    # Friday: Chen ticks the checklist and rehearses with a real test order
    sign_in(page, server.url, "chen", "chen-friday-1")
    page.goto(plan_url)
    for item in ("devices", "sound", "picture", "network", "order_flow", "platform_approval"):
        page.locator(f"tr[data-item={item}] button").click()
        expect(page.locator(f"tr[data-item={item}]")).to_have_class("done")
    expect(page.locator("tr[data-item=devices]")).to_contain_text("chen")
    page.locator("#checklist button.primary").click()
    expect(page.locator("#checklist .flash.ok")).to_contain_text("彩排已开始")
    page.locator("#rehearsal button.primary").click()
    tests = page.locator("table.tests tbody tr")
    expect(tests.first).to_contain_text("待支付")
    expect(tests.first).to_contain_text("¥0.01")
    tests.first.locator("button").click()
    expect(tests.first).to_contain_text("已支付")
    tests.first.locator("button").click()
    expect(tests.first).to_contain_text("已退款")
    expect(page.locator("#rehearsal .flash.ok")).to_contain_text("下单支付流程正常")
    page.goto(plan_url + "#checklist")
    page.screenshot(path=str(shots / "checklist.png"), full_page=False)
    # a reservation link from the warm-up goes out; a viewer opens it and reserves
    sid = plan_url.rsplit("/", 2)[-2]
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {lin}"}) as c:
        r = c.post(f"/api/v1/sessions/{sid}/links", json={
            "channel": "community", "kind": "reservation", "koc": "koc_amei"})
        assert r.status_code in (200, 201), r.text
        link = r.json()["url"]
    page.locator("form[action='/logout'] button").click()
    page.set_viewport_size({"width": 390, "height": 844})
    token = issue_buyer_jwt("viewer-1", Settings().buyer_secret, datetime.now(UTC))
    page.goto(f"{link}#buyer_token={token}")
    expect(page.locator("h1")).to_have_text("周五厨房好物节")
    page.click("#reserve")
    expect(page.locator("#reserve-note")).to_contain_text("第 1 位")
