"""Live-room concept tags for FAQ matching: a domain synonym table applied to both sides.

``CONCEPTS`` maps synonyms in both languages (and colloquial forms, typos, brand names of
couriers and payment methods) to one tag, so that "普票" meets "发票", "伴手礼" meets "赠品",
"白条" meets "付款方式" and "几升的" meets "容量" even when the words share no characters.
Chinese synonyms match as substrings (leftmost-longest), English ones on word boundaries
("_" is a space). Tags starting with "~" are *aspects* (when, how, where …): weaker
evidence and never a topic on their own.
"""

from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick_rs

from liveroom.comments.normalize import char_ngrams

_WORD = re.compile(r"[a-z0-9]+")
_EN_STOP = frozenset(
    {
        "a", "an", "the", "is", "it", "this", "that", "do", "does", "did", "can", "could", "i",
        "you", "we", "they", "my", "your", "of", "to", "for", "in", "on", "and", "or", "be",
        "are", "will", "would", "please", "what", "how", "when", "where", "which", "there", "any",
    }
)

CONCEPTS = """
ship: 发货 发伙 发出 寄出 发走 发吗 发不 几天发 多久发 啥时候发 什么时候发 当天发 今天发 明天发
 几号发 啥时候走 什么时候走 几时发 go_out goes_out send_my_order
 能发
 发了吗 出库
 出货 寄吗 啥时候寄 什么时候寄 几天寄 多久寄 寄出去 揽收 发件 ship ships shipped shipping_time
 dispatch
 dispatched send_it_out send_out sent_out be_sent
courier: 快递 快第 物流 物留 顺丰 中通 圆通 韵达 申通 极兔 邮政 ems 京东快递 德邦 菜鸟 驿站
 courier
 courier_company
 delivery_company express logistics sf_express which_delivery carrier
postage: 包邮 包油 运费 邮费 免邮 免运费 运费谁出 补运费 邮资 运废 postage shipping_fee
 pay_for_delivery pay_for_shipping delivery_charge shipping_charge
 shipping_cost
 free_shipping
 delivery_free free_delivery shipping_free delivery_fee
arrive: 到货 几天到 多久到 几天能到 多久能到 能到 收到 送到 多久收到 几天收到 次日达 到手 arrive
 arrives
 receive get_it delivered days_to
split: 分开发 分开寄 分开送 拆单 拆开发 拆开寄 拆成 分两个 分两单 分两次 分成两 分箱 分批 两个地址
 不同地址 分别寄 分别发 分寄 split separately separate_parcels two_addresses
combine: 一起发 一起寄 合并 合单 一个包裹 拼单发 一块发 together combine combined one_parcel
 one_package
remote: 新疆 西藏 偏远 港澳台 香港 澳门 台湾 海外 国外 外国 abroad overseas international remote
 xinjiang tibet
size: 尺码 码数 码子 选码 什么码 几码 啥码 多大码 穿多大 拿什么码 尺寸 身高 体重 斤 偏大 偏小
 厘米 公分 dimensions
 正码 size sizes sizing what_size which_size fit true_to_size cm kg
capacity: 容量 毫升 ml 几升 多少升 升的 l的 装多少 能装 装得下 装几 多大容量 几个人 几口人 口人
 够睡 睡几个 睡得下 躺得下 住几个 住得下 几人款 三口之家 一家三口 一家人
 family_of fit_in fits people
 几人份 人份 够几 多大
 够用 几碗 几杯 多少杯 capacity liters litres liter litre cups hold holds how_many_people serves
material: 材质 面料 布料 料子 成分 纯棉 全棉 棉的 含棉 涤纶 真丝 羊毛 化纤 什么做的 啥做的 涂层
 内胆
 不锈钢 陶瓷 塑料 玻璃 特氟龙 material fabric made_of cotton polyester wool silk coating stainless
 plastic glass
wash: 机洗 手洗 洗衣机 干洗 水洗 怎么洗 wash washable washing laundry dishwasher
shrink: 缩水 缩 变形 shrink shrinks shrinkage
return: 退货 退换 退款 退钱 能退 可以退 退吗 包退 七天无理由 7天无理由 无理由 运费险 return
 returns
 refund send_it_back money_back
exchange: 换货 换码 换尺码 换个码 换颜色 能换 可以换 换吗 exchange swap
 退换 换新
trade_in: 以旧换新 旧换新 抵钱 折价 回收 trade_in trade-in
coupon: 优惠券 优惠卷 领券 券 满减 红包 折扣码 coupon coupons voucher discount_code promo_code
gift: 赠品 赠送 小样 送什么 送啥 送吗 送不送 送的 买一送 拍一发 福袋 伴手礼 礼品 小礼物 礼物 附赠
 加赠 赠
 周边 gift gifts free_gift freebie freebies free_sample free_samples sample samples bonus extras
price: 多少钱 价格 价钱 什么价 啥价 到手价 便宜 降价 保价 价 贵 多少米 几块 price prices cost
 how_much
 cheaper cheap expensive
authentic: 正品 保真 真的吗 真假 假货 假的 高仿 专柜 官方 授权 防伪 官网 原厂 原装 正版 行货
 authentic
 genuine real original fake counterfeit legit authorised authorized
expiry: 保质期 过期 生产日期 能放多久 放多久 新鲜 有效期 shelf_life expire expires expiry
 expiration best_before
pay: 付款 支付 付钱 付不了 付不 买不了 下不了单 结算 pay payment paying checkout
pay_method: 付款方式 支付方式 白条 花呗 分期 免息 信用卡 储蓄卡 银行卡 微信支付 支付宝 云闪付
 huabei baitiao alipay zhifubao wechat_pay weixin 微信付 分几期 几期
 货到付款
 先用后付 后付 月付 收货再付 收货后付 credit_card credit_cards installment installments paypal
 cash_on_delivery pay_later pay_after apple_pay
invoice: 发票 开票 普票 专票 电子票 纸质票 增值税 税号 抬头 报销 invoice receipt fapiao
 要票 开个票 票据 bill
 tax_invoice vat
stock: 库存 有货 现货 卖完 售罄 还有吗 有没有货 补货 断货 断码 预售 in_stock stock sold_out
 available
 presale pre-order preorder restock
skin: 敏感肌 敏感皮 过敏 油皮 干皮 混油 混干 皮肤 肤质 痘 skin sensitive oily dry_skin acne
pregnant: 孕妇 怀孕 孕期 哺乳期 哺乳 宝妈 pregnant pregnancy breastfeeding nursing
usage: 怎么用 如何用 用法 用量 使用 怎么使用 咋用 how_to_use use_it apply usage
link: 链接 小黄车 购物车 上架 link links cart
warranty: 保修 质保 售后 维修 修吗 能修 包修 上门修 坏了 保几年 warranty guarantee repair repaired
battery: 续航 电池 充电 充满 电量 快充 充一次 听多久 用多久 能用几天 battery charge charging
noise: 噪音 声音大 吵 分贝 静音 降噪 隔音 noise noisy loud quiet anc noise_cancelling
water: 防水 进水 泼水 淋雨 游泳 出汗 汗水 waterproof water_resistant swim rain sweat
 漏水 漏不漏 漏雨 渗水 渗不渗 leak leaks leaking
compat: 苹果手机 iphone 安卓 android 兼容 适配 蓝牙 电脑 平板 连接 连得上 能连 compatible
 bluetooth connect
 pair laptop
power: 功率 瓦数 多少瓦 几瓦 电压 伏 插头 耗电 费电 省电 电费 watt watts wattage voltage plug 220v
 110v
install: 安装 组装 装起来 免安装 install installation assembly assemble
 搭建 搭好 搭起来 好搭 set_up setup pitch
color: 颜色 色差 色号 实物 什么色 哪个色 color colour colors
taste: 味道 口味 好吃 甜 辣 咸 口感 taste flavor flavour spicy sweet
origin: 产地 哪里产 哪产的 哪里生产 国产 进口 made_in origin imported
ship_from: 从哪发 哪里发货 哪发的 发货地 从哪里发 哪个仓 发货仓 ship_from ships_from shipped_from
address: 改地址 修改地址 地址写错 地址填错 换地址 改收货 收货地址 change_address wrong_address
 address
lottery: 抽奖 福袋 中奖 开奖 抽一个 抽到 lucky_draw giveaway raffle prize
member: 会员 积分 粉丝团 灯牌 老粉 member membership points loyalty
age: 几岁 多大孩子 多大的孩子 宝宝能 儿童 小孩 小朋友 老人 婴儿 age kids children child toddler
 baby
smell: 异味 甲醛 有味道 味儿 臭 smell smells odor odour
storage: 冷藏 冷冻 冰箱 常温 储存 保存 存放 store storage fridge freezer refrigerate
service: 客服 人工 售后电话 联系方式 怎么联系 customer_service contact support
quantity: 净含量 几片 几支 多少克 几克 几个装 一盒几 几瓶 几件套 多少片 多少支 多少颗 几颗
 quantity pieces
 how_many_in pack_of count
manual: 说明书 中文说明 教程 manual instructions
tracking: 快递单号 运单号 物流单号 单号 查物流 查快递 物流信息 快递到哪 到哪了 物流到哪 tracking
 tracking_number track trace
weight: 多重 重量 几斤重 净重 多沉 重不重 轻不轻 weigh weight heavy light
load: how_much_weight weight_capacity 承重 能坐 坐得住 会不会塌 塌 压坏 承受
 weight_limit hold_weight max_load load bear
contents: 包装里 包装清单 配件 配什么 带什么 有什么东西 附带 包含 标配 come_with comes_with
 in_the_box included include accessories
parcel_problem: 丢件 丢了 破损 催件 催一下 催单 拒收 lost damaged missing_parcel
carry_on: 飞机 高铁 地铁 安检 托运 带上飞机 plane flight airline carry-on security
~when: 什么时候 啥时候 多久 几天 何时 多长时间 when how_long how_soon how_many_days
~fail: 失败 不了 不成功 报错 没反应 咋办 怎么办 fail failed failing error not_working
~where: 在哪 哪里 哪儿 在哪里 where
"""
_ASPECT_WEIGHT = 0.35


def _parse_concepts() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for chunk in re.split(r"\n(?=~?[a-z_]+:)", CONCEPTS.strip()):
        tag, _, words = chunk.partition(":")
        table[tag.strip()] = [w.replace("_", " ") for w in words.split()]
    return table


class _ConceptTagger:
    def __init__(self) -> None:
        table = _parse_concepts()
        self._tag_of: dict[str, set[str]] = {}
        for tag, words in table.items():
            for word in words:
                self._tag_of.setdefault(word, set()).add(tag)
        self._patterns = list(self._tag_of)
        self._automaton = ahocorasick_rs.AhoCorasick(
            self._patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )

    def tags(self, normalized: str) -> frozenset[str]:
        out: set[str] = set()
        for pid, start, end in self._automaton.find_matches_as_indexes(normalized):
            word = self._patterns[pid]
            if word.isascii() and word[0].isalnum():
                before = normalized[start - 1] if start else " "
                after = normalized[end] if end < len(normalized) else " "
                # English words need boundaries; a plural/verb "s" is allowed ("coupons").
                if before.isascii() and before.isalnum():
                    continue
                if after.isascii() and after.isalpha() and after != "s":
                    continue
            out |= self._tag_of[word]
        return frozenset(out)


_TAGGER: list[_ConceptTagger] = []


def concept_tags(normalized: str) -> frozenset[str]:
    """Live-room concept tags of a normalised text ("发啥快递" → {"courier"})."""
    if not _TAGGER:
        _TAGGER.append(_ConceptTagger())
    return _cached_tags(normalized)


@lru_cache(maxsize=20_000)
def _cached_tags(normalized: str) -> frozenset[str]:
    tags = _TAGGER[0].tags(normalized)
    # A specific topic subsumes the general one its words also hit: "能拆成两个包裹发吗" is
    # about splitting the order, not about when it ships (issue 14's topical neighbour).
    general = {g for t in tags for g in SUBSUMES.get(t, ())}
    return tags - general if general else tags


SUBSUMES: dict[str, frozenset[str]] = {
    "split": frozenset({"ship", "combine"}),
    "combine": frozenset({"ship"}),
    "ship_from": frozenset({"ship"}),
    "pay_method": frozenset({"pay"}),
    "trade_in": frozenset({"exchange", "price"}),
    "capacity": frozenset({"size"}),
}


def _weight(tag: str) -> float:
    return _ASPECT_WEIGHT if tag.startswith("~") else 1.0


def concept_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Weighted Dice of two tag sets (aspects count 0.35, topics 1)."""
    if not a or not b:
        return 0.0
    common = sum(_weight(t) for t in a & b)
    return 2 * common / (sum(_weight(t) for t in a) + sum(_weight(t) for t in b))


def topics(tags: frozenset[str]) -> frozenset[str]:
    return frozenset(t for t in tags if not t.startswith("~"))


def lexical_features(normalized: str) -> set[str]:
    words = {w for w in _WORD.findall(normalized) if w not in _EN_STOP}
    cjk_only = re.sub(r"[a-z0-9\s]+", "", normalized)
    grams = char_ngrams(cjk_only, 2) if cjk_only else set()
    grams |= set(re.sub(r"[\W\d_a-z]+", "", cjk_only))  # unigrams help 2-char questions
    return words | grams


def dice(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def coverage(query: set[str], entry: set[str]) -> float:
    """Share of the query's features found in a (long) entry text: an answer is much longer
    than a question, so Dice would punish it for its length."""
    if not query or not entry:
        return 0.0
    return len(query & entry) / len(query)
