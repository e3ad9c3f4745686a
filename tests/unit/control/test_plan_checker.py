from datetime import UTC, datetime

from liveroom.catalog.model import Product, Sku, Tier
from liveroom.planning.checker import check_plan
from liveroom.planning.model import LineupItem, Segment, SegmentKind, compose_loop, loop_steps

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def product(pid: str, tier: Tier, category: str = "厨具", stock: int = 500,
            cost: int = 5000, docs: list[str] | None = None) -> tuple[Product, Sku]:
    sku = Sku(f"s-{pid}", pid, f"C-{pid}", "默认", 9900, cost, stock)
    return Product(pid, f"商品{pid}", category, tier, NOW, qualification_docs=docs or [],
                   skus=[sku]), sku


def plan(segments, items, catalog):
    products = {s.id: p for p, s in catalog}
    skus = {s.id: s for _, s in catalog}
    return {w.code: w for w in check_plan(120, segments, items, products, skus)}


LOOP = compose_loop({"explain": "材质与做工", "engage": "扣1抽奖", "close": "最后100件"})


def seg(kind, start, dur, sku=None, giveaway=False):
    return Segment(f"g{start}", kind, start, dur, sku_id=sku, giveaway=giveaway,
                   script=LOOP if kind == SegmentKind.PRODUCT else "")


def good_show():
    catalog = [product("a", Tier.TRAFFIC, cost=500), product("b", Tier.PROFIT)]
    items = [LineupItem("s-a", 990, 990), LineupItem("s-b", 9900, 9900)]
    segments = [seg(SegmentKind.OPENING, 0, 5, "s-a", giveaway=True)]
    segments += [seg(SegmentKind.PRODUCT, m, 8, "s-b", giveaway=((m - 5) % 20 == 0))
                 for m in range(5, 120, 10)]
    return segments, items, catalog


def test_a_plan_that_follows_the_handbook_has_no_warnings():
    assert plan(*good_show()) == {}


def test_no_traffic_item_in_the_first_five_minutes():
    segments, items, catalog = good_show()
    segments[0].sku_id = "s-b"
    assert "no_traffic_item_opening" in plan(segments, items, catalog)


def test_a_product_explained_longer_than_eight_minutes():
    segments, items, catalog = good_show()
    segments[1].duration_minutes = 9
    assert plan(segments, items, catalog)["product_segment_too_long"].minute == 5


def test_minutes_42_to_68_without_a_giveaway():
    catalog = [product("a", Tier.TRAFFIC)]
    items = [LineupItem("s-a", 990, 990)]
    segments = [seg(SegmentKind.OPENING, 0, 5, "s-a", giveaway=True)]
    segments += [seg(SegmentKind.PRODUCT, m, 5, "s-a", giveaway=m in (20, 42, 68, 88, 105))
                 for m in (5, 20, 42, 60, 68, 88, 105)]
    warnings = plan(segments, items, catalog)
    assert warnings["giveaway_gap"].minute == 42
    assert "26" in warnings["giveaway_gap"].message


def test_live_price_below_cost_and_flash_quantity_over_stock():
    catalog = [product("a", Tier.TRAFFIC, stock=500, cost=2000)]
    items = [LineupItem("s-a", 990, 990, flash_quantity=800)]
    warnings = plan([seg(SegmentKind.OPENING, 0, 5, "s-a", True)], items, catalog)
    assert {"live_price_below_cost", "flash_quantity_over_stock"} <= set(warnings)


def test_food_without_qualification_is_flagged_and_with_it_is_not():
    food, sku = product("f", Tier.TRAFFIC, category="食品")
    items = [LineupItem(sku.id, 990, 990)]
    opening = [seg(SegmentKind.OPENING, 0, 5, sku.id, True)]
    assert "missing_qualification" in plan(opening, items, [(food, sku)])
    food.qualification_docs = ["食品经营许可证"]
    assert "missing_qualification" not in plan(opening, items, [(food, sku)])


def test_a_flagship_in_the_first_five_minutes_is_flagged_on_its_segment():
    segments, items, catalog = good_show()
    catalog.append(product("f", Tier.FLAGSHIP))
    items.append(LineupItem("s-f", 99900, 99900))
    segments[0].duration_minutes = 2
    segments.insert(1, seg(SegmentKind.PRODUCT, 2, 3, "s-f"))
    warning = plan(segments, items, catalog)["flagship_too_early"]
    assert (warning.segment_id, warning.params["name"]) == ("g2", "商品f")


def test_a_flagship_after_the_opening_is_fine():
    segments, items, catalog = good_show()
    catalog.append(product("f", Tier.FLAGSHIP))
    items.append(LineupItem("s-f", 99900, 99900))
    segments[1].sku_id = "s-f"
    assert "flagship_too_early" not in plan(segments, items, catalog)


def test_a_product_segment_without_the_close_step_names_what_is_missing():
    segments, items, catalog = good_show()
    segments[2].script = compose_loop({"explain": "材质", "engage": "扣1"})
    warning = plan(segments, items, catalog)["loop_incomplete"]
    assert (warning.segment_id, warning.params["missing"]) == ("g15", ["close"])


def test_loop_steps_are_read_from_labelled_lines():
    assert loop_steps("讲解：不粘锅涂层\n互动:扣1\n逼单 最后50件") == {
        "explain": "不粘锅涂层", "engage": "扣1", "close": "最后50件"}
    assert loop_steps("讲解：\n随便聊聊") == {}


def test_slot_advice_lunch_and_evening_are_peaks_the_morning_is_not():
    segments, items, catalog = good_show()
    products = {s.id: p for p, s in catalog}
    skus = {s.id: s for _, s in catalog}

    def codes(hour):
        return {w.code for w in check_plan(120, segments, items, products, skus,
                                           local_start=datetime(2026, 11, 27, hour, 0))}
    assert "slot_off_peak" not in codes(19)
    assert "slot_off_peak" not in codes(12)
    assert "slot_off_peak" in codes(9)
    assert "slot_off_peak" in codes(22)


def test_contingency_scripts_for_every_kind_of_trouble():
    segments, items, catalog = good_show()
    products = {s.id: p for p, s in catalog}
    skus = {s.id: s for _, s in catalog}
    half = {"equipment_failure": "切备用机位", "out_of_stock": ""}
    warnings = {w.code: w for w in check_plan(120, segments, items, products, skus,
                                              contingency=half)}
    assert warnings["contingency_missing"].params["kinds"] == ["out_of_stock",
                                                                "slip_of_tongue"]
    full = {**half, "out_of_stock": "换同款", "slip_of_tongue": "立即更正并道歉"}
    assert not check_plan(120, segments, items, products, skus, contingency=full)


def test_a_giveaway_gap_names_the_segment_it_starts_in():
    segments, items, catalog = good_show()
    for s in segments:
        s.giveaway = s.start_minute < 40
    warning = plan(segments, items, catalog)["giveaway_gap"]
    assert (warning.minute, warning.segment_id) == (35, "g35")
