from datetime import UTC, datetime, timedelta

from liveroom.liveops.heatmap import ProductHeat, score, suggest_order

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(minutes=30)


def test_waiting_carts_weigh_three_clicks_and_a_fresh_pitch_half():
    # given: A 10 clicks, 4 carts, 1 order → 10 + 3×3 = 19; explained long ago
    a = ProductHeat("A", clicks=10, carts=4, orders=1, last_explained=LONG_AGO)
    # B 12 clicks, no carts, never explained → 12 × 1.5 = 18
    b = ProductHeat("B", clicks=12, carts=0, orders=0)
    # C 30 clicks explained 5 minutes ago → 30 × 0.5 = 15
    c = ProductHeat("C", clicks=30, carts=0, orders=0, last_explained=NOW - timedelta(minutes=5))
    # when
    out = suggest_order([c, b, a], NOW, on_screen=None)
    # then
    assert [score(p, NOW) for p in (a, b, c)] == [19.0, 18.0, 15.0]
    assert [(s.sku_id, s.rank) for s in out] == [("A", 1), ("B", 2), ("C", 3)]
    assert out[0].reasons == ("carts_waiting", "many_clicks") and out[0].waiting_carts == 3
    assert out[1].reasons == ("many_clicks", "never_explained")
    assert out[2].reasons == ("many_clicks", "explained_recently")


def test_the_product_on_screen_sold_out_and_cold_ones_are_not_suggested():
    products = [ProductHeat("ON", 50, 5, 0), ProductHeat("OUT", 40, 9, 0, stock=0),
                ProductHeat("COLD", 0, 0, 0), ProductHeat("OK", 1, 0, 0, stock=3)]
    out = suggest_order(products, NOW, on_screen="ON")
    assert [s.sku_id for s in out] == ["OK"]


def test_ties_go_to_more_waiting_carts_then_lineup_order():
    # 6 clicks ×1 = 6 and 0 clicks + 3×2 carts = 6: equal scores
    a = ProductHeat("A", 6, 0, 0, last_explained=LONG_AGO)
    b = ProductHeat("B", 0, 2, 0, last_explained=LONG_AGO)
    c = ProductHeat("C", 6, 0, 0, last_explained=LONG_AGO)
    assert [s.sku_id for s in suggest_order([a, b, c], NOW, None)] == ["B", "A", "C"]


def test_limit_caps_the_list():
    products = [ProductHeat(f"S{i}", i + 1, 0, 0) for i in range(8)]
    out = suggest_order(products, NOW, None, limit=3)
    assert [s.sku_id for s in out] == ["S7", "S6", "S5"]
