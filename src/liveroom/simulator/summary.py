"""The session summary after a (simulated) show: built from the API's own answers, checked
against the stored orders, written as Markdown and JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from liveroom.core.money import fmt_fen
from liveroom.simulator.showplan import ok


async def all_orders(client: httpx.AsyncClient, sid: str,
                     headers: dict[str, str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        page = ok(await client.get(f"/api/v1/sessions/{sid}/orders", headers=headers,
                                   params={"limit": 500, "offset": len(out)}))
        out.extend(page["items"])
        if not page["items"] or len(out) >= page["total"]:
            return out


async def build(client: httpx.AsyncClient, sid: str, headers: dict[str, str],
                sim: dict[str, Any]) -> dict[str, Any]:
    live = ok(await client.get(f"/api/v1/sessions/{sid}/metrics/live", headers=headers))
    channels = ok(await client.get(f"/api/v1/sessions/{sid}/channels", headers=headers))
    campaign = ok(await client.get(f"/api/v1/sessions/{sid}/campaign", headers=headers))
    detail = ok(await client.get(f"/api/v1/sessions/{sid}", headers=headers))
    orders = await all_orders(client, sid, headers)
    paid = [o for o in orders if o["status"] in ("paid", "refunded") and o.get("paid_at")]
    stored = {"orders": len(orders), "paid_orders": len(paid),
              "gmv_fen": sum(int(o["total_fen"]) for o in paid)}
    agree = (stored["orders"] == live["orders"] and stored["paid_orders"] == live["paid_orders"]
             and stored["gmv_fen"] == live["gmv_fen"])
    targets = detail.get("targets", {})
    return {
        "session": {"id": sid, "title": detail["title"], "status": detail["status"],
                    "scheduled_start": detail["scheduled_start"],
                    "duration_minutes": detail["duration_minutes"], "targets": targets},
        "headline": {k: live[k] for k in (
            "unique_viewers", "views", "peak_online", "gmv_fen", "orders", "paid_orders",
            "paying_buyers", "conversion_rate", "uv_value_fen", "gpm_fen", "aov_fen",
            "avg_dwell_seconds", "payment_success_rate", "comments", "likes", "shares",
            "follows")},
        "target_attainment": {
            k: round(live[m] / targets[k], 4) for k, m in (
                ("gmv_fen", "gmv_fen"), ("viewers", "unique_viewers"),
                ("conversion_rate", "conversion_rate")) if targets.get(k)},
        "funnel": live["funnel"],
        "top_products": live["per_product"][:8],
        "channels": channels,
        "warmup": {"reservations": campaign["reservations"],
                   "by_channel": campaign["by_channel"],
                   "leaderboard": campaign["leaderboard"]["teams"]},
        "timeline": live["timeline"],
        "stored_orders": stored, "numbers_agree_with_orders": agree,
        "simulation": sim,
    }


def markdown(s: dict[str, Any]) -> str:
    h = s["headline"]
    lines = [f"# 直播复盘速览 Session summary — {s['session']['title']}", "",
             f"- 场次 Session: `{s['session']['id']}` ({s['session']['status']}), "
             f"{s['session']['scheduled_start']}, {s['session']['duration_minutes']} 分钟",
             f"- 观看人数 Unique viewers: **{h['unique_viewers']:,}** "
             f"(观看次数 views {h['views']:,}, 峰值在线 peak online {h['peak_online']:,})",
             f"- GMV: **{fmt_fen(h['gmv_fen'])}** · 订单 orders {h['orders']:,} · "
             f"已支付 paid {h['paid_orders']:,}",
             f"- 转化率 Conversion: **{h['conversion_rate']:.1%}** · UV价值 UV value "
             f"{fmt_fen(h['uv_value_fen'])} · GPM {fmt_fen(h['gpm_fen'])} · "
             f"客单价 AOV {fmt_fen(h['aov_fen'])}",
             f"- 平均停留 Avg dwell: {h['avg_dwell_seconds']:.0f} s · 支付成功率 payment success "
             f"{h['payment_success_rate']:.1%}",
             f"- 互动 Interaction: 评论 {h['comments']:,} · 点赞 {h['likes']:,} · "
             f"分享 {h['shares']:,} · 关注 {h['follows']:,}",
             f"- 与订单核对 Checked against stored orders: "
             f"{'✓ agree' if s['numbers_agree_with_orders'] else '✗ MISMATCH'} "
             f"({s['stored_orders']})", "", "## 漏斗 Funnel", "",
             "| 曝光 | 进入 | 商品曝光 | 点击 | 加购 | 下单 | 支付 |",
             "|---|---|---|---|---|---|---|",
             "| " + " | ".join(f"{s['funnel'][k]:,}" for k in (
                 "impressions", "enters", "product_impressions", "clicks", "carts", "orders",
                 "paid")) + " |", "", "## 商品 Top products", "",
             "| 商品 | 点击 | 加购 | 订单 | 件数 | GMV |", "|---|---|---|---|---|---|"]
    for p in s["top_products"]:
        lines.append(f"| {p['name']} | {p['clicks']} | {p['carts']} | {p['orders']} | "
                     f"{p['paid_units']} | {fmt_fen(p['gmv_fen'])} |")
    lines += ["", "## 渠道 Channels", "",
              "| 渠道 | 类型 | 观众 | 预约 | 订单 | GMV | 投放 | ROI |",
              "|---|---|---|---|---|---|---|---|"]
    for c in s["channels"]["channels"]:
        roi = f"1:{c['roi']}" if c["roi"] is not None else "—"
        lines.append(f"| {c['zh']} {c['channel']} | {c['group']} | {c['viewers']:,} | "
                     f"{c['reservations']:,} | {c['paid_orders']:,} | {fmt_fen(c['gmv_fen'])} | "
                     f"{fmt_fen(c['spend_fen'])} | {roi} |")
    lines += ["", "## 预热 Warm-up", "", f"预约 Reservations: {s['warmup']['reservations']:,}", ""]
    for t in s["warmup"]["leaderboard"]:
        lines.append(f"{t['rank']}. {t['team']} (队长 {t['captain']}): {t['reservations']} 预约")
    sim = s["simulation"]
    lines += ["", "## 模拟 Simulation", "",
              f"seed {sim.get('seed')}, wall time {sim.get('wall_seconds', 0):.1f} s, "
              f"{sim.get('requests', 0):,} requests, flash-sale attempts "
              f"{sim.get('flash_attempts', 0):,} (won {sim.get('flash_won', 0):,})", ""]
    lines += [alert_line(a) for a in sim.get("alerts", [])[:10]]
    return "\n".join(lines) + "\n"


def alert_line(a: dict[str, Any]) -> str:
    """One alert the simulated console saw. Stored alerts (GET /alerts) carry their figures,
    not a sentence: value against baseline and the change."""
    change = a.get("change_pct")
    figures = a.get("message") or (
        f"{a.get('value')} (基线 baseline {a.get('baseline')}"
        + (f", {change:+.0f}%" if isinstance(change, int | float) else "") + ")")
    return f"- 第{a['show_minute']:.0f}分钟 告警 {a['code']}: {figures}"


def write(summary: dict[str, Any], out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"session-{summary['session']['id']}"
    md, js = out_dir / f"{stem}.md", out_dir / f"{stem}.json"
    md.write_text(markdown(summary), encoding="utf-8")
    js.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return md, js
