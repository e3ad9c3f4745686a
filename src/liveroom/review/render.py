"""Renders a review (复盘) as HTML (charts inline, opens offline), XLSX, PDF and Markdown."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from liveroom.core import export
from liveroom.core.clock import local
from liveroom.core.errors import Invalid
from liveroom.core.i18n import DEFAULT, N_, install, translations
from liveroom.core.money import fmt_fen
from liveroom.tracking.channels import CHANNELS

WEB = Path(__file__).resolve().parents[1] / "web"
FORMATS = ("html", "xlsx", "pdf", "md", "json")
# Every word of the review is a catalogue message (English id, zh_CN translation), one
# language at a time: the page's locale, or zh_CN for the report files.
LABELS = {
    "gmv_fen": N_("GMV"), "viewers": N_("Viewers"), "conversion_rate": N_("Conversion rate"),
    "new_members": N_("New followers"), "unique_viewers": N_("Viewers"),
    "views": N_("Views"), "peak_online": N_("Peak online"),
    "avg_dwell_seconds": N_("Average stay"), "follow_rate": N_("Follow rate"),
    "fan_group_rate": N_("Fan-group rate"), "product_ctr": N_("Product click rate"),
    "cart_rate": N_("Cart rate"), "order_conversion": N_("Order conversion"),
    "aov_fen": N_("AOV"), "paid_orders": N_("Paid orders"),
    "payment_success_rate": N_("Payment success rate"), "comments": N_("Comments"),
    "likes": N_("Likes"), "shares": N_("Shares"), "comment_rate": N_("Comment rate"),
    "share_rate": N_("Share rate"), "spend_fen": N_("Ad spend"),
    "acquisition_cost_fen": N_("Acquisition cost"), "return_rate": N_("Return rate"),
    "roi": N_("ROI"), "uv_value_fen": N_("UV value"),
}
AREAS = {"kpi": N_("Targets"), "payment": N_("Payment"), "returns": N_("Returns"),
         "script": N_("Script"), "selection": N_("Selection"), "supply": N_("Supply chain"),
         "traffic": N_("Traffic")}
INCIDENT_KINDS = {"stream_down": N_("Stream down"), "host_change": N_("Host change"),
                  "oversell": N_("Oversold"), "public_opinion": N_("Public opinion"),
                  "payment": N_("Payment trouble"), "other": N_("Other")}
SEGMENTS = {"warmup": N_("Warm-up segment"), "opening": N_("Opening"),
            "product": N_("Product talk"), "promotion": N_("Promotion peak"),
            "closing": N_("Closing")}
FUNNEL = {"impressions": N_("Room impressions"), "enters": N_("Entered the room"),
          "product_impressions": N_("Saw a product"), "clicks": N_("Clicked a product"),
          "carts": N_("Added to cart"), "orders": N_("Placed an order"), "paid": N_("Paid")}
CHART_LABELS = {"online": N_("Viewers online"), "gmv": N_("GMV per minute (¥)"),
                "onlineAxis": N_("people"), "gmvAxis": "¥"}
_RATES = ("rate", "ctr", "conversion")


def words(locale: str = DEFAULT) -> Callable[[str], str]:
    """The catalogue's gettext for `locale`."""
    return translations(locale).gettext  # type: ignore[no-any-return]


def incident_lines(review: dict[str, Any], tz: str, locale: str = DEFAULT) -> list[list[str]]:
    """Incidents as a person reads them: kind, local time, duration, whether the 3-minute
    recovery goal was met, the note."""
    tr = words(locale)
    rows = []
    for i in review.get("incidents", []):
        state = (N_("Not recovered") if not i["resolved"] else
                 N_("Recovered within 3 minutes") if i["within_goal"] else
                 N_("Recovered after more than 3 minutes"))
        rows.append([tr(INCIDENT_KINDS.get(i["kind"], N_("Other"))),
                     local(datetime.fromisoformat(i["started_at"]), tz).strftime("%H:%M"),
                     seconds(i["duration_s"], locale), tr(state), i["note"]])
    return rows


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x:+.1%}" if x < 0 or x > 0 else "0.0%"


def num(v: float | None) -> str:
    """A count with thousands separators; a fractional value to one decimal."""
    if v is None:
        return "—"
    if isinstance(v, int) or float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.1f}"


def seconds(v: float | None, locale: str = DEFAULT) -> str:
    if v is None:
        return "—"
    m, s = divmod(int(round(v)), 60)
    tr = words(locale)
    if m:
        return tr(N_("%(m)s min %(s)s s")) % {"m": m, "s": f"{s:02d}"}
    return tr(N_("%(s)s s")) % {"s": s}


def metric(v: Any, key: str, locale: str = DEFAULT) -> str:
    """A figure in the unit its name says: fen as ¥, rates as %, seconds as minutes."""
    if v is None:
        return "—"
    if key.endswith("_fen"):
        return fmt_fen(int(v))
    if key == "avg_dwell_seconds":
        return seconds(v, locale)
    if key == "roi":
        return f"{v:,.2f}"
    if any(key.endswith(r) for r in _RATES) or key == "order_conversion":
        return f"{v:.1%}"
    return num(v)


def _locale(ctx: Context) -> str:
    return str(ctx.get("locale") or DEFAULT)


def _in_words(names: dict[str, str], fallback: str | None = None) -> Callable[..., str]:
    """A filter: a key in the words of the template's locale (unknown: `fallback`, or the
    value itself, as a segment's own title)."""
    @pass_context
    def say(ctx: Context, key: Any) -> str:
        msgid = names.get(str(key))
        if msgid is None:
            return str(key) if fallback is None else words(_locale(ctx))(fallback)
        return words(_locale(ctx))(msgid)
    return say


@pass_context
def _channel(ctx: Context, key: str) -> str:
    return CHANNELS[key].zh if key in CHANNELS else words(_locale(ctx))(N_("Other"))


FILTERS: dict[str, Any] = {
    "rv_yuan": lambda v: fmt_fen(int(v or 0)),
    "rv_pct": lambda v: "—" if v is None else f"{v:.1%}",
    "rv_delta": pct, "rv_num": num,
    "rv_seconds": pass_context(lambda ctx, v: seconds(v, _locale(ctx))),
    "rv_metric": pass_context(lambda ctx, v, key: metric(v, key, _locale(ctx))),
    "rv_label": _in_words(LABELS),
    "rv_area": _in_words(AREAS, N_("Other")),
    "rv_segment": _in_words(SEGMENTS),
    "rv_channel": _channel,
    "rv_ratio": lambda v: "—" if v is None else f"{v:,.2f}",
    "rv_local": lambda iso, tz="Asia/Shanghai": local(
        datetime.fromisoformat(iso), tz).strftime("%Y-%m-%d %H:%M") if iso else "",
}


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(WEB / "templates"),
                      autoescape=select_autoescape(["html"]))
    install(env)
    env.filters.update(FILTERS)
    return env


def _hhmm(moment: datetime, tz: str) -> str:
    return local(moment, tz).strftime("%H:%M")


def context(review: dict[str, Any], tz: str, locale: str = DEFAULT) -> dict[str, Any]:
    """What the review's body needs, on the page and in the report: the review, the
    charts' series (local times, ¥, names in `locale`) and the incidents in words."""
    tr = words(locale)
    s = review["session"]
    start = datetime.fromisoformat(s.get("started_at") or s["scheduled_start"])
    charts = {
        "minutes": [_hhmm(datetime.fromisoformat(r["minute"]), tz) for r in review["timeline"]],
        "online": [r["online"] for r in review["timeline"]],
        "gmv": [round(r["gmv_fen"] / 100, 2) for r in review["timeline"]],
        "segments": [[_hhmm(start + timedelta(minutes=g["start_minute"]), tz),
                      _hhmm(start + timedelta(minutes=g["start_minute"] + g["duration_minutes"]),
                            tz), g["title"] or tr(SEGMENTS.get(g["kind"], N_("Other")))]
                     for g in review["segments"]],
        "funnel": [[tr(FUNNEL[k]) if k in FUNNEL else k, v]
                   for k, v in review["funnel"].items()],
    }
    return {"r": review, "tz": tz, "locale": locale,
            "charts": json.dumps(charts, ensure_ascii=False),
            "chart_labels": json.dumps({k: tr(v) for k, v in CHART_LABELS.items()},
                                       ensure_ascii=False),
            "incidents": incident_lines(review, tz, locale)}


def to_html(review: dict[str, Any], tz: str = "Asia/Shanghai", nonce: str = "",
            locale: str = DEFAULT) -> str:
    """The report as one self-contained page (styles, ECharts and the chart code inlined);
    served over HTTP its inline blocks carry the response's CSP `nonce`."""
    static = WEB / "static"
    return _env().get_template("review.html").render(
        **context(review, tz, locale), nonce=nonce,
        css=(static / "review.css").read_text(encoding="utf-8"),
        echarts=(static / "vendor" / "echarts.min.js").read_text(encoding="utf-8"),
        charts_js=(static / "review.js").read_text(encoding="utf-8"))


def moment_line(w: dict[str, Any], locale: str = DEFAULT) -> str:
    """A highlight or weak window in words: minutes, the segment, GMV, average online."""
    tr = words(locale)
    segment = tr(SEGMENTS[w["segment"]]) if w["segment"] in SEGMENTS else w["segment"]
    return tr(N_("Minutes %(start)s–%(end)s · %(segment)s · GMV %(gmv)s · "
                 "%(online)s online on average")) % {
        "start": w["from_minute"], "end": w["to_minute"], "segment": segment,
        "gmv": fmt_fen(w["gmv_fen"]), "online": num(w["avg_online"])}


def advice_text(item: dict[str, str], locale: str = DEFAULT) -> str:
    """An improvement in the reader's language (advice.py writes both)."""
    return item["en"] if locale == "en" else item["zh"]


def to_markdown(review: dict[str, Any], tz: str = "Asia/Shanghai",
                locale: str = DEFAULT) -> str:
    tr = words(locale)
    s, h = review["session"], review["headline"]
    net = review.get("gmv_net_fen", h["gmv_fen"]) or 0
    head = [f"{tr(LABELS['gmv_fen'])} " + tr(N_("%(gmv)s (%(net)s after refunds)")) % {
        "gmv": fmt_fen(h["gmv_fen"] or 0), "net": fmt_fen(net)}]
    head += [f"{tr(LABELS[k])} {metric(h[k] or 0, k, locale)}" for k in (
        "unique_viewers", "peak_online", "conversion_rate", "uv_value_fen")]
    lines = [f"# {tr(N_('Review'))} · {s['title']}", "", "- " + " · ".join(head), ""]
    if review["kpis"]:
        lines += ["## KPI", "", "| KPI | " + " | ".join(tr(w) for w in (
            N_("Target"), N_("Actual"), N_("Attainment"))) + " |", "|---|---|---|---|"]
        lines += [f"| {tr(LABELS.get(k['kpi'], N_('Other')))} | "
                  f"{metric(k['target'], k['kpi'], locale)} | "
                  f"{metric(k['actual'], k['kpi'], locale)} | {k['attainment']:.0%} |"
                  for k in review["kpis"]]
        lines.append("")
    b = review.get("buyers")
    if b:
        share = b["returning_share"]
        lines += [f"## {tr(N_('New and returning buyers'))}", "",
                  "- " + tr(N_("Returning buyers: %(n)s, %(gmv)s")) % {
                      "n": num(b["returning"]["buyers"]),
                      "gmv": fmt_fen(b["returning"]["gmv_fen"])},
                  "- " + tr(N_("New buyers: %(n)s, %(gmv)s")) % {
                      "n": num(b["new"]["buyers"]), "gmv": fmt_fen(b["new"]["gmv_fen"])},
                  "- " + tr(N_("Returning share: %(share)s")) % {
                      "share": "—" if share is None else f"{share:.1%}"}, ""]
    lines += [f"## {tr(N_('Highlights and weak moments'))}", ""]
    lines += [f"- ▲ {moment_line(w, locale)}" for w in review["moments"]["highlights"]]
    lines += [f"- ▼ {moment_line(w, locale)}" for w in review["moments"]["weak"]]
    if review.get("incidents"):
        lines += ["", f"## {tr(N_('Incidents'))}", "", "| " + " | ".join(
            tr(w) for w in INCIDENT_COLUMNS) + " |", "|---|---|---|---|---|"]
        lines += ["| " + " | ".join(row) + " |" for row in incident_lines(review, tz, locale)]
    lines += ["", f"## {tr(N_('Improvements'))}", ""]
    lines += [f"- [{tr(AREAS.get(i['area'], N_('Other')))}] {advice_text(i, locale)}"
              for i in review["improvements"]] or ["- —"]
    return "\n".join(lines) + "\n"


INCIDENT_COLUMNS = (N_("Kind"), N_("Started"), N_("Duration"), N_("State"), N_("Note"))


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


def to_xlsx(review: dict[str, Any], path: Path, tz: str = "Asia/Shanghai",
            locale: str = DEFAULT) -> None:
    tr = words(locale)

    def sheet(title: str, header: tuple[str, ...], rows: list[list[Any]]) -> None:
        _sheet(wb, tr(title), [tr(h) for h in header], rows)

    def name(key: str) -> str:  # a metric's name with its unit
        unit = N_("%(name)s (seconds)") if key == "avg_dwell_seconds" else N_(
            "%(name)s (¥)") if key.endswith("_fen") else "%(name)s"
        return tr(unit) % {"name": tr(LABELS.get(key, N_("Other")))}

    def value(key: str, v: Any) -> Any:
        return v / 100 if key.endswith("_fen") and v else v

    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    h = review["headline"]
    summary = [[name(k), value(k, h[k])] for k in (
        "gmv_fen", "unique_viewers", "peak_online", "conversion_rate", "uv_value_fen",
        "aov_fen")]
    summary += [[name(k), value(k, v)] for values in review["dimensions"].values()
                for k, v in values.items()]
    sheet(N_("Summary"), (N_("Metric"), N_("Value")), summary)
    sheet("KPI", ("KPI", N_("Target"), N_("Actual"), N_("Attainment")),
          [[tr(LABELS.get(k["kpi"], N_("Other"))), k["target"], k["actual"], k["attainment"]]
           for k in review["kpis"]])
    sheet(N_("Segments"), (N_("Start minute"), N_("Minutes"), N_("Kind"), N_("Title"),
                           N_("GMV (¥)"), N_("GMV per minute (¥)"), N_("Average online"),
                           N_("Online change")),
          [[s["start_minute"], s["duration_minutes"],
            tr(SEGMENTS.get(s["kind"], N_("Other"))), s["title"], s["gmv_fen"] / 100,
            s["gmv_per_minute_fen"] / 100, s["avg_online"], s["online_change"]]
           for s in review["segments"]])
    sheet(N_("Products"), (N_("Product"), N_("Impressions"), N_("Clicks"), N_("Added to cart"),
                           N_("Orders"), N_("Units sold"), N_("GMV (¥)"), N_("Click rate"),
                           N_("Units returned"), N_("Return rate")),
          [[p["name"], p["impressions"], p["clicks"], p["carts"], p["orders"],
            p["paid_units"], p["gmv_fen"] / 100, p["click_rate"], p["refunded_units"],
            p["return_rate"]] for p in review["products"]])
    sheet(N_("Channels"), (N_("Channel"), N_("Viewers"), N_("Paid orders"), N_("GMV (¥)"),
                           N_("Ad spend (¥)"), "ROI"),
          [[c.get("zh") or c["channel"], c["viewers"], c["paid_orders"], c["gmv_fen"] / 100,
            c["spend_fen"] / 100, c["roi"]] for c in review["channels"]])
    sheet(N_("Timeline"), (N_("Minute"), N_("Viewers online"), N_("Entered the room"),
                           N_("Paid orders"), N_("GMV (¥)"), N_("Failed payments")),
          [[_hhmm(datetime.fromisoformat(r["minute"]), tz), r["online"], r["enters"],
            r["paid_orders"], r["gmv_fen"] / 100, r["payment_failures"]]
           for r in review["timeline"]])
    sheet(N_("Feedback"), (N_("Problem raised"), N_("Product"), N_("Viewers who said it"),
                           N_("Examples")),
          [[f["aspect"], f["product"], f["viewers"], " / ".join(f["samples"])]
           for f in review["supply_feedback"]])
    sheet(N_("Improvements"), (N_("Area"), N_("Suggestion")),
          [[tr(AREAS.get(i["area"], N_("Other"))), advice_text(i, locale)]
           for i in review["improvements"]])
    sheet(N_("Incidents"), INCIDENT_COLUMNS, incident_lines(review, tz, locale))
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


def write(review: dict[str, Any], fmt: str, out_dir: Path, tz: str = "Asia/Shanghai",
          locale: str = DEFAULT) -> Path:
    if fmt not in FORMATS:
        raise Invalid(f"format must be one of {', '.join(FORMATS)}", code="invalid_format",
                      field="format")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"review-{review['session']['id']}.{fmt}"
    if fmt == "html":
        path.write_text(to_html(review, tz, locale=locale), encoding="utf-8")
    elif fmt == "pdf":
        to_pdf(to_html(review, tz, locale=locale), path)
    elif fmt == "xlsx":
        to_xlsx(review, path, tz, locale)
    elif fmt == "md":
        path.write_text(to_markdown(review, tz, locale), encoding="utf-8")
    else:
        path.write_text(json.dumps(review, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
