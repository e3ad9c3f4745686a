from liveroom.console.pricing import PriceContext, check_price

CTX = PriceContext(list_price_fen=19900, cost_fen=8000, planned_price_fen=19900,
                   floor_price_fen=9000, max_drop_pct=60)


def codes(price: int, ctx: PriceContext = CTX) -> list[str]:
    return [v.code for v in check_price(price, ctx)]


def test_a_sound_price_passes():
    assert codes(17900) == []


def test_a_price_below_cost_is_refused_first():
    assert codes(7000)[0] == "price_below_cost"


def test_a_price_below_the_floor_but_above_cost():
    assert codes(8500) == ["price_below_floor"]


def test_a_drop_larger_than_the_allowed_share_of_list_price():
    ctx = PriceContext(19900, 1000, 19900, None, 50)
    assert codes(9000, ctx) == ["price_drop_too_large"]


def test_typing_19_for_199_is_caught_as_below_cost_and_a_digit_slip():
    got = codes(1900)
    assert got[0] == "price_below_cost"
    assert "price_digit_slip" in got


def test_an_extra_digit_is_a_digit_slip():
    ctx = PriceContext(199000, 1000, 19900, None, 60)  # list price high, planned ¥199
    assert codes(199000, ctx) == ["price_digit_slip"]


def test_zero_or_negative_price_is_refused_alone():
    assert codes(0) == ["price_not_positive"]
    assert codes(-100) == ["price_not_positive"]
