"""Renders a review (复盘) as HTML (charts inline, opens offline), XLSX, PDF and Markdown."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from liveroom.core import export
from liveroom.core.clock import local
from liveroom.core.errors import Invalid
from liveroom.core.money import fmt_fen
from liveroom.tracking.channels import CHANNELS

WEB = Path(__file__).resolve().parents[1] / "web"
FORMATS = ("html", "xlsx", "pdf", "md", "json")
LABELS = {
    "gmv_fen": "GMV 成交额", "viewers": "观众 viewers", "conversion_rate": "转化率 conversion",
    "new_members": "新增关注 new followers", "unique_viewers": "观众 unique viewers",
    "views": "观看次数 views", "peak_online": "峰值在线 peak online",
    "avg_dwell_seconds": "平均停留 avg dwell", "follow_rate": "关注率 follow rate",
    "fan_group_rate": "入团率 fan-group rate", "product_ctr": "商品点击率 product CTR",
    "cart_rate": "加购率 cart rate", "order_conversion": "下单转化 order conversion",
    "aov_fen": "客单价 AOV", "paid_orders": "支付订单 paid orders",
    "payment_success_rate": "支付成功率 payment success", "comments": "评论 comments",
    "likes": "点赞 likes", "shares": "分享 shares", "comment_rate": "评论率 comment rate",
    "share_rate": "分享率 share rate", "spend_fen": "投放花费 spend",
    "acquisition_cost_fen": "获客成本 acquisition cost", "return_rate": "退货率 return rate",
    "roi": "ROI 投产比",
}


AREAS = {"kpi": "目标 KPI", "payment": "支付 payment", "returns": "退货 returns",
         "script": "脚本 script", "selection": "选品 selection", "supply": "供应链 supply",
         "traffic": "流量 traffic"}
INCIDENT_KINDS = {"stream_down": "推流中断 stream down", "host_change": "替补主播 host change",
                  "oversell": "超卖 oversell", "public_opinion": "舆情 public opinion",
                  "payment": "支付故障 payment", "other": "其他 other"}


def incident_lines(review: dict[str, Any], tz: str) -> list[list[str]]:
    """Incidents as a person reads them: kind, local time, duration, whether the 3-minute
    recovery goal was met, the note."""
    rows = []
    for i in review.get("incidents", []):
        minutes, seconds = divmod(i["duration_s"], 60)
        state = ("已恢复 recovered" if i["resolved"] else "未恢复 open") + (
            "，达标 within 3 min" if i["within_goal"] else "，超时 over 3 min"
            if i["resolved"] else "")
        rows.append([INCIDENT_KINDS.get(i["kind"], "其他 other"),
                     local(datetime.fromisoformat(i["started_at"]), tz).strftime("%H:%M"),
                     f"{minutes}分{seconds:02d}秒", state, i["note"]])
    return rows


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x:+.1%}" if x < 0 or x > 0 else "0.0%"


SEGMENTS = {"warmup": "暖场", "opening": "开场", "product": "产品讲解", "promotion": "促单高峰",
            "closing": "收尾"}
FUNNEL = {"impressions": "直播间曝光", "enters": "进入直播间", "product_impressions": "商品曝光",
          "clicks": "商品点击", "carts": "加购", "orders": "下单", "paid": "支付"}
CHART_LABELS = {"online": "在线人数", "gmv": "每分钟成交额（¥）", "onlineAxis": "人",
                "gmvAxis": "¥"}
_RATES = ("rate", "ctr", "conversion")


def num(v: float | None) -> str:
    """A count with thousands separators; a fractional value to one decimal."""
    if v is None:
        return "—"
    if isinstance(v, int) or float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.1f}"


def seconds(v: float | None) -> str:
    if v is None:
        return "—"
    m, s = divmod(int(round(v)), 60)
    return f"{m}分{s:02d}秒" if m else f"{s}秒"


def metric(v: Any, key: str) -> str:
    """A figure in the unit its name says: fen as ¥, rates as %, seconds as 分秒."""
    if v is None:
        return "—"
    if key.endswith("_fen"):
        return fmt_fen(int(v))
    if key == "avg_dwell_seconds":
        return seconds(v)
    if key == "roi":
        return f"{v:,.2f}"
    if any(key.endswith(r) for r in _RATES) or key == "order_conversion":
        return f"{v:.1%}"
    return num(v)


FILTERS: dict[str, Any] = {
    "rv_yuan": lambda v: fmt_fen(int(v or 0)),
    "rv_pct": lambda v: "—" if v is None else f"{v:.1%}",
    "rv_delta": pct, "rv_num": num, "rv_seconds": seconds, "rv_metric": metric,
    "rv_label": lambda k: LABELS.get(k, k),
    "rv_area": lambda k: AREAS.get(k, ""),
    "rv_segment": lambda k: SEGMENTS.get(k, k),
    "rv_channel": lambda k: CHANNELS[k].zh if k in CHANNELS else "其他",
    "rv_ratio": lambda v: "—" if v is None else f"{v:,.2f}",
    "rv_local": lambda iso, tz="Asia/Shanghai": local(
        datetime.fromisoformat(iso), tz).strftime("%Y-%m-%d %H:%M") if iso else "",
}


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(WEB / "templates"),
                      autoescape=select_autoescape(["html"]))
    env.filters.update(FILTERS)
    return env


def _hhmm(moment: datetime, tz: str) -> str:
    return local(moment, tz).strftime("%H:%M")


def context(review: dict[str, Any], tz: str) -> dict[str, Any]:
    """What the review's body needs, on the page and in the report: the review, the
    charts' series (local times, ¥, Chinese names) and the incidents in words."""
    s = review["session"]
    start = datetime.fromisoformat(s.get("started_at") or s["scheduled_start"])
    charts = {
        "minutes": [_hhmm(datetime.fromisoformat(r["minute"]), tz) for r in review["timeline"]],
        "online": [r["online"] for r in review["timeline"]],
        "gmv": [round(r["gmv_fen"] / 100, 2) for r in review["timeline"]],
        "segments": [[_hhmm(start + timedelta(minutes=g["start_minute"]), tz),
                      _hhmm(start + timedelta(minutes=g["start_minute"] + g["duration_minutes"]),
                            tz), g["title"] or SEGMENTS.get(g["kind"], g["kind"])]
                     for g in review["segments"]],
        "funnel": [[FUNNEL.get(k, k), v] for k, v in review["funnel"].items()],
    }
    return {"r": review, "tz": tz, "charts": json.dumps(charts, ensure_ascii=False),
            "chart_labels": json.dumps(CHART_LABELS, ensure_ascii=False),
            "incidents": incident_lines(review, tz)}


def to_html(review: dict[str, Any], tz: str = "Asia/Shanghai", nonce: str = "") -> str:
    """The report as one self-contained page (styles, ECharts and the chart code inlined);
    served over HTTP its inline blocks carry the response's CSP `nonce`."""
    static = WEB / "static"
    return _env().get_template("review.html").render(
        **context(review, tz), nonce=nonce,
        css=(static / "review.css").read_text(encoding="utf-8"),
        echarts=(static / "vendor" / "echarts.min.js").read_text(encoding="utf-8"),
        charts_js=(static / "review.js").read_text(encoding="utf-8"))


def to_markdown(review: dict[str, Any], tz: str = "Asia/Shanghai") -> str:
    s, h = review["session"], review["headline"]
    net = review.get("gmv_net_fen", h["gmv_fen"]) or 0
    lines = [f"# 复盘 Review · {s['title']}", "",
             f"- GMV {fmt_fen(h['gmv_fen'] or 0)} (退款后 net {fmt_fen(net)}) · "
             f"观众 viewers {h['unique_viewers']} · "
             f"峰值在线 peak {h['peak_online']} · 转化率 conversion "
             f"{(h['conversion_rate'] or 0):.1%} · UV 价值 {fmt_fen(h['uv_value_fen'] or 0)}", ""]
    if review["kpis"]:
        lines += ["## KPI", "", "| KPI | 目标 target | 实际 actual | 完成 |", "|---|---|---|---|"]
        lines += [f"| {LABELS.get(k['kpi'], k['kpi'])} | {k['target']} | {k['actual']} | "
                  f"{k['attainment']:.0%} |"
                  for k in review["kpis"]]
        lines.append("")
    b = review.get("buyers")
    if b:
        share = b["returning_share"]
        lines += ["## 新客与老客 New and returning buyers", "",
                  f"- 老客 returning: {b['returning']['buyers']} 人, "
                  f"{fmt_fen(b['returning']['gmv_fen'])}",
                  f"- 新客 new: {b['new']['buyers']} 人, {fmt_fen(b['new']['gmv_fen'])}",
                  f"- 老客占比 returning share: {'—' if share is None else f'{share:.1%}'}", ""]
    lines += ["## 高光与薄弱 Highlights and weak moments", ""]
    for w in review["moments"]["highlights"]:
        lines.append(f"- ▲ {w['from_minute']}–{w['to_minute']} 分钟 {w['segment']}: "
                     f"{fmt_fen(w['gmv_fen'])}")
    for w in review["moments"]["weak"]:
        lines.append(f"- ▼ {w['from_minute']}–{w['to_minute']} 分钟 {w['segment']}: "
                     f"{fmt_fen(w['gmv_fen'])}")
    if review.get("incidents"):
        lines += ["", "## 事故 Incidents", "", "| 类型 | 开始 | 时长 | 状态 | 备注 |",
                  "|---|---|---|---|---|"]
        lines += ["| " + " | ".join(row) + " |" for row in incident_lines(review, tz)]
    lines += ["", "## 改进 Improvements", ""]
    lines += [f"- [{AREAS.get(i['area'], '')}] {i['zh']}"
              for i in review["improvements"]] or ["- —"]
    return "\n".join(lines) + "\n"


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="161823")
    for row in rows:
        ws.append(export.row(row))
    for col in ws.columns:
        width = max(len(str(c.value or "")) for c in col)
        ws.column_dimensions[col[0].column_letter].width = min(60, max(10, width + 2))


def to_xlsx(review: dict[str, Any], path: Path, tz: str = "Asia/Shanghai") -> None:
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    h, d = review["headline"], review["dimensions"]
    summary = [["GMV (¥)", (h["gmv_fen"] or 0) / 100], ["观众 viewers", h["unique_viewers"]],
               ["峰值在线 peak online", h["peak_online"]],
               ["转化率 conversion", h["conversion_rate"]],
               ["UV 价值 (¥)", (h["uv_value_fen"] or 0) / 100],
               ["客单价 AOV (¥)", (h["aov_fen"] or 0) / 100]]
    for values in d.values():
        for k, v in values.items():
            unit = " (秒)" if k == "avg_dwell_seconds" else " (¥)" if k.endswith("_fen") else ""
            summary.append([LABELS.get(k, k) + unit, v / 100 if k.endswith("_fen") and v else v])
    _sheet(wb, "概览 Summary", ["指标 metric", "值 value"], summary)
    _sheet(wb, "KPI", ["KPI", "目标 target", "实际 actual", "完成 attainment"],
           [[LABELS.get(k["kpi"], k["kpi"]), k["target"], k["actual"], k["attainment"]]
            for k in review["kpis"]])
    _sheet(wb, "分段 Segments", ["开始 start", "时长 min", "类型 kind", "标题 title",
                                 "GMV (¥)", "每分钟 GMV/min (¥)", "平均在线 avg online",
                                 "在线变化 online change"],
           [[s["start_minute"], s["duration_minutes"], s["kind"], s["title"], s["gmv_fen"] / 100,
             s["gmv_per_minute_fen"] / 100, s["avg_online"], s["online_change"]]
            for s in review["segments"]])
    _sheet(wb, "商品 Products", ["商品 product", "曝光", "点击", "加购", "订单", "成交件数",
                                 "GMV (¥)", "点击率", "退货件数", "退货率"],
           [[p["name"], p["impressions"], p["clicks"], p["carts"], p["orders"],
             p["paid_units"], p["gmv_fen"] / 100, p["click_rate"], p["refunded_units"],
             p["return_rate"]] for p in review["products"]])
    _sheet(wb, "渠道 Channels", ["渠道 channel", "观众", "订单", "GMV (¥)", "花费 (¥)", "ROI"],
           [[c.get("zh") or c["channel"], c["viewers"], c["paid_orders"], c["gmv_fen"] / 100,
             c["spend_fen"] / 100, c["roi"]] for c in review["channels"]])
    _sheet(wb, "时间线 Timeline", ["分钟 minute", "在线 online", "进入 enters", "支付订单",
                                   "GMV (¥)", "支付失败"],
           [[r["minute"], r["online"], r["enters"], r["paid_orders"], r["gmv_fen"] / 100,
             r["payment_failures"]] for r in review["timeline"]])
    _sheet(wb, "评论反馈 Feedback", ["问题 aspect", "商品 product", "观众数 viewers", "示例"],
           [[f["aspect"], f["product"], f["viewers"], " / ".join(f["samples"])]
            for f in review["supply_feedback"]])
    _sheet(wb, "改进 Improvements", ["方面 area", "建议", "suggestion"],
           [[AREAS.get(i["area"], ""), i["zh"], i["en"]] for i in review["improvements"]])
    _sheet(wb, "事故 Incidents", ["类型 kind", "开始 start", "时长 duration", "状态 state",
                                  "备注 note"], incident_lines(review, tz))
    wb.save(path)


def to_pdf(html: str, path: Path) -> None:
    """Print the HTML with headless Chromium (Debian's `chromium`), charts included."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise Invalid("PDF needs Debian's chromium (apt-get install chromium); "
                      "use --format html or xlsx", code="pdf_unavailable")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "review.html"
        src.write_text(html, encoding="utf-8")
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
             "--virtual-time-budget=3000", f"--print-to-pdf={path}", src.as_uri()],
            check=True, capture_output=True, timeout=120)


def write(review: dict[str, Any], fmt: str, out_dir: Path, tz: str = "Asia/Shanghai") -> Path:
    if fmt not in FORMATS:
        raise Invalid(f"format must be one of {', '.join(FORMATS)}", code="invalid_format",
                      field="format")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"review-{review['session']['id']}.{fmt}"
    if fmt == "html":
        path.write_text(to_html(review, tz), encoding="utf-8")
    elif fmt == "pdf":
        to_pdf(to_html(review, tz), path)
    elif fmt == "xlsx":
        to_xlsx(review, path, tz)
    elif fmt == "md":
        path.write_text(to_markdown(review, tz), encoding="utf-8")
    else:
        path.write_text(json.dumps(review, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
