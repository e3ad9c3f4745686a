"""`liveroom demo`: a whole simulated broadcast on the embedded default (SQLite under var/),
served in-process (httpx against the ASGI app, so every step goes through the real HTTP
stack and its validation), with a live progress display and a closing summary."""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import httpx
import typer
from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from rich.table import Table

from liveroom.bootstrap import Container, bootstrap
from liveroom.config import Settings, get_settings
from liveroom.core.clock import FixedClock
from liveroom.core.money import fmt_fen
from liveroom.crm.commands import ImportPurchases
from liveroom.entrypoints.api.app import create_app
from liveroom.identity.handlers import AddUser
from liveroom.identity.model import SYSTEM
from liveroom.review import render
from liveroom.simulator import summary as report
from liveroom.simulator.driver import SimConfig, SimStats, Simulator
from liveroom.simulator.history import past_purchases
from liveroom.simulator.params import SimParams
from liveroom.simulator.scenario import setup_show

out = Console()


# The demo's people, by the name the pages show (never the role's code).
DEMO_NAMES = {"ops": "演示运营", "console": "演示中控", "connector": "演示平台接入"}
CHANNEL_GROUPS = {"natural": "自然流量", "paid": "付费投放", "private": "私域"}

def show_start(tz: str) -> datetime:
    """Three days from now at 19:00 local time: the warm-up runs in the days before."""
    local = datetime.now(ZoneInfo(tz)) + timedelta(days=3)
    return local.replace(hour=19, minute=0, second=0, microsecond=0)


def progress_panel(stats: SimStats, duration_min: int, wall0: float) -> Panel:
    t = Table.grid(padding=(0, 3))
    m = int(stats.show_seconds // 60)
    t.add_row("直播时间 time in show", f"{m // 60:02d}:{m % 60:02d} / "
                                      f"{duration_min // 60:02d}:{duration_min % 60:02d}")
    t.add_row("在线 online", f"{stats.online:,} (峰值 peak {stats.peak_online:,})")
    t.add_row("观众 viewers", f"{stats.viewers:,}")
    t.add_row("GMV", fmt_fen(stats.gmv_fen))
    t.add_row("订单 orders", f"{stats.orders:,} (已支付 paid {stats.paid_orders:,})")
    t.add_row("秒杀 flash", f"{stats.flash_won:,} / {stats.flash_attempts:,} attempts")
    t.add_row("埋点 events", f"{stats.events_sent:,}  评论 comments {stats.comments_sent:,}")
    t.add_row("墙钟 wall", f"{time.monotonic() - wall0:.1f} s")
    return Panel(t, title="liveroom demo · 厨房好物节", border_style="magenta")


def closing_tables(s: dict[str, Any]) -> Group:
    h = s["headline"]
    head = Table(title="收官 Closing summary", show_header=False)
    for label, value in (
            ("观看人数 viewers", f"{h['unique_viewers']:,}"),
            ("峰值在线 peak online", f"{h['peak_online']:,}"),
            ("GMV", fmt_fen(h["gmv_fen"])),
            ("订单 orders / 已支付 paid", f"{h['orders']:,} / {h['paid_orders']:,}"),
            ("转化率 conversion", f"{h['conversion_rate']:.1%}"),
            ("UV价值 UV value", fmt_fen(h["uv_value_fen"])),
            ("GPM", fmt_fen(h["gpm_fen"])),
            ("平均停留 avg dwell", f"{h['avg_dwell_seconds']:.0f} s"),
            ("支付成功率 payment success", f"{h['payment_success_rate']:.1%}"),
            ("与订单核对 orders check", "✓ agree" if s["numbers_agree_with_orders"]
             else "✗ MISMATCH")):
        head.add_row(label, value)
    top = Table(title="热销商品 Top products")
    for col in ("商品", "订单", "件数", "GMV"):
        top.add_column(col)
    for p in s["top_products"][:5]:
        top.add_row(p["name"], str(p["orders"]), str(p["paid_units"]), fmt_fen(p["gmv_fen"]))
    ch = Table(title="渠道 Channels")  # the kind in words: 自然流量 / 付费投放 / 私域
    for col in ("渠道", "类型", "观众", "订单", "GMV", "投放", "ROI"):
        ch.add_column(col)
    for c in s["channels"]["channels"]:
        ch.add_row(c["zh"], CHANNEL_GROUPS.get(c["group"], c["group"]), f"{c['viewers']:,}",
                   f"{c['paid_orders']:,}",
                   fmt_fen(c["gmv_fen"]), fmt_fen(c["spend_fen"]),
                   f"1:{c['roi']}" if c["roi"] is not None else "—")
    return Group(head, top, ch)


async def run_demo(settings: Settings, viewers: int, seed: int, speed: float,
                   live_display: bool = True, catalogue_size: int | None = None,
                   ) -> dict[str, Any]:
    start = show_start(settings.timezone)
    clock = FixedClock(start.astimezone(UTC) - timedelta(days=4))
    c: Container = bootstrap(settings, clock=clock)
    try:
        headers = {}
        for role in ("ops", "console", "connector"):
            token = c.bus.handle(AddUser(f"demo-{role}", role, DEMO_NAMES[role]), SYSTEM)["token"]
            headers[role] = {"Authorization": f"Bearer {token}"}
        app = create_app(c)
        transport = httpx.ASGITransport(app=app)
        async with app.router.lifespan_context(app), httpx.AsyncClient(
                transport=transport, base_url="http://liveroom.demo", timeout=60) as client:
            setup = await setup_show(client, headers, run=f"{seed}",
                                     start=start, catalogue_size=catalogue_size)
            sid = setup["session_id"]
            params = SimParams.load(viewers=viewers)
            # returning members: part of the audience bought in the year before the show
            history = past_purchases(f"u{seed % 10_000:04d}", viewers, setup["sku_ids"],
                                     start, seed)
            await asyncio.to_thread(c.bus.handle, ImportPurchases(tuple(history)), SYSTEM)
            cfg = SimConfig(sid, headers["connector"], settings.buyer_secret, seed=seed,
                            speed=speed, params=params, console_headers=headers["console"])
            wall0 = time.monotonic()
            with Live(progress_panel(SimStats(), 120, wall0), console=out,
                      refresh_per_second=8, transient=False,
                      auto_refresh=live_display) as live:
                def tick(stats: SimStats) -> None:
                    live.update(progress_panel(stats, 120, wall0))

                stats = await Simulator(client, cfg, clock.set, tick).run()
            sim = {k: v for k, v in asdict(stats).items()
                   if k not in ("answers", "missing_routes")}
            sim.update(seed=seed, viewers_planned=viewers, speed=speed,
                       answers=dict(stats.answers), missing_routes=sorted(stats.missing_routes))
            summary = await report.build(client, sid, headers["ops"], sim)
            answer = await client.get(f"/api/v1/sessions/{sid}/review", headers=headers["ops"])
            answer.raise_for_status()
            review = answer.json()
        reports = Path(settings.var_dir) / "reports"
        md, js = report.write(summary, reports)
        summary["files"] = [str(md), str(js)] + [
            str(render.write(review, fmt, reports, settings.timezone)) for fmt in ("html", "xlsx")]
        summary["review_headline"] = review["headline"]
        return summary
    finally:
        c.close()


def demo(viewers: Annotated[int, typer.Option(help="simulated unique viewers")] = 5000,
         seed: Annotated[int, typer.Option(help="audience seed")] = 7,
         speed: Annotated[float, typer.Option(help="show seconds per wall second; 0 = "
                                                   "as fast as possible")] = 150.0,
         fresh: Annotated[bool, typer.Option(help="start from an empty demo database")] = True,
         ) -> None:
    """A whole simulated broadcast on the embedded default, then its summary."""
    base = get_settings()
    var = Path(base.var_dir)
    db = var / "demo" / "liveroom.db"
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    settings = base.model_copy(update={"database_url": f"sqlite:///{db.resolve()}",
                                       "redis_url": ""})
    out.print(f"[bold]liveroom demo[/bold]: {viewers:,} viewers, seed {seed}, "
              f"speed ×{speed:g}, database {db}")
    wall0 = time.monotonic()
    summary = asyncio.run(run_demo(settings, viewers, seed, speed))
    out.print(closing_tables(summary))
    sim = summary["simulation"]
    out.print(f"模拟耗时 simulated show: [bold]{sim['wall_seconds']:.1f} s[/bold] wall "
              f"({sim['requests']:,} requests); demo total {time.monotonic() - wall0:.1f} s")
    if sim["missing_routes"]:
        out.print(f"[yellow]routes not served yet:[/yellow] {', '.join(sim['missing_routes'])}")
    out.print("报告 reports: " + ", ".join(summary["files"]))
    out.print(f"explore: LIVEROOM_ENV=development LIVEROOM_DATABASE_URL=sqlite:///{db} "
              "liveroom serve")
    if not summary["numbers_agree_with_orders"]:
        raise typer.Exit(1)
