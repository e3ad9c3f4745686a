"""Keyword tables of the fast path, written for live-room Chinese and English.

Each entry is "pattern" or "pattern:weight" (default 1.0); tables are space-separated so an
operator can read and extend them. Longer patterns win over their substrings (leftmost-longest
matching), which is how negations ("付不了款" vs "付款了", "不好看" vs "好看") are handled.
"""

from __future__ import annotations

PRODUCT = """
尺码:1.5 尺寸:1.5 码数:1.5 多大码:2 什么码:2 啥码:2 几码:2 码子 偏大:1.5 偏小:1.5 正码 宽松 修身
身高 体重 斤 cm 材质:2 面料:2 纯棉:1.5 全棉 棉的 羊毛 真丝 涤纶 成分:1.5 配料 含量 保质期:2
生产日期 产地 哪里产 品牌 正品:1.5 正品吗:2 是真的吗 质量:1.2 质量怎么样:2 质量好吗:2 做工
起球:1.5 掉色:1.5 褪色 缩水:1.5 透不透 透吗 厚不厚 薄不薄 厚吗 薄吗 颜色:1.2 色号:1.5 什么色
几个颜色:2 几个色 款式 型号:1.5 规格:1.5 容量 多重 多少克 几克 味道 好吃吗:1.5 甜吗 辣吗 咸吗
适合:1.2 敏感肌:1.5 油皮 干皮 混油 孕妇:1.5 宝宝能 小孩 儿童 学生 老人 能用吗 能穿吗 能吃吗
好用吗:1.5 怎么用:1.5 用法 功效 效果 防水:1.5 续航:1.5 电池 充电 功率 尺码表:2 有货吗:1.5
还有吗:1.5 有现货吗:1.5 现货:1.2 库存 还有货 断码 上身:1.5 试穿:1.5 试一下:1.5 试色:1.5 看看:1
展示 近景 特写 背面 侧面 再看 转一圈 细节:1.2 几号链接:1.5 哪个链接:1.5 链接在哪:1.5 是几号:1.5
多少号 有大码:2 有小码 大码 胖 瘦 腿粗 梨形 平底 高跟 鞋码 几寸 多长 多宽 多高 长度 保暖
会不会掉 会不会起 洗了 能机洗 机洗 手洗 过敏 酒精 香味 持久 防晒 spf 美白 保湿 补水 同款 区别
有什么区别:2 哪个好 推荐哪个 选哪个 一样吗 一套 几件 套装 含不含 包含 配件 赠品是
不是假货:3 不会是假货:3 是不是假货:3 假货吗:3 是假的吗:3 假的吗:3 是不是正品:3 真的假的:2
是不是真的:2
size:1.5 material:2 fabric:2 cotton:1.5 color:1.2 colour:1.2 true_to_size:2 quality:1.2
authentic:1.5 genuine:1.5 original:1 ingredient:1.5 expir:1.5 waterproof:1.5 battery:1.5
in_stock:1.5 available:1 does_it_come:1.5 what_size:2 which_size:2 how_big:1.5 how_long:1 fit:1
wash:1 sensitive_skin:1.5 shade:1 model:1 difference:1.5 show:0.8 try_it_on:1.5 is_it_real:1.5
会不会是假:3 会不会是高仿:3 别是假货:3 是不是高仿:3 是高仿吗:3 is_it_fake:3 is_this_fake:3
are_they_fake:3 fake_or_real:3
弹力 内衬 加绒 加厚 适配 兼容 能放 耐脏 耐磨 防滑 透气:1.5 闷脚:1.5 磨脚 显白:1 显黑 黄皮 白皮
实木 真皮:1.5 牛皮:1.5 几片 几支 几瓶 多少片 多少ml:2 毫升 一盒几:2 有内衬 有口袋 口袋
能进微波炉 能用几天 充一次电 冷藏 常温 独立包装 几个人 几人份 能装 能放下 同款吗 有没有大一号:2
adjustable:1.5 strap pocket:1.5 pockets:1.5 stretchy:1.5 lining breathable:1.5 comes_with:1.5
come_with:1.5 charger:1.5 dishwasher:1.5 microwave:1.5 leather:1.2 made_of:2 what_color:2
how_heavy:2
weight:1 dimensions:1.5 sizes:1.5 fits:1 compatible:1.5 close-up:1.5 closer_look:2 show_us:1.5
腰围:2 胸围:2 臀围:2 肩宽:2 衣长:2 裤长:2 袖长:2 筒高:2 跟高:2 鞋跟:1.5 高度:1.5 宽度:1.5
直径:2 多重:2 重量:2 留香:2 持香 扎不扎:2 扎人:1.5 软不软:1.5 硬不硬:1.5 紧不紧:1.5 勒不勒:1.5
闷不闷:1.5 磨不磨:1.5 起不起球:2 掉不掉:2 透气吗:2 多长时间:1 能用多久:1.5 waist:1.5 length:1.5
height:1.2 inseam:2 chest:1.2 how_tall:1.5 how_wide:1.5 how_long_is:1.5
"""

# "How many millilitres / grams / inches …" asks about the product, not its price: a
# quantity word right before a unit of measure ("一瓶多少毫升", "多少克", "几档风").
_UNITS = (
    "毫升", "ml", "克", "g", "斤", "公斤", "kg", "升", "厘米", "cm", "毫米", "mm", "寸",
    "英寸", "瓦", "w", "档", "挡", "度", "码", "毫安", "mah", "伏", "分贝", "层", "片", "粒",
    "颗", "支", "节", "cc", "平米", "平方", "匹", "米长", "公分", "安", "hz", "核", "寸屏",
)
MEASURES = " ".join(f"{quantity}{unit}:2" for quantity in ("多少", "几") for unit in _UNITS)

PRICE = """
多少钱:3 多钱:3 几钱:2.5 价格:2.5 价钱:2.5 啥价:2.5 什么价:2.5 几块:2 多少米:2 到手价:2.5
券后:2 优惠:2 优惠券:2.5 领券:2 券:1.2 满减:2.5 折扣:2 打折:2 便宜点:2.5 便宜:1.2 贵:1.2 划算:1
福利价:2 秒杀价:2 原价:2 活动价:2 降价:2 能少:2 少点:1.5 会员价:2 赠品:1.2 送什么:2 有赠品:2
买一送一:2 第二件:2 拍两件:1.5 凑单:1.5 抵扣:2 价:1.2 元:0.8 块:0.8 ¥:1 再便宜:2.5 优惠力度:2.5
能便宜:2.5 几折:2 多少一件:2.5 一件多少:2.5 一盒多少:2.5 单价 总价 价位 直播间价 专属价 补贴
price:2.5 cost:2 how_much:3 discount:2 coupon:2.5 cheaper:2 expensive:1.2 deal:1.2 promo:2
free_gift:1.5 on_sale:1.5 sale_price:2 bundle:1.2 $:1 usd:1 dollars:1.5 rmb:1.5 voucher:2
多少q:2 几毛:1.5 优汇:1.5 优惠卷:2.5 卷:0.8
多少米:2 啥价位:2.5 价位:2 折扣没:2 有折扣:2.5 专属价:2.5 最低价:2.5 全网最低:2 保价:2 凑单:2
新人券:2.5
新人有券:2.5 打几折:2.5 包邮价:1 前几名:1.5 抽奖:1.5 红包:1.5 多少一:2 几钱一:2
lowest_price:2.5 promo_code:2.5 discount_code:2.5 how_much_for:3 price_for:2.5 for_two:1 sale:1.2
giveaway:1.5 cheapest:2
"""

LOGISTICS = """
发货:2.5 发什么快递:3 快递:2 物流:2 顺丰:2.5 中通:2 圆通:2 韵达:2 申通:2 极兔:2 邮政:2 ems:2
京东快递:2 几天到:3 多久到:3 什么时候到:3 几天能到:3 到货:2 收到:0.8 包邮:2.5 运费:2.5 邮费:2.5
偏远:2 新疆:1.5 西藏:1.5 港澳:1.5 香港:1.2 台湾:1.2 海外:1.5 国外:1.5 能寄:2 寄到:2 配送:2
送货:2 揽收:2 单号:2 查物流:2.5 物流信息:2.5 48小时:1.5 24小时:1.5 当天发:2.5 预售:1.5 几天发:3
发出:1.5 仓:1 什么时候发:3 啥时候发:3 多久发:3 发吗:2 还没发:2 没发货:2 发哪里 从哪发:2.5 哪里发:2.5
ship:2.5 shipping:2.5 deliver:2.5 delivery:2.5 arrive:2 courier:2 tracking:2 postage:2 dispatch:2
overseas:1.5 international:1.5 how_long_to_get:2.5 when_will_i_get:2.5 when_will_it:1.5
包油:2.5 发伙:2 快第:1.5 物留:1.5
能发:2 多久能发:3 几天能发:3 啥时候能发:3 发出吗:3 能发出:3 快递柜:2.5 驿站:2 改地址:2.5
修改地址:2.5
发顺丰:3 发中通:3 发圆通:3 发韵达:3 周末发:2.5 今天发:2 明天发:2 几号发:3 哪天发:3 次日达:2.5 冷链:2
tracking_number:3 shipping_included:3 ship_to:3 ships_to:3 ship_out:3 delivery_time:3
days_for_delivery:3
how_many_days:2 shipped:2 when_does_it_ship:3 free_delivery:2.5 post:1
"""

AFTERSALES = """
退货:3 退款:3 退换:3 换货:3 换码:2.5 换个码:2.5 换尺码:2.5 售后:3 七天无理由:3 7天无理由:3
运费险:3 质量问题:2 破损:2.5 坏了:2 漏液:2.5 少发:3 漏发:3 发错:3 错发:3 补发:3 瑕疵:2 开线:2
申请:1 仅退款:3 退回:2.5 保修:2.5 维修:2.5 保修期:2.5 能退吗:3 能换吗:3 可以退:3 可以换:3 退:1
换:0.8 破了:2 碎了:2.5 烂了:1.5 收到的:1.5 收到了:0.8 订单:1 客服:1.5 联系客服:2 没人处理:1.5
不合适:1.5 不满意:1 包装:1 假一赔:2 发票:2 开发票:2.5
return:3 refund:3 exchange:3 warranty:2.5 damaged:2.5 broken:2 missing:2 wrong_item:3
replacement:2.5 send_it_back:3 customer_service:2 my_order:1.5 received:1 arrived_broken:3
寄错:3 错寄:3 少寄:3 漏寄:3 退钱吗:3 能退钱:3 可以退钱:3 裂了:2 过期:2 划痕:2
线头:2 开胶:2.5 起毛:1 掉漆:2 断了:1.5 磨脚:1 签收了:2 显示签收:3 没收到货:2.5 到账:2.5 能修:2.5
怎么处理:1.5 补开:2.5 换大一码:3 换小一码:3 换大:2.5 换小:2.5 换一个:2 退运费:2.5 退货运费:3
换色:2.5
broke:2.5 broken:2.5 defective:3 faulty:3 replace:2.5 replacement:2.5 send_back:3 return_it:3
stopped_working:2.5
came_apart:3 ripped:2 torn:2 leaking:2.5 missing_item:3 never_arrived:2.5 never_received:3
"""

PURCHASE = """
扣1:3 扣2:3 扣3:3 扣:1.5 已拍:3 拍了:3 已下单:3 下单了:3 买了:2.5 已买:3 要了:3 我要:2.5
要一:2 要两:2 要个:2 要一单:3 来一单:3 来一个:2.5 来两:2.5 来一:2 上车:3 已上车:3 蹲:2.5 想要:2.5
求链接:3 求上架:3 上链接:3 冲:2 冲冲冲:3 抢到了:3 抢到:2.5 付款了:3 已付:3 已付款:3 拿下:3
安排:1.5 加购:2 加购物车:2.5 入手:2.5 必须买:3 给我留:3 留一个:3 +1:2.5 已抢:3 拍一:2.5 拍二
我拍:2.5 带走:2.5 要要要:3 要粉:2.5 要黑:2.5 要白:2.5 要红:2.5 要蓝:2.5 要m:2 要l:2 要s:2 要xl:2.5
回购:1.5 囤:2 多拍:2 给我来:3 已经拍:3 已经买:3 下单:1.5 秒了:2.5 手慢无:1.5
i_want:2.5 want:1.5 bought:3 ordered:3 purchased:3 take_my_money:3 add_to_cart:2.5
i'll_take:3 ill_take:3 buying:2.5 i'll_buy:3 got_it:1.5 grabbed:2.5 need_this:2.5 gimme:2.5
买它:3 买它买它:3 冲鸭:3 冲了:3 拍拍拍:3 下单下单:3 已入手:3 蹲蹲:2 蹲一:2 我下单了:3 下单啦:3
拍啦:3 已拍下:3 买了两:3 拍了两:3 拍了一:3 抢到啦:3 抢到了吗:0.5 要一个:2.5 要两个:3 给我一:2.5
count_me_in:3 i'm_in:3 im_in:3 just_bought:3 just_ordered:3 buy_it:2.5 i'll_get:3 ill_get:3 sold:1.5
take_two:3 take_one:3 want_one:3 want_two:3 shut_up_and_take:3 in_my_cart:3 checked_out:3
付款成功:3 支付成功:3 付好了:3 付完了:3 ①:3 ②:3 give_me_one:3 got_mine:3 got_one:3
i'll_have:3 ill_have:3 add_me:2.5 me_too:1.5 one_for_me:3 i_ordered:3 paid:2.5
"""

COMPLAINT = """
垃圾:3 骗子:3 骗人:3 坑人:3 太坑:3 坑:1.5 差评:3 投诉:3 举报:3 假货:3 欺诈:3 虚假宣传:3 三无:3
退钱:3 态度差:3 态度不好:3 不理人:3 不回复:2.5 没人理:3 没人回:2.5 敷衍:2.5 恶心:2.5 无语:2
失望:2.5 太差:3 质量太差:3 质量差:3 很差:3 差劲:3 上当:3 黑心:3 智商税:3 割韭菜:3 忽悠:3
不要脸:3 什么玩意:3 再也不买:3 再也不来:3 取关:2.5 拉黑:2.5 气死:3 生气:2.5 维权:3 315:3
曝光:2 吐槽:2 太贵了:1.5 太慢了:2 慢死了:2.5 货不对板:3 与描述不符:3 色差:1.5 骗:2 坑爹:3
一直不发:2.5 还不发:2 怎么还没:1.5 说好的:2 虚假:3 假的:2.5 诈骗:3 离谱:2 过分:2.5 服了:1.5
不靠谱:2.5 套路:2 退了:1 卖假:3 烂:1.5 差:1 最差:3 消费者协会:3 工商:3 12315:3
terrible:3 worst:3 scam:3 fraud:3 fake:3 rip_off:3 ripoff:3 ripped_off:3 liar:3 lying:2.5
disappointed:2.5 awful:3 horrible:3 never_again:3 waste_of_money:3 complain:3 complaint:3
report_you:3 reported:2.5 unacceptable:3 rude:2.5 ignored:2 ignoring:2.5 cheated:3 useless:2.5
消协:3 工商局:3 市场监管:3 报警:3
不算数:3 说话不算:3 不守信:3 两样:2 完全不一样:2.5 不一样啊:1 只顾着卖:2.5 不回答:2.5 不回消息:3
三天不回:3 坏得快:2.5 穿一次就坏:3 用一次就坏:3 又涨价:2.5 涨价了:2 啥玩意:3 什么东西啊:2 赔偿:2.5
要求赔偿:3 恶心人:3 坑死:3 差评警告:3 垃圾东西:3 太烂:3 好烂:3 烂透:3 无良:3 黑店:3 奸商:3
is_a_joke:3 a_joke:2.5 so_bad:3 really_bad:3 bad_quality:3 poor_quality:3 quality_is_bad:3
quality_is_so_bad:3 never_buying:3 never_buy:3 never_ordering:3 not_buying_again:3 trash:3 garbage:3
junk:2.5 shame_on:3 ridiculous:2.5 pathetic:3 joke:1.5 horrible:3 disgusting:3 cheap_quality:3
不值:3 不值这个价:3 不值得:2.5 什么破:3 破快递:3 破东西:3 等了半个月:3 等了一个月:3
等了一周:2.5 半个月了:2 一个月了:2 都没发:2 还不发货:2.5 慢死:2.5 太慢:2 一般般:1.5 很一般:2
货不对板:3 描述不符:3 严重不符:3 被骗了:3 后悔买:3 白买:3 不好用:2 难用:2.5 割韭菜:3 坑钱:3
not_worth:3 overpriced:3 waste_of:3 so_slow:2.5 took_forever:3 still_waiting:2.5 still_hasn't:2.5
misleading:3 not_as_described:3 regret:2.5 fell_apart:3 cheaply_made:3 not_happy:3 unhappy:2.5
fed_up:3 sick_of:3 annoying:2.5 annoyed:2.5
"""

TECHNICAL = """
卡了:3 卡顿:3 好卡:3 太卡:3 卡住:3 卡死:3 黑屏:3 花屏:3 白屏:3 没声音:3 没有声音:3 声音小:2.5
听不见:3 听不到:3 画面:1.5 模糊:2 不清楚:2 看不清:2.5 闪退:3 加载:2 转圈:2.5 刷新:2 进不去:3
进不来:3 打不开:3 点不开:3 点不进去:3 付不了款:4 付款失败:4 支付失败:4 支付不了:4 付不了:3.5
无法支付:4 下不了单:4 下单失败:4 拍不了:3.5 拍不下:3.5 提交不了:3.5 加不了购物车:3.5 加购失败:3.5
领不了券:3.5 券用不了:3.5 用不了券:3.5 领不到:3 没有链接:3 找不到链接:3.5 链接没了:3 链接失效:3.5
购物车没有:3 小黄车:1.5 看不到:2 延迟:2.5 掉线:3 断了:2 一直转:3 网络:1.5 bug:3 报错:3 卡:1
系统繁忙:3.5 提示错误:3 显示异常:3 结算不了:3.5 扫不了:3 验证码:2 绑卡:2 余额不足:2
lag:3 lagging:3 frozen:3 freeze:3 black_screen:3 no_sound:3 can't_hear:3 cannot_hear:3
cannot_pay:4 can't_pay:4 payment_failed:4 payment_fail:4 checkout:2 error:2.5 crash:3
won't_load:3 not_loading:3 buffering:3 glitch:3 link_not_working:3.5 link_broken:3.5
can't_find_the_link:3.5 cant_pay:4 cant_hear:3 stuck:2 keeps_loading:3 audio:2 video:1.5
失败:2.5 没法:1.5 不了:1.2 没反应:3 不能用:2 not_working:3 doesn't_work:3 won't_work:3 can't:1.5
cannot:1.5
一卡一卡:3 卡卡的:3 没声了:3 没声:2.5 没画面:3 看不到画面:3 网卡:2.5 转圈:2.5 一直转圈:3
点了没反应:3
点不动:3 用不上:2 库存不足:2 显示有货:1 报错:3 页面:1 加载不出:3 刷不出:3 闪退:3 重进:2 进不了:3
付不出去:3.5 付不上:3.5 扫码付不了:3.5 支付宝付不了:4 微信付不了:4
crashed:3 crashes:3 crashing:3 buffering:3 can't_add:3 cannot_add:3 can't_hear:3 can't_see:3
can't_checkout:3.5 won't_let_me:3 keeps_buffering:3 not_loading:3 loading:1.5 laggy:3 glitching:3
screen_is_black:3 no_audio:3 no_picture:3 app_keeps:2 the_app:1 audio_is:1.5 sound_is_off:3
没法下单:4 没法付:4 没法支付:4 没法付款:4 下不了:3 付不出:3.5 扫不出:3 打不出字:3
发不了评论:3 评论发不出:3 听不清:2 画面卡:3 声音卡:3 掉帧:3 延迟高:3 won't_open:3 keeps_crashing:3
can't_log_in:3 cannot_login:3
"""

CHITCHAT = """
主播好美:3 好美:2 漂亮:1.5 好看:1 666:3 哈哈:2 来了:2 晚上好:3 早上好:3 中午好:3 下午好:3 你好:2
大家好:3 关注了:3 点赞:2 点关注:2 加油:2.5 爱你:2.5 爱了:2 支持:1.5 第一次来:2.5 新人:2 打卡:2.5
签到:2.5 晚安:3 拜拜:3 辛苦了:3 声音好听:3 好可爱:2.5 可爱:1.5 喜欢:1 yyds:2 绝绝子:2 zbjj:2
姐姐好:3 主播好:2.5 老粉:2 回来了:2 又来了:2 路过:2.5 围观:2 蹲直播:1 好帅:2.5 帅:1.5 气质:2
笑死:2.5 hhh:2 哈:1 牛:1.5 厉害:1.5 赞:1 棒:1 nb:2 好听:2 开心:1.5 谢谢:1.5 感谢:1.5 发财:2
hello:2.5 hi:1.5 love:1.5 beautiful:2 amazing:1.5 nice:1.5 lol:2.5 haha:2.5 cute:2 thanks:1.5
thank_you:2 good_evening:3 good_morning:3 first_time:2 hey:1.5 greetings:2 so_pretty:2.5
不骗人:2 良心主播:3
晚上好呀:3 大家晚上好:3 家人们好:3 宝宝们好:3 主播好漂亮:3 好漂亮:2 太逗了:3 好逗:2.5 逗死:2.5
下班了:2 刚下班:2.5 来看看:1.5 吃饭了吗:3 好热:2 好冷:2 打卡第:3 刷到:2 终于开播:3 开播了:2
也在看:2 一起看:2 背景好:2 辛苦啦:3 早点休息:3 几点播:2 明天播:2 明天见:3 下次见:3 晚安啦:3
口音:1.5 声音好甜:3 好甜:1.5 捧场:2.5 来捧场:3 来啦:2 来了来了:3 宝宝们晚上好:3 家人们晚上好:3
🤣:1.5 😂:1.5 💪:1.5 🌹:1.5 ❤:1.5 ❤️:1.5 😍:1.5 👍:1.5 👏:1.5 🎉:1.5 🥰:1.5 😘:1.5 💕:1.5 🔥:1 😊:1
😄:1 😁:1 ✨:1 💯:1 🙏:1 🤗:1.5 😆:1.5 🤭:1.5 🙌:1.5 👋:2 💖:1.5 ♥:1.5
greetings_from:3 hello_from:3 hi_from:3 watching_from:3 from_singapore:2 love_your:2.5 your_vibe:2.5
so_funny:3 funny:2 you're_so:2 you_are_so:2 miss_you:2.5 good_night:3 see_you:2.5 bye:2.5 yay:2
"""

QUESTION = """
吗:1 嘛:0.8 么:0.6 ?:1 呢:0.6 怎么:1 怎样:1 咋:1 如何:1 多少:1 多久:1 几:0.5 什么:0.8 啥:0.8
哪:0.8 能不能:1 可不可以:1 可以吗:1 有没有:1 是不是:1 会不会:1 要不要:0.8 行不行:1 行吗:1
求问:1 请问:1 问一下:1 问下:1 想问:1 有吗:1 没有吗:1 对吗:1 好不好:1 是否:1 求解:1
how_:1 what_:1 when_:1 where_:1 which_:1 why_:1 can_i:1 can_you:1 do_you:1 does_it:1 is_it:1
is_this:1 are_they:1 will_it:1 any_:0.6 do_they:1 could_:0.8 should_i:1 is_there:1
肿么:1 神马:0.8 咋整:1 木有:0.6 嘛时候:1
还是:0.8 有没:1 没有没:1 能否:1 是否:1 咋样:1 怎么样:1 如何:1 多长:1 几天:0.8 几点:1 谁出:1
怎么处理:1 what's:1 what_is:1 is_the:0.6 are_these:1 can_it:1 will_there:1 any:0.5 how's:1
will_the:1 will_this:1 will_they:1 does_the:1 does_this:1 do_these:1 did_you:1 are_you:0.8 is_that:1
"""

POSITIVE = """
好看 漂亮 好美 美 喜欢 爱了 爱你 好用 不错 很好 太好了 棒 赞 厉害 yyds 绝了 绝绝子 划算 实惠 值
满意 回购 推荐 感谢 谢谢 支持 加油 666 哈哈 开心 好吃 舒服 可爱 心动 种草 必买 惊喜 好听 好帅
便宜 超值 给力 nb 牛 香 高级 显瘦 显白 质感 好好 完美 真香 冲 太爱 入股不亏 不贵 不卡 不坑
抢到了 太值 好评 爱死 好喜欢 超喜欢 期待 不错哦 绝美 好漂亮 真好 很棒 优秀 靠谱 好舒服 好闻 温柔
😍 ❤ ❤️ 👍 🥰 😘 💕 🔥 👏 😊 😄 😁 ✨ 💯 🌹 🎉 😀 🤩 💖 ♥
nice love great good amazing awesome beautiful perfect thanks cute cool
帅 甜 气质 好有 不骗人 不坑人 没骗 良心 放心
太逗 好逗 好甜 期待 终于开播 辛苦啦 晚上好 晚上好呀 早点休息 明天见 🤣 😂 💪 🙌 🤗 😆
lovely vibe funny fun enjoy enjoying excited yay
"""

NEGATIVE = """
差 垃圾 骗 坑 失望 难看 丑 难用 难吃 慢 破 坏 烂 假货 假的 生气 气死 恶心 无语 服了 什么鬼 差评
投诉 不好 不喜欢 不好看 不好用 不满意 不值 不划算 不舒服 不怎么样 不行 后悔 上当 退钱 太差 离谱
过分 没人理 不回 卡了 卡死 太卡 黑屏 付不了 失败 进不去 打不开 太贵 举报 欺诈 维权 智商税 割韭菜
忽悠 不靠谱 没声音 闪退 破损 漏液 发错 少发 起球 掉色 缩水 色差 偏小 扯 难受 烦 滚 呵呵
太慢 好慢 还没到 还没发 不发货 没收到 欺骗 投诉 坑爹 不要脸 套路 敷衍 劣质 差劲 垃圾 质量差 有问题
😡 😠 👎 😤 💔 🙄 😒 🤮 💩 😞 😩
bad terrible worst awful hate disappointed broken fake scam slow lag ugly useless rude
裂 碎 漏 划痕 过期 洞 压扁 旧的 难听 无聊 失败
线头 开胶 不算数 说话不算 两样 不回消息 没声 一卡一卡 网卡 赔偿 涨价 烂 joke trash garbage junk
少寄 少发 漏发 漏寄 寄错 发错 错发 过敏 漏了 破了 坏了 裂了 不符 被拒 拒了 退不了 没退成
不值 一般般 很一般 什么破 等了半个月 not_worth overpriced regret misleading
"""

SPAM = """
加微信:3 加我微信:3 加vx:3 vx:2 微信号:3 wx:1.5 qq群:3 私聊:1.5 私信我:3
兼职:3 刷单:3 日赚:3 日入:3
赚钱:1.5 免费领:2 点我主页:3 看我主页:3 主页有:3 招代理:3 代理:1.5 扫码:2 http:3 www.:3 .com:3
淘宝店:2 dm me:3 follow me:2 check my profile:3 free money:3 earn money:3 telegram:3 whatsapp:3
"""

# Live-room words jieba must keep whole (slang, abbreviations, shop terms).
JIEBA_WORDS = """
扣1 扣2 扣3 已拍 蹲 上车 已上车 yyds zbjj 拍了 要了 链接 上链接 尺码 码数 发货 包邮 退货 退款
卡了 付不了款 付款失败 到手价 优惠券 满减 运费险 七天无理由 小黄车 福袋 秒杀 主播 助播 断码 色号
试色 上身 显瘦 绝绝子 种草 拔草 回购 智商税 割韭菜 虚假宣传 三无 维权 冲冲冲 手慢无 拿下
"""


def parse_table(table: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for token in table.split():
        pattern, sep, weight = token.rpartition(":")
        if not sep or not pattern or not weight.replace(".", "", 1).isdigit():
            pattern, weight = token, "1"
        # "_" stands for a space so multi-word English patterns survive the split.
        out[pattern.replace("_", " ")] = float(weight)
    return out
