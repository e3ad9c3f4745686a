"""The leak check itself can fail: each kind of leak is caught, in the text and in what the
browser shows from attributes; Chinese, prices, trade terms and product codes pass."""

from __future__ import annotations

from tests.page_words import attribute_text, leaks, offenders


def test_offenders_are_found() -> None:
    assert offenders("状态 live · 01jd7k3m9q8v2x4y6z0a1b2c3d · carts_waiting · "
                     "2026-11-27T11:00 · None") == [
        "01jd7k3m9q8v2x4y6z0a1b2c3d", "carts_waiting", "2026-11-27T11:00", "None", "live",
        "live"]
    assert offenders("直播中 · GMV ¥1,234.00 · 11月27日 19:00 · PAN-28 · ROI 1:3.2") == []
    assert offenders("新客 new buyers") == ["new", "buyers"]


def test_words_shown_from_attributes_count_too() -> None:
    # given a placeholder, a tooltip, a screen-reader label and an image's text
    html = ('<input placeholder="e.g. order_id"><a title="Open the order">单</a>'
            '<button aria-label="关闭">×</button><img alt="主图" src="x.png">'
            '<div data-x="not_shown" class="order-list">订单</div>')
    # then those are read, other attributes are not, and the English ones leak
    assert attribute_text(html) == ["e.g. order_id", "Open the order", "关闭", "主图"]
    assert leaks(html) == {"attributes": ["order_id", "Open the order", "the", "order"]}
    assert leaks('<p title="下单时间">新客与老客</p>') == {}
