"""Paraphrase generator for the intent model's training data (issue 14, third pass).

Each intent has many short *cores* (templates with slots: product and attribute of one
category, item references, colours, sizes, bodies, cities, couriers, prices, platforms),
in Chinese and English. A core is then dressed the way viewers type: a greeting or an
address to the host, a particle or emoji at the end, pinyin initials (yyds, jg, lj, fh),
typos and homophones, a second clause of small talk, and — without changing the intent — a
diversion, personal data or an insult (the label is the main ask; sensitivity rides on
top). Deterministic for a seed. Nothing is copied from an evaluation or development set.
"""

from __future__ import annotations

import random
import re

from comments_gen_cores4 import CORES_V4
from comments_gen_slots import (
    ALL_PRODUCTS,
    BODY,
    CATEGORIES,
    CHEER_EMOJI,
    CITIES,
    COLORS,
    COURIERS,
    DIVERT,
    EN_COLORS,
    EN_ITEMS,
    EN_SIZES,
    ENDS,
    HOSTS,
    INSULTS,
    NUM_REFS,
    NUMBERS,
    PII,
    PLATFORMS,
    PREFIXES,
    PRICES,
    QTY,
    REFS,
    SAD_EMOJI,
    SIZES,
    SLANG_CHEER,
    TYPOS,
)

CORES: dict[str, list[str]] = {
    "product_question": [
        "{ref}{attr}", "{prod}{attr}", "{ref}{prod}{attr}", "{nref}{attr}", "{nref}{prod}{attr}",
        "{body} {size}会大吗", "{body}穿什么码", "{body} 穿{size}还是{size2}", "{body}能穿吗",
        "{ref}有{color}吗", "{color}的{attr}", "{ref}{color}和{color2}哪个显白", "{nref}是什么颜色",
        "{nref}和{n2}号有什么区别", "{ref}跟上次那款有啥区别", "{prod}和{prod2}哪个好",
        "{ref}是正品吗", "有品牌授权吗", "是官方旗舰店同款吗", "有防伪码吗", "{ref}是什么牌子的",
        "{ref}是哪里产的", "{ref}产地是哪", "有检测报告吗", "{host}手上那个是几号",
        "{host}身上穿的是什么码", "{host}多高多重 穿的什么码", "能再展示一下{prod}吗",
        "{host}试一下{color}的", "看看{ref}背面", "近景看看{ref}细节", "{ref}实物有色差吗",
        "{ref}一套有几件", "{ref}送的配件有哪些", "{ref}是新款吗", "{prod}有几种款式",
        "{ref}有现货吗", "{size}码还有吗", "{ref}{size}的有吗", "{ref}适合多大年纪",
        "{ref}适合送人吗", "{ref}男生能用吗", "{ref}有说明书吗", "{ref}是什么型号",
        "{ref}好用吗", "{ref}质量怎么样", "{ref}耐用吗", "{ref}效果怎么样", "{ref}会不会坏",
        "尺码怎么选", "码数怎么选", "怎么选码", "选哪个码", "{body}选哪个码", "{prod}怎么选",
        "哪个颜色好看", "推荐哪个颜色", "{color}和{color2}选哪个", "尺码表在哪看", "尺码标准吗",
        "{ref}怎么洗", "{ref}怎么保养", "{ref}怎么安装", "{ref}怎么充电", "{ref}用的什么材料",
        "what material is {en_item}", "is {en_item} true to size", "what size should I get",
        "does {en_item} come in {en_color}", "is {en_item} waterproof", "is it real leather",
        "how long does the battery last", "is {en_item} good for sensitive skin",
        "can you show {en_item} again", "what's the difference between 2 and 3",
        "is {en_item} authentic", "is it dishwasher safe", "how big is {en_item}",
        "what size is the host wearing", "I'm 165cm 55kg, which size", "does it fit true",
        "is the color accurate", "how many in a pack", "is it 100% cotton",
    ],
    "price_question": [
        "{ref}多少钱", "{prod}多少钱", "{nref}多少钱", "{nref}什么价", "{ref}啥价", "jg多少",
        "{ref}到手价多少", "到手多少", "现在拍多少钱", "{ref}券后多少", "有优惠券吗",
        "优惠券在哪领", "券在哪", "能叠加券吗", "店铺券能用吗", "{ref}能便宜点吗",
        "再便宜点呗", "能少点吗", "两件有优惠吗", "拍{qty}多少钱", "买{qty}能打折吗",
        "满减怎么算", "满{price}减多少", "有没有新人价", "学生有优惠吗", "老粉有优惠吗",
        "会员价多少", "原价多少 现在多少", "{plat}才{price} 你这能便宜吗",
        "{plat}卖{price} 能跟价吗",
        "比{plat}便宜吗", "直播间价格和店铺一样吗", "下播以后还是这个价吗", "过几天会降价吗",
        "双十一会更便宜吗", "保价吗", "买了降价能退差价吗", "是{price}还是{price2}",
        "{price}是单件价吗", "价格再说一遍", "价格发一下评论区", "没听清多少钱",
        "{price}？？有券吗", "有赠品吗", "送什么赠品", "买一送一吗", "第二件半价吗",
        "一盒多少钱", "一箱多少钱", "多少钱一斤", "算下来一个多少钱", "批发价多少",
        "团购有优惠吗", "有员工价吗", "是不是全网最低价", "是历史最低吗", "定金多少 尾款多少",
        "分期有免息吗", "积分能抵现吗", "以旧换新能抵多少", "红包能抵多少", "秒杀价多少",
        "整点秒杀是什么价", "套装和单买哪个划算", "这个价包邮吗", "这价格含税吗",
        "how much is {en_item}", "how much?", "price?", "what's the price", "any discount",
        "is there a coupon", "price for two?", "how much after coupon", "any promo code",
        "is this the lowest price", "will it be cheaper later", "how much for the set",
        "does the coupon stack", "any deal for new buyers", "how much in usd",
    ],
    "logistics_question": [
        "什么时候发货", "几天发货", "多久发货", "fh时间多久", "今天拍明天能发吗", "今天能发吗",
        "几点前下单当天发", "周末发货吗", "春节发货吗", "预售多久发", "现货还是预售",
        "几天能到", "到{city}要几天", "{city}几天到", "{city}能发吗", "{city}包邮吗",
        "能寄到{city}吗", "偏远地区包邮吗", "偏远地区加运费吗", "运费多少", "包邮吗",
        "发什么快递", "能发{courier}吗", "发{courier}吗", "能指定快递吗", "用的哪家快递",
        "从哪里发货", "发货地是哪", "是国内仓还是海外仓", "怎么查物流", "物流单号在哪看",
        "物流三天没更新了", "物流一直不动", "我前天拍的 发了没", "发货了吗", "还没发货吗",
        "物流说已签收 我没拿到", "拍了两件只到了一件", "能合并发货吗",
        "拍了{qty}能一起发吗", "会分开发吗", "拍了两单能一起寄吗", "能改地址吗",
        "下单地址填错了能改吗", "能晚点发吗", "能先不发吗", "能加急吗", "送货上门吗",
        "放驿站还是送上门", "能放快递柜吗", "要冷链吗", "路上会不会压坏", "易碎品怎么包装",
        "能送到学校吗", "能寄到公司吗", "海外能发吗", "需要清关吗", "派送员联系方式有吗",
        "发货前会打电话吗", "次日达吗", "{nref}和{n2}号是一个仓发吗",
        "when will it ship", "when do you ship", "how long is delivery",
        "do you ship to {en_place}", "is shipping free", "which courier do you use",
        "where's my tracking number", "how long to {en_place}", "can you combine my orders",
        "can I change my address", "my parcel hasn't moved", "when will my order arrive",
        "is there express shipping", "shipping cost?",
    ],
    "aftersales": [
        "能退吗", "不合适能退吗", "{ref}能退吗", "怎么退货", "退货地址是哪", "退货地址发我",
        "退货运费谁出", "有运费险吗", "支持七天无理由吗", "拆封了还能退吗", "试穿过能退吗",
        "能换码吗", "尺码小了能换大一码吗", "能换个颜色吗", "换货要重新拍吗",
        "申请了换货 新的什么时候寄",
        "退款多久到账", "退款什么时候到", "退款申请了没人处理", "已经寄回去了 什么时候退钱",
        "能取消订单吗", "拍错了能取消吗", "拍多了能取消一件吗", "能开发票吗", "发票怎么开",
        "能开专票吗", "可以开普票吗", "电子发票在哪下载", "发票抬头写错了能重开吗",
        "保修多久", "坏了保修吗", "去哪修", "有维修点吗", "全国联保吗", "没有发票能保修吗",
        "收到的{prod}破了 怎么办", "收到的{prod}坏了 能换吗", "{prod}少发了一个 能补发吗",
        "赠品没收到 能补吗", "发错颜色了 能换吗", "收到的{prod}有瑕疵 能换一个吗",
        "用了两天就坏了 怎么处理", "{prod}漏了 怎么弄", "外包装压坏了 能补偿吗",
        "收到的和直播间不一样 能退吗", "过敏了能退吗", "快递丢了能退款吗", "价保怎么申请",
        "昨天买贵了能退差价吗", "部分退货满减怎么算", "售后找谁", "客服怎么联系",
        "售后电话多少", "开机用过了能退不", "退货能上门取件吗", "退货单号填哪里",
        "can I return it", "how do I get a refund", "is there a warranty", "refund status?",
        "{en_item} arrived broken, what now", "I got the wrong size, can I exchange",
        "how do I get an invoice", "my refund hasn't arrived", "can I cancel my order",
        "one item is missing from my order",
    ],
    "purchase_intent": [
        "要了", "我要", "我要我要", "要要要", "拍了", "已拍", "已下单", "下单了", "付款了",
        "已付款", "买了", "入手了", "抢到了", "冲", "冲冲冲", "冲了", "上车", "上车了", "拿下",
        "买它", "要{qty}", "给我来{qty}", "给我留{qty}", "{nref}要了", "{nref}拍了",
        "{nref}要{color}{size}", "{nref} {color} {size} {qty}", "要{color}{size}码",
        "我要{color}的",
        "{color}{size}已拍", "{prod}给我来一个", "{prod}要{qty}", "想要{prod}", "+1 我也想要",
        "想要", "想买", "蹲", "蹲一个", "蹲链接", "蹲{prod}", "上链接", "快上链接", "求链接",
        "链接在哪", "小黄车几号", "怎么买", "在哪下单", "怎么下单", "哪个链接", "拍哪个链接",
        "几点开抢", "什么时候上架", "还会补库存吗", "能加点库存吗", "再上一次吧",
        "库存还有多少", "还有库存吗 想拍", "{color}{size}还有吗 想拍", "没抢到 还能补吗",
        "订了开播提醒 到点就买", "加购了", "已加购", "收藏了 等开抢", "定金付了", "回购了",
        "又买了{qty}", "给我妈拍了{qty}", "给老公买了一件", "闭眼入", "必须拿下", "这个我要",
        "都要", "全要了", "扣1", "扣{n}", "1", "111", "1111", "{n}", "{n}{n}{n}", "已拍 坐等发货",
        "还能加单吗", "拍了 备注了颜色", "不聊了 下单去", "钱包已经掏出来了",
        "I'll take one", "I want {en_item}", "ordered!", "just bought {en_item}", "take my money",
        "added to cart", "where do I buy", "how to buy?", "link please", "I'll take 2",
        "want the {en_color} one in {en_size}", "sold!", "buying now", "need this",
        "put me down for one", "order placed",
    ],
    "complaint": [
        "太贵了", "这么贵", "怎么这么贵 抢钱啊", "{plat}才{price} 你这卖这么贵", "这价格也太离谱",
        "质量太差了", "{prod}质量太差", "用了两天就坏了 垃圾", "洗一次就起球了", "一股怪味",
        "跟直播间差太多了", "色差太大", "货不对板", "说是纯棉 结果是化纤", "尺码完全不准",
        "等了半小时还不上链接", "等了一晚上就这", "磨磨唧唧的", "又没抢到 每次都这样",
        "就上十单 逗我们玩呢", "说了半小时最后一波", "天天喊最后一批", "客服根本不回",
        "问了好几遍都不理我", "主播只回老粉", "主播不看评论", "问了十遍没人回",
        "发货太慢了", "快递一周了还没到", "退款拖了半个月", "退个货这么麻烦", "说好的赠品呢",
        "说好的包邮呢", "说发顺丰 来的是别的快递", "赠品越送越少", "又是套路",
        "先涨价再降价 套路", "昨天买的今天就降价了", "评论区都是托", "好评都是刷的",
        "虚假宣传", "假货 别买", "一看就是假的", "上次买的就是假的", "三无产品吧",
        "黑心商家", "智商税", "割韭菜", "被割韭菜了", "再也不买了", "拉黑了", "差评",
        "太失望了", "无语", "服了", "气死了", "什么破玩意", "垃圾", "别吼了 吵死了",
        "主播一直聊天 不讲产品", "包装太简陋了", "态度太差", "助播态度好差", "主播说话好冲",
        "吃了拉肚子", "{prod}太咸了", "{prod}用一次就坏", "这质量也敢卖{price}",
        "好实惠哦 比{plat}还贵五十", "厉害了 又一秒没货", "这发货速度可真快啊 十天了还在仓库",
        "呵呵 好一个福利价", "就这水平？", "主播光说不练", "骗人的吧", "你们就是骗老人钱",
        "this is a scam", "terrible quality", "way too expensive", "so disappointed",
        "nobody answers my questions", "waited 2 weeks still nothing", "worst service ever",
        "never buying again", "the host talks too much", "what a ripoff", "fake, don't buy",
    ],
    "technical": [
        "卡了", "好卡", "卡成ppt了", "卡成幻灯片了", "一卡一卡的", "画面卡住不动了", "黑屏了",
        "白屏了", "没声音了", "声音断断续续", "声音忽大忽小", "有回音", "麦有杂音",
        "声音和画面对不上", "画面好糊", "画质太差 看不清", "光线太暗 啥也看不清",
        "镜头一直抖", "画面镜像了 字反着", "直播间进不去", "一直转圈", "页面一直在加载",
        "是我网的问题还是直播间卡", "是不是断播了", "闪退了", "app闪退", "一打开就闪退",
        "看不到链接", "看不到商品", "小黄车点不开", "链接打不开", "链接点进去是别的商品",
        "购物车里没看到", "刷新了还是看不到", "付不了款", "付款一直失败", "支付失败",
        "付款页面卡住不动", "白条用不了", "花呗选不了", "钱扣了订单还是待付款",
        "提交订单按钮是灰的", "明明有货 下单说没库存", "时间到了还点不了抢购",
        "加购物车显示商品不存在", "地址填不进去 一直报错", "验证码收不到", "券领不了",
        "券领了用不了", "券显示已领取 结算没抵扣", "满减没算上 是bug吗", "结算价格不对 是bug吗",
        "福袋点了没反应", "红包抢不了 显示异常", "评论发不出去", "全屏之后评论没了",
        "看不到评论区", "错过了 回放怎么看", "小窗模式怎么打开", "一直说人太多请稍后",
        "一直提示系统繁忙", "显示网络错误", "订单页面打不开", "重新进来购物车清空了",
        "网页版没有购物车", "领券按钮找不到", "苹果手机看不了",
        "stream is lagging", "no sound", "can't see the link", "payment failed",
        "app crashed", "black screen", "video frozen", "can't pay", "the link won't open",
        "coupon won't apply", "stuck on loading", "lag lag lag", "checkout keeps failing",
    ],
    "chitchat": [
        "{host}好美", "{host}好漂亮", "{host}声音好好听", "{host}好可爱", "{host}辛苦了",
        "{host}加油", "{host}喝口水吧", "{host}吃饭了吗", "{host}是哪里人", "{host}多大了",
        "{host}今天发型好看", "{host}今天状态好好", "{host}口音好像四川的", "支持{host}",
        "来了来了", "晚上好", "家人们晚上好", "大家好", "第一次来", "老粉报到", "打卡",
        "每天都来看", "关注了", "点赞了", "刚下班 累死了", "刚走开一下 错过啥了",
        "今天好冷", "下雨了", "在吃饭边看", "没钱 纯路过看看", "光看不买的举手",
        "明天还播吗", "今天几点下播", "下次播什么", "背景音乐是什么歌", "直播间装修好好看",
        "粉丝群怎么进", "主播的猫好可爱", "助播好可爱", "主播有男朋友吗", "抽中了 好开心",
        "上次买的{prod}很好用 来支持", "送你小心心", "爱了爱了", "哈哈哈", "哈哈哈哈哈",
        "笑死", "笑死我了", "666", "6666", "888", "999", "好家伙", "绝绝子", "yyds",
        "{slang}", "{slang} {host}", "{emoji}", "{emoji}{emoji}{emoji}", "{emoji}{emoji}",
        "。。。", "?", "？", "嗯嗯", "好的", "懂了", "晚安 明天见", "我先睡了", "陪主播到下播",
        "今天人好多", "有没有一起看的", "同城的有吗", "哪里的主播", "主播今天穿的好看",
        "这个颜色好看", "质感不错", "好喜欢这个款", "楼上说得对", "nsdd 主播说得都对",
        "hello everyone", "hi from {en_place}", "love this stream", "you're so funny lol",
        "good evening", "first time here", "love you", "so cute", "lol", "haha",
        "miss you", "good night", "watching from {en_place}", "nice music",
    ],
}

for _intent, _extra in CORES_V4.items():  # issue 14, fourth pass
    CORES[_intent] = CORES[_intent] + _extra

# Second clauses that add small talk to a main ask without changing it.
SIDE = ["{host}好美", "来晚了", "第一次来", "老粉了", "{slang}", "{emoji}", "哈哈哈",
        "家人们", "刚下班", "{host}辛苦了", "姐妹们", "先关注了"]
SIDE_PLAIN = ["来晚了", "家人们", "姐妹们", "刚来", "我说", "真的", "说实话"]
PLAIN_ENDS = ["", "", "", "!", "！！", "。", "~", "啊", "了", "...", "!!!", " 🙂", " 😂", " 😅"]
EN_PLACES = ["canada", "LA", "london", "malaysia", "singapore", "australia", "taiwan",
             "hong kong", "the US", "toronto", "japan"]
_SLOT = re.compile(r"\{(\w+)\}")


def _slot_values(rng: random.Random) -> dict[str, str]:
    category = rng.choice(list(CATEGORIES))
    products, attrs = CATEGORIES[category]
    n, n2 = rng.sample(NUMBERS, 2)
    values = {
        "prod": rng.choice(products), "prod2": rng.choice(ALL_PRODUCTS),
        "attr": rng.choice(attrs), "ref": rng.choice(REFS), "n": n, "n2": n2,
        "nref": rng.choice(NUM_REFS).format(n=n), "color": rng.choice(COLORS),
        "color2": rng.choice(COLORS), "size": rng.choice(SIZES), "size2": rng.choice(SIZES),
        "body": rng.choice(BODY), "qty": rng.choice(QTY), "city": rng.choice(CITIES),
        "courier": rng.choice(COURIERS), "price": rng.choice(PRICES),
        "price2": rng.choice(PRICES), "plat": rng.choice(PLATFORMS), "host": rng.choice(HOSTS),
        "en_item": rng.choice(EN_ITEMS), "en_color": rng.choice(EN_COLORS),
        "en_size": rng.choice(EN_SIZES), "en_place": rng.choice(EN_PLACES),
        "slang": rng.choice(SLANG_CHEER), "emoji": rng.choice(CHEER_EMOJI),
    }
    if rng.random() < 0.3:  # "这个面霜" as often as "这个"
        values["ref"] = values["ref"] + values["prod"]
    return values


def _fill(template: str, values: dict[str, str]) -> str:
    return _SLOT.sub(lambda m: values[m.group(1)], template)


def _typo(text: str, rng: random.Random) -> str:
    hits = [(a, b) for a, b in TYPOS if a in text]
    if not hits:
        return text
    a, b = rng.choice(hits)
    return text.replace(a, b, 1)


def dress(core: str, intent: str, rng: random.Random, values: dict[str, str]) -> str:
    """One way a viewer might type ``core``."""
    text = core
    english = core.isascii()
    r = rng.random()
    if not english and r < 0.35:
        prefix = rng.choice(PREFIXES) if rng.random() < 0.5 else rng.choice(HOSTS) + " "
        text = prefix + text
    if rng.random() < 0.5:
        ends = ENDS if intent.endswith(("question", "aftersales")) else PLAIN_ENDS
        end = rng.choice(ends)
        text = text + (end if not english or end.isascii() else "")
    if not english and rng.random() < 0.2:
        text = _typo(text, rng)
    if rng.random() < 0.1 and intent != "chitchat":
        side = _fill(rng.choice(SIDE if intent != "complaint" else SIDE_PLAIN), values)
        text = f"{side} {text}" if rng.random() < 0.5 else f"{text} {side}"
    if intent == "complaint" and rng.random() < 0.15:
        text = text + " " + rng.choice(SAD_EMOJI)
    if rng.random() < 0.06:
        text = text.upper() if english else text
    roll = rng.random()
    if roll < 0.05:  # a diversion or contact riding on the ask
        text = f"{text} {_fill(rng.choice(DIVERT), values)}"
    elif roll < 0.08:
        text = f"{text} {_fill(rng.choice(PII), values)}"
    elif roll < 0.12 and intent != "chitchat":  # anger in passing: still the main ask
        insult = rng.choice(INSULTS)
        text = f"{insult} {text}" if rng.random() < 0.5 else f"{text} {insult}"
    if rng.random() < 0.15:
        text = text.replace(" ", "", 1) if " " in text and not english else text
    return text.strip()


def generate(per_core: int = 10, seed: int = 20261129) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    rows: set[tuple[str, str]] = set()
    for intent, cores in CORES.items():
        for core in cores:
            for _ in range(per_core):
                values = _slot_values(rng)
                rows.add((dress(_fill(core, values), intent, rng, values), intent))
    # Pure adverts and diversions are small talk; chitchat with a contact too.
    for _ in range(150):
        values = _slot_values(rng)
        text = _fill(rng.choice(DIVERT + PII), values)
        extra = rng.choice(["", " 比这便宜", " 低价批发", " 有福利", " 代购正品", " 一件代发",
                            " 日入500", " 找我玩", " 看我主页"])
        rows.add((text + extra, "chitchat"))
    # Third-party offers aimed at other viewers (an advert, whatever words it borrows).
    audience = ["想要的", "要买的", "姐妹们", "大家", "需要的", "有意的", ""]
    offers = ["拿货价", "内部价", "批发价", "比直播间便宜", "便宜一半", "领红包", "出厂价",
              "同款只要一半", "有优惠", "低价出", "代购", "一件代发", "正品低价", "有渠道"]
    for _ in range(250):
        values = _slot_values(rng)
        text = " ".join(x for x in (rng.choice(audience), _fill(rng.choice(DIVERT), values),
                                    rng.choice(offers)) if x)
        rows.add((text, "chitchat"))
    for _ in range(60):
        values = _slot_values(rng)
        rows.add((_fill(rng.choice(["去{plat}搜同款 {offer}", "{plat}有同款 {offer}",
                                    "{plat}上{offer} 别在这买"]), values | {
            "offer": rng.choice(["才一半价", "便宜多了", "更便宜", "只要{price}".format(
                price=values["price"])])}), "chitchat"))
    return sorted(rows)
