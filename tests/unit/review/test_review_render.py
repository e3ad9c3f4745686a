"""The review's renderers keep operators' and viewers' free text inert."""

from datetime import UTC, datetime

from openpyxl import load_workbook

from liveroom.review.model import ReviewInput, SegmentInfo, build_review
from liveroom.review.render import to_html, to_xlsx

EVIL = "</script><script>alert(1)</script>"


def review_with(title: str, comment: str) -> dict:
    session = {"id": "s1", "title": "厨房好物节", "theme": "", "targets": {},
               "scheduled_start": datetime(2026, 11, 27, 11, 0, tzinfo=UTC).isoformat(),
               "started_at": None}
    metrics = {"per_product": [{"sku_id": "apron", "name": "围裙", "impressions": 9,
                                "clicks": 3, "carts": 1, "orders": 1, "paid_units": 1,
                                "gmv_fen": 100, "click_rate": 0.3}], "timeline": []}
    return build_review(ReviewInput(
        session=session, metrics=metrics,
        segments=[SegmentInfo("product", title, 0, 8, "apron")],
        comment_facts=[{"text": comment, "intent": "complaint", "buyer_id": f"b{i}",
                        "sku_id": "apron"} for i in range(5)]))


def test_a_segment_title_cannot_close_the_charts_script():
    # given a run-of-show segment whose title is markup
    review = review_with(EVIL, "尺码偏小")
    # when the review is rendered as HTML
    html = to_html(review)
    # then the title is inert inside the chart data
    assert EVIL not in html
    assert "&lt;/script&gt;" in html  # in the charts' data attribute, escaped


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path):
    # given viewers' comments and a segment title that start with "="
    formula = '=HYPERLINK("http://evil.example","尺码偏小")'
    review = review_with(formula, formula + " 尺码偏小")
    # when the review is exported as XLSX
    to_xlsx(review, tmp_path / "r.xlsx")
    # then no cell holds a formula: the text is kept behind a quote
    wb = load_workbook(tmp_path / "r.xlsx")
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert any(str(c.value).startswith("'=HYPERLINK") for c in cells)
    assert all(c.data_type != "f" for c in cells)


def test_the_live_ops_section_renders_in_the_standalone_report():
    # given a review with live-ops figures: carts recovered and a bundle bought together
    review = review_with("开场", "尺码偏小")
    review["liveops"] = {
        "recovered_gmv_fen": 1_234_500, "recovered_orders": 7, "interventions": 3,
        "targeted": 40,
        "bundles": [{"names": ["不粘炒锅", "围裙"], "list_total_fen": 25_800,
                     "price_fen": 22_900, "support": 0.12, "confidence": 0.4, "lift": 2.1,
                     "aov_with_fen": 24_000, "aov_without_fen": 15_000, "aov_uplift": 0.6}]}
    # when it is rendered as the self-contained HTML report (`liveroom report`)
    html = to_html(review)
    # then the section is there with its money in yuan
    assert "¥12,345.00" in html
    assert "不粘炒锅 + 围裙" in html
    assert "+60.0%" in html
