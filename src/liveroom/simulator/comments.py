"""Seeded Chinese live comments (弹幕) of every intent the comment pipeline knows, shaped by
what is happening in the room (a product being explained, a flash sale, payment trouble)."""

from __future__ import annotations

import random

INTENTS = ("product_question", "price_question", "logistics_question", "aftersales",
           "purchase_intent", "complaint", "technical", "chitchat")

TEMPLATES: dict[str, tuple[str, ...]] = {
    "product_question": ("{p}是什么材质的？", "{p}尺码怎么选", "{p}有几个颜色", "{p}适合几个人用",
                         "{p}保质期多久", "{p}孕妇能用吗", "{p}敏感肌可以用吗", "{p}容量多大"),
    "price_question": ("{p}现在多少钱", "{p}有优惠券吗", "{p}能便宜点吗", "满减怎么算",
                       "{p}和昨天比便宜了吗", "券在哪里领", "秒杀价是多少"),
    "logistics_question": ("什么时候发货", "{p}发什么快递", "新疆包邮吗", "几天能到",
                           "可以发顺丰吗", "偏远地区发货吗"),
    "aftersales": ("{p}可以七天无理由退货吗", "坏了怎么办", "保修多久", "上次买的还没退款",
                   "怎么申请售后", "有运费险吗"),
    "purchase_intent": ("扣1", "要了", "拍了", "已拍", "{p}给我来一个", "上链接", "已下单",
                        "还有库存吗我要", "1111"),
    "complaint": ("上次买的{p}质量不行", "客服一直不回", "发货太慢了", "这是假货吧",
                  "虚假宣传", "我要投诉"),
    "technical": ("付不了款", "卡住了", "页面打不开", "下单一直失败", "画面卡了", "没声音了"),
    "chitchat": ("主播好漂亮", "来了来了", "晚上好", "哈哈哈", "支持主播", "第一次来",
                 "背景音乐叫什么", "主播辛苦了", "666"),
}

NICK_A = ("快乐", "小小", "阳光", "爱吃", "温柔", "追风", "甜甜", "安静", "勇敢", "忙碌")
NICK_B = ("小猫", "厨娘", "宝妈", "少年", "橙子", "土豆", "饭团", "奶茶", "星星", "鲸鱼")


def nickname(rng: random.Random) -> str:
    return f"{rng.choice(NICK_A)}的{rng.choice(NICK_B)}{rng.randint(1, 999)}"


def intent_weights(context: str) -> list[float]:
    """Intent mix by room context: product talk brings questions, a flash sale brings
    purchase intent, payment trouble brings technical questions and complaints."""
    base = {"product_question": 18, "price_question": 14, "logistics_question": 8,
            "aftersales": 4, "purchase_intent": 14, "complaint": 3, "technical": 2,
            "chitchat": 37}
    if context == "flash":
        base.update(purchase_intent=40, price_question=18, technical=5)
    elif context == "opening":
        base.update(chitchat=55, purchase_intent=8)
    elif context == "payment_trouble":
        base.update(technical=30, complaint=10)
    elif context == "closing":
        base.update(logistics_question=15, aftersales=8, chitchat=45)
    return [float(base[i]) for i in INTENTS]


def comment(rng: random.Random, context: str, product: str) -> tuple[str, str]:
    """(intent, text) for one comment."""
    intent = rng.choices(INTENTS, weights=intent_weights(context))[0]
    text = rng.choice(TEMPLATES[intent]).format(p=product or "这个")
    return intent, text
