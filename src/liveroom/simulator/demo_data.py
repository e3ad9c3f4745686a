"""The demo's catalogue and show: 24 Chinese products over the three tiers, a two-hour
run-of-show, flash sales, coupons, tracked links and the warm-up campaign."""

from __future__ import annotations

from typing import Any

FOOD_DOCS = ["食品经营许可证", "出厂检验报告"]
BEAUTY_DOCS = ["国产化妆品备案凭证", "第三方检测报告"]

# (name, category, tier, list price ¥, cost ¥, stock, live price ¥)
CATALOGUE: list[tuple[str, str, str, float, float, int, float]] = [
    ("家用硅胶锅铲套装", "厨具", "traffic", 39.9, 9.0, 2000, 9.9),
    ("每日坚果 30袋装", "食品", "traffic", 89.0, 38.0, 3000, 59.9),
    ("网红辣条 大礼包", "零食", "traffic", 29.9, 8.0, 4000, 19.9),
    ("厨房湿巾 80抽×6包", "家居", "traffic", 35.9, 10.0, 3000, 19.9),
    ("补水保湿面膜 10片", "美妆", "traffic", 99.0, 22.0, 2500, 49.9),
    ("云南小粒咖啡 挂耳50包", "饮料", "traffic", 79.0, 30.0, 2000, 49.9),
    ("麦饭石不粘炒锅 32cm", "厨具", "profit", 299.0, 95.0, 800, 199.0),
    ("空气炸锅 5.5L 可视款", "厨具", "profit", 499.0, 210.0, 500, 329.0),
    ("破壁机 静音加热款", "厨具", "profit", 899.0, 380.0, 300, 599.0),
    ("德式不锈钢刀具七件套", "厨具", "profit", 399.0, 120.0, 600, 259.0),
    ("316不锈钢保温杯", "厨具", "profit", 199.0, 55.0, 1200, 129.0),
    ("烤箱 家用40L", "厨具", "profit", 599.0, 260.0, 300, 399.0),
    ("玻尿酸精华液 30ml", "美妆", "profit", 329.0, 70.0, 1000, 199.0),
    ("氨基酸洁面乳 120g", "美妆", "profit", 129.0, 28.0, 1500, 79.0),
    ("防晒喷雾 SPF50+", "美妆", "profit", 159.0, 35.0, 1500, 99.0),
    ("五常稻花香大米 10kg", "食品", "profit", 169.0, 85.0, 1000, 119.0),
    ("特级初榨橄榄油 1L×2", "食品", "profit", 198.0, 92.0, 800, 139.0),
    ("云南鲜花饼 礼盒", "食品", "profit", 88.0, 30.0, 1500, 59.9),
    ("珐琅铸铁炖锅 24cm", "厨具", "profit", 699.0, 240.0, 400, 459.0),
    ("真空封口机", "厨具", "profit", 259.0, 90.0, 600, 169.0),
    ("智能料理机 多功能", "厨具", "flagship", 3999.0, 2100.0, 100, 3299.0),
    ("抗老面霜 50g 旗舰款", "美妆", "flagship", 1280.0, 320.0, 200, 998.0),
    ("宁夏枸杞原浆 礼盒", "食品", "flagship", 598.0, 210.0, 300, 459.0),
    ("手工铁锅 章丘古法", "厨具", "flagship", 888.0, 300.0, 200, 699.0),
]


# Whose goods they are (商家): the orders page and its downloads are split by it.
MERCHANTS = {"厨具": "匠心厨具旗舰店", "家居": "匠心厨具旗舰店", "美妆": "花间美妆官方店",
             "食品": "滇味山货合作社", "零食": "滇味山货合作社", "饮料": "滇味山货合作社"}


def fen(yuan: float) -> int:
    return int(round(yuan * 100))


def product_bodies(run: str) -> list[dict[str, Any]]:
    out = []
    for i, (name, cat, tier, price, cost, stock, _live) in enumerate(CATALOGUE):
        docs = FOOD_DOCS if cat in ("食品", "零食", "饮料") else (
            BEAUTY_DOCS if cat == "美妆" else [])
        out.append({
            "name": name, "category": cat, "tier": tier, "brand": "好物优选",
            "merchant": MERCHANTS.get(cat, ""),
            "qualification_docs": docs, "history": {"sessions": 3 + i % 4},
            "skus": [{"code": f"D{run}-{i:02d}", "spec": "标准装", "price_fen": fen(price),
                      "cost_fen": fen(cost), "stock": stock, "safety_stock": stock // 20}]})
    return out


def live_prices() -> list[int]:
    return [fen(row[6]) for row in CATALOGUE]


# Which catalogue rows are explained, in order (traffic items first, profit mid, flagship
# late), and for how long. Row 8, the blender, runs 12 minutes: the long segment whose
# viewer dip the review should find.
EXPLAINED: list[tuple[int, int]] = [
    (1, 6), (6, 7), (4, 6), (7, 8), (12, 7), (2, 6), (8, 12), (3, 6),  # → minute 63
    (9, 7), (15, 7), (13, 6), (18, 7), (20, 8), (21, 7),  # → minute 110
]


def segments(sku_ids: list[str]) -> list[dict[str, Any]]:
    segs = [{"kind": "opening", "start_minute": 0, "duration_minutes": 5,
             "title": "开场秒杀 锅铲套装 9.9", "sku_id": sku_ids[0], "giveaway": True,
             "script": "欢迎来到厨房好物节！开场福利 9.9 元秒杀，点关注不迷路"}]
    minute, last_gift = 5, 0
    for row, length in EXPLAINED:
        kind = "promotion" if 56 <= minute < 64 else "product"
        gift = minute - last_gift >= 15
        if gift:
            last_gift = minute
        segs.append({"kind": kind, "start_minute": minute, "duration_minutes": length,
                     "title": f"讲解 {CATALOGUE[row][0]}", "sku_id": sku_ids[row],
                     "giveaway": gift, "script": (
                         f"讲解：{CATALOGUE[row][0]}的卖点、做工和检测报告（FABE）\n"
                         "互动：扣1抽奖，现场答疑尺寸和用法\n逼单：直播间专享价，库存只剩这一批")})
        minute += length
    segs.append({"kind": "closing", "start_minute": minute, "duration_minutes": 120 - minute,
                 "title": "收尾 返场+下期预告", "giveaway": True,
                 "script": "感谢观看，未付款的宝宝尽快付款，下期预约链接在置顶"})
    return segs


CONTINGENCY = {
    "equipment_failure": "切到备用机位和备用网络，助播口播稍等，恢复后补发福利",
    "out_of_stock": "换讲同类备选款，公告补货时间，已下单未付款的提醒尽快付款",
    "slip_of_tongue": "立即口播更正，以商品页价格为准，置顶更正公告",
}


def campaign_config() -> dict[str, Any]:
    return {"reward_first_n": 100, "first_n_reward": "前100名预约送定制硅胶锅铲",
            "invite_rewards": [{"invites": 3, "reward": "5元无门槛券"},
                               {"invites": 20, "reward": "免单抽奖资格"}],
            "teams": [{"name": "阿美队", "captain": "阿美"},
                      {"name": "小林队", "captain": "小林"},
                      {"name": "大伟队", "captain": "大伟"}],
            "team_prize": "邀约PK冠军队 现金红包 ¥500",
            "reminder_text": "您预约的「厨房好物节」开播啦！开场 9.9 元秒杀，手慢无"}


# (channel, kind, koc, team): live links and reservation (预约) links per channel and KOC.
LINKS: list[tuple[str, str, str | None, str | None]] = [
    ("feed_ads", "live", None, None), ("kol", "live", "厨房小王", None),
    ("community", "live", "阿美", "阿美队"), ("community", "live", "小林", "小林队"),
    ("community", "live", "大伟", "大伟队"), ("sms", "live", None, None),
    ("official_account", "live", None, None), ("wecom", "live", None, None),
    ("community", "reservation", "阿美", "阿美队"),
    ("community", "reservation", "小林", "小林队"),
    ("community", "reservation", "大伟", "大伟队"),
    ("official_account", "reservation", None, None), ("sms", "reservation", None, None),
    ("wecom", "reservation", None, None), ("kol", "reservation", "厨房小王", None),
    ("followers", "reservation", None, None), ("recommendation", "reservation", None, None),
]
