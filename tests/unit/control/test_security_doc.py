"""docs/security.md's roles × capabilities table is the code's permission table."""

from __future__ import annotations

from pathlib import Path

from liveroom.identity.model import PERMISSIONS, Role

DOC = Path(__file__).resolve().parents[3] / "docs" / "security.md"


def doc_table() -> dict[str, frozenset[Role]]:
    lines = [ln for ln in DOC.read_text(encoding="utf-8").splitlines()
             if ln.startswith("| capability |") or ln.startswith("| `")]
    header = [c.strip() for c in lines[0].strip("|").split("|")][1:]
    table = {}
    for line in lines[1:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) != len(header) + 1:
            continue  # another table (secrets, limits) in the same document
        table[cells[0].strip("`")] = frozenset(
            Role(role) for role, mark in zip(header, cells[1:], strict=True) if mark == "✓")
    return table


def test_the_documented_permission_table_is_the_one_the_code_enforces() -> None:
    # given the table in docs/security.md and the one in identity/model.py
    documented = doc_table()
    # then they name the same capabilities with the same roles, column for column
    assert list(documented) == list(PERMISSIONS)
    for action, roles in PERMISSIONS.items():
        assert documented[action] == roles, action


def test_a_connector_may_push_and_read_nothing() -> None:
    # given the connector role
    allowed = {action for action, roles in PERMISSIONS.items() if Role.CONNECTOR in roles}
    # then it pushes comments and events and has no read capability at all
    assert allowed == {"comments.ingest", "events.ingest"}


def test_a_merchant_sees_no_costs_reviews_or_viewer_paths() -> None:
    for action in ("product.read", "session.read", "metrics.read", "review.read",
                   "viewers.read", "orders.read_all"):
        assert Role.MERCHANT not in PERMISSIONS[action], action
    assert Role.MERCHANT in PERMISSIONS["orders.see_personal_data"]
