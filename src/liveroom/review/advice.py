"""The improvement list: rules that turn the review's numbers into things to do next time."""

from __future__ import annotations

from typing import Any

from liveroom.review.render import LABELS, SEGMENTS, words
from liveroom.tracking.channels import CHANNELS

RETURN_RATE_LIMIT = 0.05  # the handbooks: returns under 5 %
PAYMENT_SUCCESS_FLOOR = 0.95


def improvements(review: dict[str, Any]) -> list[dict[str, str]]:
    """Each in both languages; the page and the report show the reader's."""
    out: list[dict[str, str]] = []
    zh_of = words("zh_CN")

    def add(area: str, zh: str, en: str) -> None:
        out.append({"area": area, "zh": zh, "en": en})

    for k in review["kpis"]:
        if k["attainment"] < 0.9:
            name = LABELS.get(k["kpi"], "")  # the words, never the key
            zh = zh_of(name) if name else "目标"
            add("kpi", f"{zh} 只完成目标的 {k['attainment']:.0%}，"
                "复盘原因并调整下场目标或选品",
                f"{name or 'a target'} reached {k['attainment']:.0%} of target")
    for w in review["moments"]["weak"][:1]:
        part = SEGMENTS.get(w["segment"])  # a segment's kind when it has no title
        zh, en = (zh_of(part), part) if part else (w["segment"], w["segment"])
        add("script", f"第 {w['from_minute']}–{w['to_minute']} 分钟最弱（{zh}），"
            "缩短讲解或在此处安排福袋/秒杀",
            f"minutes {w['from_minute']}–{w['to_minute']} were the weakest "
            f"({en}): shorten it or put a giveaway there")
    for s in review["segments"]:
        if s["kind"] == "product" and s["duration_minutes"] > 8:
            name = s["title"] or s.get("product") or ""
            said = f"「{name}」" if name else "一个商品"
            add("script", f"{said}讲解 {s['duration_minutes']} 分钟，超过 8 分钟",
                f"{name or 'a product'} explained for {s['duration_minutes']} minutes, "
                "over 8")
    dims = review["dimensions"]
    if dims["conversion"]["payment_success_rate"] < PAYMENT_SUCCESS_FLOOR:
        add("payment", f"支付成功率 {dims['conversion']['payment_success_rate']:.1%}，排查支付渠道",
            "payment success rate below 95%: check the payment channels")
    if dims["cost"]["return_rate"] > RETURN_RATE_LIMIT:
        add("returns", f"退货率 {dims['cost']['return_rate']:.1%} 超过 5%，检查商品描述与质量",
            "return rate above 5%")
    for ch in review["channels"]:
        roi = ch.get("roi")
        if ch.get("spend_fen") and roi is not None and roi < 1:
            zh = CHANNELS[ch["channel"]].zh if ch["channel"] in CHANNELS else ch["channel"]
            add("traffic", f"渠道 {zh} ROI {roi:.2f} < 1，削减投放或换素材",
                f"channel {zh} lost money (ROI {roi:.2f})")
    for f in review["supply_feedback"][:5]:
        if f["viewers"] >= 3:
            add("supply", f"「{f['aspect']}」被 {f['viewers']} 位观众提到"
                f"{('（' + f['product'] + '）') if f['product'] else ''}，反馈给采购/商家",
                f"'{f['aspect']}' raised by {f['viewers']} viewers: tell the supply side")
    for p in review["products"]:
        if p.get("return_rate", 0) > RETURN_RATE_LIMIT and p.get("paid_units", 0) >= 20:
            add("selection", f"「{p['name']}」退货率 {p['return_rate']:.0%}，下调选品评分",
                f"{p['name']} return rate {p['return_rate']:.0%}")
    return out
