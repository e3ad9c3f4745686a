"""Regenerate src/liveroom/comments/data/train.jsonl (the intent model's training set).

Templates x slot fillers give variety; the HAND lists are hand-written live comments.
Deterministic (fixed seed) so the model cache key only changes when this file changes.
The held-out eval set (data/eval.jsonl) is written separately and never generated here.

    .venv/bin/python bench/comments_build_train.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src/liveroom/comments/data"
OUT = DATA / "train.jsonl"
EVAL = DATA / "eval.jsonl"
DEV = DATA / "intent_dev.jsonl"

SLOTS = {
    "item": ["这件", "这个", "这款", "2号", "3号", "5号", "1号链接", "这条裙子", "这双鞋",
    "这个面霜",
             "那个包", "卫衣", "外套", "口红", "零食", "这个锅", "羽绒服", "牛仔裤", "T恤", "精华"],
    "color": ["黑色", "白色", "粉色", "蓝色", "杏色", "卡其色", "灰色", "红色"],
    "size": ["S", "M", "L", "XL", "XXL", "均码", "160", "165"],
    "end": ["", "", "", "?", "？", "呀", "啊", "呢", "亲", "主播", "宝宝", "~", "😊", "🙏", "!!"],
    "host": ["主播", "姐姐", "小姐姐", "宝", "老师", "zbjj", "家人们", "妹子"],
    "n": ["1", "2", "3", "4", "5", "6", "8", "10"],
    "en_item": ["this", "the dress", "item 2", "the jacket", "these shoes", "the lipstick",
                "the bag", "number 3", "the blue one", "it"],
}

TEMPLATES: dict[str, list[str]] = {
    "product_question": [
        "{item}是什么材质的{end}", "{item}有{color}吗{end}", "{item}尺码偏大还是偏小{end}",
        "身高160体重110穿什么码{end}", "{item}{size}码还有吗{end}", "{item}起球吗{end}",
        "{item}掉色吗{end}", "{host}{item}适合敏感肌吗", "{item}保质期多久{end}",
        "{item}是正品吗{end}",
        "{host}能试一下{color}吗", "{item}有几个颜色{end}", "{item}厚不厚{end}",
        "{item}能机洗吗{end}",
        "{item}和{n}号有什么区别", "{host}看看{color}的上身效果", "{item}容量多少{end}",
        "{item}是哪里产的{end}", "{item}质量怎么样{end}", "{item}偏瘦的能穿吗",
        "{host}{item}有现货吗",
        "what material is {en_item}", "does {en_item} come in {color_en}",
        "is {en_item} true to size",
        "what size should I get for {en_item}", "is {en_item} waterproof",
        "can you show {en_item} again",
        "is {en_item} authentic", "how long does the battery last",
    ],
    "price_question": [
        "{item}多少钱{end}", "{item}到手价多少{end}", "{item}有优惠券吗{end}", "{host}{item}什么价",
        "{item}能便宜点吗", "{item}券后多少{end}", "拍两件有优惠吗{end}", "{item}有赠品吗{end}",
        "{item}原价多少{end}", "{item}几块钱{end}", "满减怎么算{end}", "{host}优惠券在哪领",
        "{item}今天什么福利价{end}", "会员价多少{end}", "买二送一吗{end}", "{item}比旗舰店便宜吗",
        "how much is {en_item}", "what's the price of {en_item}", "any discount on {en_item}",
        "is there a coupon", "price for {en_item}?", "how much after coupon",
    ],
    "logistics_question": [
        "什么时候发货{end}", "{item}几天能到{end}", "发什么快递{end}", "包邮吗{end}",
        "新疆包邮吗{end}",
        "{host}今天拍明天能发吗", "能发顺丰吗{end}", "偏远地区能发吗{end}",
        "{item}是现货还是预售{end}",
        "多久发货{end}", "我的怎么还没发货{end}", "从哪里发货{end}", "运费多少{end}",
        "能寄到香港吗{end}",
        "物流信息怎么查{end}", "48小时内发吗{end}", "when will {en_item} ship",
        "do you ship to canada",
        "how long is delivery", "is shipping free", "which courier do you use",
        "when will I get my order",
    ],
    "aftersales": [
        "{item}不合适能退吗{end}", "怎么申请退货{end}", "有运费险吗{end}", "支持七天无理由吗{end}",
        "收到的{item}破损了怎么办", "发错颜色了能换吗", "少发了一件{end}", "{item}能换码吗{end}",
        "退款什么时候到账{end}", "我要退货{end}", "{item}坏了找谁{end}", "售后怎么联系{end}",
        "收到的{item}有瑕疵", "漏液了能补发吗", "{item}保修多久{end}", "拍错尺码了能换{size}吗",
        "can I return {en_item}", "how do I get a refund", "{en_item} arrived broken",
        "wrong item was sent to me", "is there a warranty", "can I exchange for a bigger size",
    ],
    "purchase_intent": [
        "扣1", "1", "111", "扣{n}", "已拍{end}", "拍了{end}", "{n}号要了", "要{color}{size}码",
        "要了要了", "上车{end}", "已上车", "蹲{item}", "蹲一个", "想要{item}", "求{n}号链接",
        "冲冲冲",
        "抢到了{end}", "已付款", "拿下", "给我留一件{color}", "来一单", "{n}号拍了",
        "我要{color}的",
        "已下单{end}", "加购了", "入手了{end}", "买买买", "{n}", "{n}号", "要{n}号",
        "拍{n}号{color}",
        "I want {en_item}", "bought!", "just ordered {en_item}", "take my money",
        "I'll take {en_item}",
        "added to cart", "need this", "ordered 2",
    ],
    "complaint": [
        "{host}骗人", "垃圾质量{end}", "卖假货的", "我要投诉你们", "上次买的{item}质量太差了",
        "说好的包邮呢骗子", "客服一直不回复", "再也不买了", "退钱{end}", "差评{end}", "虚假宣传",
        "什么玩意儿 和直播间完全不一样", "智商税别买", "一个月了还不发货 太坑了", "三无产品吧这是",
        "举报了", "打315", "态度太差了", "割韭菜的主播", "{item}色差太大了 失望", "货不对板",
        "this is a scam", "fake product don't buy", "worst service ever", "total rip off",
        "you guys are liars", "I'm reporting this stream", "terrible quality, waste of money",
    ],
    "technical": [
        "卡了{end}", "好卡{end}", "{host}卡住了", "黑屏了{end}", "没声音了{end}", "付不了款{end}",
        "支付失败{end}", "下不了单{end}", "链接打不开{end}", "{n}号链接点不进去",
        "小黄车里没有{n}号",
        "找不到链接{end}", "券领不了{end}", "一直在转圈", "画面好模糊", "闪退了{end}",
        "提交订单显示错误",
        "加不了购物车{end}", "声音和画面不同步", "进不去直播间", "付款一直失败怎么回事",
        "stream is lagging", "no sound", "can't pay", "payment failed", "the link is not working",
        "black screen", "app keeps crashing", "video frozen",
    ],
    "chitchat": [
        "{host}好美{end}", "来了来了", "晚上好{end}", "666", "哈哈哈哈", "{host}声音好好听",
        "关注了",
        "第一次来{end}", "打卡", "{host}辛苦了", "爱了爱了", "{host}今天的妆好看", "支持{host}",
        "{host}加油", "老粉来了", "路过看看", "笑死我了", "晚安{end}", "{host}好可爱", "刚下班",
        "今天好冷", "在吃饭边看", "点赞了", "yyds", "{host}你是哪里人", "背景音乐是什么歌",
        "hello everyone", "hi from LA", "love you", "you look beautiful", "lol", "so cute",
        "good evening", "first time here", "nice music",
    ],
}
COLOR_EN = ["black", "white", "pink", "blue", "red", "grey"]

HAND: dict[str, list[str]] = {
    "product_question": [
        "这个羽绒服充绒量多少", "155的小个子穿会不会拖地", "裤腰有松紧吗", "面霜孕妇能用吗",
        "锅是不粘锅吗能用电磁炉吗", "奶粉几段的", "口红是哑光还是滋润", "鞋子偏码吗平时穿38",
        "这个包能放下ipad吗", "里面是加绒的吗", "酒精成分高吗", "主播穿的是哪个码",
        "链接里有几个颜色",
        "小孩子能吃吗", "肩宽的能穿吗", "领口大不大", "有没有140的童装", "充电宝能带上飞机吗",
    ],
    "price_question": [
        "直播间价格和店铺一样吗", "现在拍是什么价", "第二件半价吗", "领了券还能叠加吗",
        "粉丝有专属价吗",
        "上次39这次怎么49", "这个价格包含赠品吗", "秒杀几点开始", "福袋怎么参与", "满300减多少",
    ],
    "logistics_question": [
        "今天下单周末能到吗", "北京发货吗", "能指定快递吗", "预售要等多久", "拍了三天了物流没动",
        "可以送货上门吗", "海外能寄吗", "发货地是哪里", "能合并发货吗", "快递到了放驿站吗",
    ],
    "aftersales": [
        "衣服洗了一次就缩水了能退吗", "收到少了赠品", "退货地址发一下", "换货要自己出运费吗",
        "退款申请了没人处理", "快递盒压坏了里面碎了", "能开发票吗", "过敏了可以退吗",
        "鞋子开胶了怎么办", "七天内能换颜色吗",
    ],
    "purchase_intent": [
        "姐妹们冲", "手慢无 已抢", "两件都要了", "给我妈也买一个", "刚拍了三件", "1111111",
        "这个必须拿下", "等了好久终于上了 拍", "囤了五盒", "拍了拍了 快发货", "黑色M已拍", "要一套",
    ],
    "complaint": [
        "主播根本不看评论", "每次都说最后一波结果还有", "价格比外面贵多了还说福利",
        "上次的退款到现在没给",
        "这主播太能忽悠了", "质量真的不行 别买", "骗子直播间", "说是纯棉结果是化纤",
        "问了十遍都不回",
        "假货 大家别上当", "快递太慢了", "等了一周还没到 服了", "客服态度太差", "主播不理人",
    ],
    "technical": [
        "一直提示系统繁忙", "验证码收不到", "点购买没反应", "为什么我看不到购物车",
        "直播间一直在缓冲",
        "画面卡成ppt了", "付款页面打不开", "优惠券显示已失效但没用过", "手机上看不到链接",
        "刷新了还是黑屏",
    ],
    "chitchat": [
        "主播今天的耳环好好看", "哈哈哈笑死", "我也想去你们那边玩", "好久没来了", "主播多高呀",
        "家人们晚上好", "666666", "🌹🌹🌹", "👍👍", "😂😂😂", "今天几点下播", "明天还播吗",
        "感谢主播",
        "狗狗好可爱", "在上班偷偷看", "主播是东北的吗", "这个颜色好看", "裙子好好看啊", "质感不错",
        "😍😍😍", "❤️❤️❤️", "👏👏👏", "🔥🔥", "主播的衣服好好看", "这个颜色太显白了",
        "好喜欢这个款式",
        "终于等到你", "主播今天状态好好", "哇哦", "好家伙", "安排上了吗姐妹们", "有没有一起看的",
    ],
}


# Second batch (written for the v2 model): slang, emoji, typos, full-width, mixed and plain
# English, as viewers actually type. Not copied from eval.jsonl or intent_dev.jsonl.
HAND_V2: dict[str, list[str]] = {
    "product_question": [
        "姐妹们这个裙子会不会很透", "主播 这个包能装下水杯不", "脚宽的穿会挤脚吗",
        "这款有没有无香型",
        "瓶子是玻璃的还是塑料的", "这个粉底液遮瑕力咋样", "老人吃血糖高能吃吗", "锅底是几层的",
        "ＸＬ码衣长多少", "这个和上次那款有啥不一样", "whats the material of the hoodie",
        "is it heavy", "does it have a zipper", "can you show the back please",
        "is the color accurate",
        "how tall is the host", "does it fit a laptop", "is this machine washable?", "有木有大码",
        "主播手上那个是几号", "卫衣里面起球不", "用起来油不油", "适合几岁的小朋友",
    ],
    "price_question": [
        "这个价格还能再优惠点不", "今天下单有啥福利", "到手多少钱呀宝宝", "两件一起拍多少钱",
        "领了券是多少", "老粉有优惠没", "原价多少现在多少", "满减是跨店的吗", "优惠卷怎么用不了",
        "how much is shipping plus the item", "is there a bundle deal", "price after discount?",
        "any deals for first time buyers", "what's the final price", "多少米一盒", "这个啥价",
        "福袋怎么抢", "几点有秒杀",
    ],
    "logistics_question": [
        "今天拍明天能到吗 在杭州", "发货地是广州吗", "能不能发京东", "放驿站还是送上门",
        "已经拍了 什么时候寄", "物流到哪了 三天没动", "几点之前拍当天发", "偏远地区加多少运费",
        "do you deliver to australia", "how long does shipping take", "which courier is it",
        "is delivery free over 99", "my parcel hasn't moved", "快递能到村里吗", "发货快不快",
        "国外可以寄吗",
    ],
    "aftersales": [
        "收到的口红断了", "衣服有个洞 能换吗", "退货要寄到哪", "不想要了怎么退", "换货的运费谁出",
        "收到的是旧的 有使用痕迹", "少了一个配件", "退款怎么还没到", "客服电话多少 要售后",
        "the item came damaged", "I received the wrong size", "how do I exchange it",
        "it stopped working after a week", "refund hasn't arrived", "我要换成黑色的 已经收到了",
        "开箱就是坏的", "鞋底开胶了 能修吗",
    ],
    "purchase_intent": [
        "已拍已拍", "扣个1", "拍下了 等发货", "冲冲冲冲", "我也要一个", "两件都拍了", "蹲蹲蹲",
        "上车了家人们", "已下单 姐妹们冲", "拿下拿下", "买爆", "要要要要", "给我妈也来一件",
        "11111", "3333", "我拍了粉色", "just ordered one!", "buying two", "i'll get the black one",
        "added 2 to cart", "getting this for my mom", "sold! 🙋", "mine 🙋‍♀️", "want want want",
    ],
    "complaint": [
        "直播间价格比旗舰店还贵 坑", "收到就是个破烂", "主播只会念稿 不回问题", "这种质量也敢卖",
        "等了两周了还没到 太差劲", "客服机器人一样 答非所问", "货不对板 差评", "再这样我要举报了",
        "假一赔十呢 我收到的就是假的", "说好的赠品也没有", "this is so disappointing",
        "worst live shopping experience", "what a rip-off", "the host keeps ignoring me",
        "I want my money back, this is fake", "trash quality dont buy", "无语死了 问了十遍",
        "又骗人 根本没降价",
    ],
    "technical": [
        "卡成幻灯片了", "声音一会有一会没", "我这边黑屏了 你们呢", "小黄车刷不出来",
        "链接点进去是空白",
        "付款的时候闪退", "一直显示网络异常", "验证码一直收不到", "下单按钮是灰的",
        "优惠券用不了 显示不满足",
        "stream froze again", "the checkout page won't load", "audio out of sync",
        "it says payment error", "can't see the cart", "screen went black", "直播画面糊了",
        "说话没声音啊主播",
    ],
    "chitchat": [
        "哈哈哈主播好搞笑", "家人们我来啦", "今天的灯光好好看", "主播发型好看", "好久不见啊主播",
        "晚上好晚上好", "主播喝口水吧", "陪主播到下播", "点点关注不迷路", "又是元气满满的一天",
        "🥰🥰", "👋👋👋", "🎉🎉🎉", "😂😂", "💕", "主播是哪里人呀", "今天播多久",
        "hi everyone 👋", "just got here", "you're hilarious", "love the music", "good night all",
        "haha same", "watching from london", "omg so pretty", "yay finally live",
    ],
}


def _fill(template: str, rng: random.Random) -> str:
    values = {k: rng.choice(v) for k, v in SLOTS.items()}
    values["color_en"] = rng.choice(COLOR_EN)
    return template.format(**values)


def build(per_template: int = 6, seed: int = 20261125) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows: set[tuple[str, str]] = set()
    for intent, templates in TEMPLATES.items():
        for template in templates:
            for _ in range(per_template):
                rows.add((_fill(template, rng), intent))
    for hand in (HAND, HAND_V2):
        for intent, texts in hand.items():
            rows.update((t, intent) for t in texts)
    # Keep the held-out and dev sets disjoint even for one-word comments sets naturally share.
    held_out = {
        json.loads(line)["text"]
        for path in (EVAL, DEV)
        for line in path.read_text("utf-8").splitlines()
        if line
    }
    return [{"text": t, "intent": i} for t, i in sorted(rows) if t not in held_out]


if __name__ == "__main__":
    data = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in data), "utf-8")
    print(f"wrote {len(data)} rows to {OUT}")
