from liveroom.core.export import cell, row
from liveroom.orders.views import to_csv


def test_formula_looking_text_is_quoted_and_numbers_are_not():
    assert row(["=1+1", "+86 138", "-x", "@sum", "围裙", -5, 3.5, None]) == [
        "'=1+1", "'+86 138", "'-x", "'@sum", "围裙", -5, 3.5, None]
    assert cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'


def test_the_orders_csv_quotes_what_a_buyer_typed():
    text = to_csv(["id", "name", "total_fen"],
                  [["o1", '=HYPERLINK("http://evil","点我")', 100]]).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
