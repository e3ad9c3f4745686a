"""More cores for the paraphrase generator (issue 14, fourth pass), by kind of error seen on
the development sets (dev3, holdout1), written as new wordings, not copied from any set:

- small talk phrased as a question about the host, the stream or other viewers (it is not a
  product, logistics or after-sales question);
- technical how-to questions about the app (picture quality, replay, small window, danmaku)
  and display bugs (a price, stock or discount shown wrong);
- after-sales requests about an order already placed: a refund that has not arrived, an
  exchange for a wrong or faulty item, price protection after a drop, extended warranty;
- purchases announced for later or asked as a stock question in order to buy;
- complaints about price as statements or sarcasm (no question), and about the host's pace;
- logistics about warehouse dispatch.
"""

from __future__ import annotations

CORES_V4: dict[str, list[str]] = {
    "chitchat": [
        "{host}今天怎么换口红了", "{host}剪头发了吗", "{host}是不是瘦了", "{host}今天好精神",
        "{host}嗓子哑了 多喝水", "{host}结婚了吗", "{host}是双眼皮吗", "今天怎么这么晚开播",
        "明天还是这个点播吗", "今天是在家播的吗", "这是新的直播间吗", "今天背景换了？",
        "有{city}的吗", "{city}的姐妹在吗", "还有人在看吗", "有人吗", "主播在不在",
        "刚洗完澡回来 错过啥了", "去拿了个快递回来 到几号了", "刚才谁中奖了", "中奖的是谁呀",
        "刚才那首歌叫什么", "你们都买了啥", "楼上的也是宝妈吗", "大家都几点睡", "今天周几来着",
        "{host}太能说了哈哈", "{host}太逗了", "{host}说话好温柔", "{host}笑起来好甜",
        "看{host}直播好解压", "听{host}讲课一样", "{host}懂得真多", "又被{host}种草了",
        "is the host married", "where is the host from", "anyone else from {en_place}",
        "what song is this", "is anyone still watching", "the host is hilarious",
    ],
    "technical": [
        "画面能换成超清吗", "怎么切到高清", "画质能调吗 好糊", "回放怎么找", "错过的能看回放吗",
        "能不能边刷别的边看 小窗在哪", "怎么关掉弹幕", "弹幕怎么打开", "字幕怎么开",
        "怎么投屏到电视", "全屏后怎么退出", "屏幕上的价和{host}报的对不上",
        "页面显示售罄 {host}说还有", "显示无货 可主播说有", "下单页价格和直播间不一样",
        "结算时优惠没减掉", "券后价没显示", "满减没生效 付的原价", "红包抵扣不了 一直报错",
        "优惠券显示不可用", "购物车数量加不上", "点立即购买没反应", "商品页一直白屏",
        "链接显示已下架", "一直显示加载失败", "手机上看不到小黄车", "平板上没有购物车",
        "安卓看不到价格", "直播画面定格了", "声音比画面慢半拍", "麦一直滋滋响",
        "背景音太大 听不清主播", "卡在支付页面了", "how do I change the video quality",
        "where is the replay", "price shows different at checkout",
        "discount not applied at checkout", "the sound is out of sync", "page won't load",
    ],
    "aftersales": [
        "退款{n}天了还没到账", "退款一直显示处理中", "退款到哪了 一直没收到",
        "退款被拒了 为什么", "换货寄回去{n}天了 新的呢", "颜色发错了 我拍的是{color2}",
        "{prod}有个按键失灵 能换吗", "{prod}开不了机 能换新吗", "{prod}用了一周就坏了 保修吗",
        "手镯大了 能换小号吗", "能改圈口吗", "能单独买延长保修吗", "能加购延保吗",
        "前天拍的今天便宜了 差价给退吗", "保价期内降价怎么申请", "降价了 差价能退吗",
        "我的订单能改成{size}码吗 已经付了", "退货寄回去了 钱什么时候退",
        "少了一个配件 能补寄吗", "说明书没收到 能发电子版吗", "收到是坏的 要拍照吗",
        "退货要自己出运费吗", "退货要原包装吗 我扔了", "my refund is still processing",
        "can I swap for another color", "it stopped working after a week",
        "I got the wrong color, want an exchange", "can I get the price difference back",
    ],
    "purchase_intent": [
        "等发工资了再来拍", "工资到账就下单", "明早起来就拍", "开价就拍", "到点我就抢",
        "还有货不 再要一个", "还剩几件 给我留一件", "库存还有吗 我要两件", "还能拍吗 想要",
        "刚付完了", "付完了 坐等", "钱付了", "下好单了", "订单已提交", "抢到一件 开心",
        "已经加购 等开抢", "今晚一定拿下", "先拍了再说", "犹豫了三天 还是拍了",
        "{nref}{color}的还有吗 想拍", "{color}{size}有货吗 我要", "再上一波吧 我没抢到 想要",
        "gonna buy it tonight", "buying when payday comes", "will order as soon as it's live",
        "any left? I want one", "just paid", "paid already",
    ],
    "complaint": [
        "这价格是抢钱吧", "上个月才{price} 现在{price2}", "一件{prod}卖{price} 疯了吧",
        "比菜市场还贵 呵呵", "可真便宜 {plat}才一半", "好便宜啊 贵了五十 呵呵", "全是车轱辘话",
        "一直重复同一句 烦不烦", "能不能讲重点", "磨叽半天还不上", "说了一小时还没开价",
        "又在拖时间", "每次都说马上 等到现在", "涨价了还说福利", "这个价谁买谁傻",
        "价格一天一个样", "昨天还{price} 今天就涨", "不值这个价 太坑", "so overpriced lol",
        "it was half this price last month", "stop dragging it out",
        "you keep repeating yourself",
    ],
    "logistics_question": [
        "拍完几天出库", "什么时候出库", "多久能出仓", "出库了吗", "付款后多久发出",
        "拍了还没出库 正常吗", "仓库在哪 多久发", "how soon does it leave the warehouse",
    ],
}
