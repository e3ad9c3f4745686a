from __future__ import annotations

import json

from typer.testing import CliRunner

from liveroom.entrypoints.cli.comments import app

runner = CliRunner()


def test_classify_writes_one_json_line_per_comment() -> None:
    # given two comments on stdin
    stdin = '{"id": 1, "text": "多少钱"}\n{"id": "c2", "text": "卖假货的骗子"}\n'
    # when classified
    result = runner.invoke(app, ["classify"], input=stdin)
    # then two JSON lines come back with the documented keys
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == [1, "c2"]
    assert set(rows[0]) == {"id", "intent", "sensitive", "sentiment", "faq_id", "reply"}
    assert rows[0]["intent"] == "price_question"
    assert (rows[1]["sensitive"], rows[1]["sentiment"]) == (True, "neg")


def test_classify_with_faq_file(tmp_path) -> None:  # noqa: ANN001
    faq = tmp_path / "faq.json"
    faq.write_text(json.dumps([{"id": "ship", "question": "什么时候发货", "answer": "48小时内"}]))
    result = runner.invoke(app, ["classify", "--faq", str(faq)],
                           input='{"id": 1, "text": "什么时候发货呀"}\n')
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)
    assert (row["faq_id"], row["reply"]) == ("ship", "48小时内")


def test_bad_lines_are_reported_skipped_and_fail_the_run() -> None:
    stdin = '{"id": 1, "text": "扣1"}\nnot json\n{"id": 2}\n\n[1]\n{"id": 3, "text": "666"}\n'
    result = runner.invoke(app, ["classify"], input=stdin)
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [1, 3]
    assert "line 2: invalid JSON" in result.stderr
    assert 'line 3: missing or non-string "text"' in result.stderr
    assert "line 5: expected a JSON object" in result.stderr


def test_unreadable_faq_file_is_a_clear_error(tmp_path) -> None:  # noqa: ANN001
    faq = tmp_path / "faq.json"
    faq.write_text('{"not": "a list"}')
    result = runner.invoke(app, ["classify", "--faq", str(faq)], input="")
    assert result.exit_code == 2
    assert "must hold a JSON list" in result.stderr


def test_odd_ids_come_back_as_valid_json_and_records_share_their_tail() -> None:
    ids = ["\ud83d", "é😀", None, [1, 2], 1.5, 1, 2]
    lines = "".join(json.dumps({"id": i, "text": "多少钱"}) + "\n" for i in ids)
    result = runner.invoke(app, ["classify"], input=lines)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ids
    assert all(list(r) == ["id", "intent", "sensitive", "sentiment", "faq_id", "reply"]
               for r in rows)
    assert {r["intent"] for r in rows} == {"price_question"}
