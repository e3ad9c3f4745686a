"""Pages run under a strict CSP (no inline code without the response's nonce): a template
with a bare <style> or <script> block renders unstyled or dead in the browser, and an
inline event handler (onchange=, onclick=) never runs."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "liveroom" / "web" / "templates"
BARE = re.compile(r"<(style|script)(?![^>]*\bsrc=)(?![^>]*\bnonce)[^>]*>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def found_in_templates(pattern: re.Pattern[str]) -> list[str]:
    return [f"{p.relative_to(TEMPLATES)}: {m.group(0)}"
            for p in sorted(TEMPLATES.rglob("*.html"))
            for m in pattern.finditer(p.read_text(encoding="utf-8"))]


def test_no_template_has_an_inline_block_without_the_nonce() -> None:
    # every page template: no style or script block that the CSP would block
    assert found_in_templates(BARE) == []


def test_no_template_has_an_inline_event_handler() -> None:
    # every page template: no onchange= or onclick=, which the CSP refuses to run
    assert found_in_templates(HANDLER) == []
