"""A simulated show on a real server, seen through Chromium at 1920×1080: the console and
the big screen mid-show and the big screen after the end, saved to docs/screenshots/."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from liveroom.config import get_settings
from liveroom.simulator.driver import SimConfig, SimStats, Simulator
from liveroom.simulator.params import SimParams
from liveroom.simulator.scenario import setup_show
from tests.e2e.conftest import CLI, free_port, wait_until_up

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
PAUSE_AT = 52 * 60  # show seconds: mid-show, a product on air, a flash sale running
SCREEN = {"width": 1920, "height": 1080}
# Elements of the big screen whose content is wider than they are (cut off on the wall)
OVERFLOWING = """() => [...document.querySelectorAll('#screen .panel, #screen .kpi, #screen h1')]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.id || e.className)"""


class ShowServer:
    def __init__(self, var: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "LIVEROOM_VAR_DIR": str(var), "LIVEROOM_DATABASE_URL": "",
                    "LIVEROOM_REDIS_URL": ""}
        self.admin = self.token("陈中控", "admin")  # creates and migrates the database first
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.e2e.showserver",
                                      str(self.port)], cwd=ROOT, env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_until_up(self.url, self.proc)

    def token(self, name: str, role: str) -> str:
        return subprocess.run([CLI, "user", "add", name, "--role", role], env=self.env,
                              capture_output=True, text=True, check=True).stdout.strip()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a page's live stream still open
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def show_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ShowServer]:
    srv = ShowServer(tmp_path_factory.mktemp("show"))
    yield srv
    srv.stop()


class Show(threading.Thread):
    """The simulated audience and console operator, in their own thread and event loop;
    the show holds at `pause_at` until `resume` is set."""

    def __init__(self, url: str, h: dict[str, dict[str, str]], pause_at: float) -> None:
        super().__init__(daemon=True)
        self.url, self.h, self.pause_at = url, h, pause_at
        self.reached, self.resume = threading.Event(), threading.Event()
        self.sid = ""
        self.ready = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(self._show())
        except BaseException as exc:  # handed to the test thread, which raises it
            self.error = exc
            self.ready.set()
            self.reached.set()

    async def _show(self) -> None:
        clock = httpx.Client(base_url=self.url)

        def set_clock(at: datetime) -> None:
            clock.post("/api/v1/__test__/clock", params={"at": at.isoformat()})

        async def on_tick(stats: SimStats) -> None:
            if stats.show_seconds >= self.pause_at and not self.reached.is_set():
                self.reached.set()
                await asyncio.to_thread(self.resume.wait, 120)

        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
        async with httpx.AsyncClient(base_url=self.url, timeout=60) as client:
            setup = await setup_show(client, self.h, run="shots", start=start)
            self.sid = setup["session_id"]
            set_clock(start - timedelta(minutes=5))
            self.ready.set()
            cfg = SimConfig(self.sid, self.h["connector"], get_settings().buyer_secret,
                            seed=7, speed=0, params=SimParams.load(viewers=1500),
                            console_headers=self.h["console"])
            await Simulator(client, cfg, set_clock, on_tick).run()
        clock.close()


def open_page(browser: Any, url: str, token: str) -> Any:
    ctx = browser.new_context(viewport=SCREEN, locale="zh-CN", timezone_id="Asia/Shanghai")
    ctx.add_cookies([{"name": "liveroom_token", "value": token, "url": url}])
    return ctx.new_page()


def test_console_and_big_screen_during_a_show(show_server, browser, shots):
    h = {role: {"Authorization": "Bearer " + show_server.token(f"shot-{role}", role)}
         for role in ("ops", "console", "connector")}
    admin = show_server.admin
    show = Show(show_server.url, h, PAUSE_AT)
    show.start()
    assert show.ready.wait(120) and show.error is None, show.error
    screen = open_page(browser, show_server.url, admin)
    screen.goto(f"{show_server.url}/dashboard/{show.sid}")
    assert show.reached.wait(300) and show.error is None, show.error
    # The big screen, open since before the start, followed the show by itself.
    screen.wait_for_selector("#d-head[data-status=live]")
    console = open_page(browser, show_server.url, admin)
    console.goto(f"{show_server.url}/console/{show.sid}")
    console.wait_for_selector("#console[data-status=live] #p-topbar .pill.live")
    console.wait_for_selector("body[data-feed=on] .feed-state .on")  # its feed is in
    console.wait_for_selector("#cstream .crow")  # and the comment stream with it
    console.screenshot(path=str(shots / "console-1920x1080.png"))
    screen.screenshot(path=str(shots / "big-screen-1920x1080.png"))
    gmv_console = console.inner_text("#p-topbar [data-kpi=gmv] b")
    gmv_screen = screen.inner_text("#d-kpis [data-kpi=gmv] b")
    # One set of numbers: both pages read the same metric and question functions.
    assert gmv_console == gmv_screen and gmv_console.startswith("¥")
    paid = "[data-kpi=paid_orders] b"
    assert console.inner_text(f"#p-topbar {paid}") == screen.inner_text(f"#d-kpis {paid}")
    asked = "#p-questions h2 .pill"
    assert console.inner_text(asked) == screen.inner_text(asked)
    for kpi in ("online", "conversion"):
        shown = f"[data-kpi={kpi}] b"
        assert console.inner_text(f"#p-topbar {shown}") == screen.inner_text(f"#d-kpis {shown}")
    # the product on air: the same stock and units sold in its console row and on the screen
    row = console.locator("table.lineup tr:has(td.state .pill.live)")
    assert row.locator("td[id^=stock-]").inner_text() == screen.inner_text(
        "#d-product [data-kpi=stock] b")
    assert row.locator("td[id^=sold-]").inner_text() == screen.inner_text(
        "#d-product [data-kpi=sold] b")
    # The lineup moved with the show: the product on air is marked, units were sold.
    assert console.locator("td.state .pill.live").count() == 1
    sold = console.eval_on_selector_all("td[id^=sold-]", "els => els.map(e => e.textContent)")
    assert any(s.strip() not in ("", "0") for s in sold)
    assert screen.evaluate("document.documentElement.scrollHeight") <= SCREEN["height"]
    assert screen.evaluate(OVERFLOWING) == []  # every panel's content fits its panel
    assert console.evaluate("document.documentElement.scrollWidth") <= SCREEN["width"]
    show.resume.set()
    show.join(300)
    assert show.error is None, show.error
    screen.wait_for_selector("#d-head .pill:text-is('已下播')", timeout=10_000)
    screen.wait_for_timeout(1500)
    screen.screenshot(path=str(shots / "big-screen-ended-1920x1080.png"))
    assert screen.evaluate(OVERFLOWING) == []  # the final figures are larger: still fit
    assert "开播" not in console.inner_text("#p-topbar")
    console.context.close()
    screen.context.close()
