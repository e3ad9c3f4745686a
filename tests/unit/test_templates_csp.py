"""Pages run under a strict CSP (no inline code without the response's nonce): a template
with a bare <style> or <script> block renders unstyled or dead in the browser."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "liveroom" / "web" / "templates"
BARE = re.compile(r"<(style|script)(?![^>]*\bsrc=)(?![^>]*\bnonce)[^>]*>", re.I)


def test_no_template_has_an_inline_block_without_the_nonce() -> None:
    # given every page template
    offenders = [f"{p.relative_to(TEMPLATES)}: {m.group(0)}"
                 for p in sorted(TEMPLATES.rglob("*.html"))
                 for m in BARE.finditer(p.read_text(encoding="utf-8"))]
    # then none carries a style or script block that the CSP would block
    assert offenders == []


HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def test_no_template_has_an_inline_event_handler() -> None:
    # given every page template
    offenders = [f"{p.relative_to(TEMPLATES)}: {m.group(0)}"
                 for p in sorted(TEMPLATES.rglob("*.html"))
                 for m in HANDLER.finditer(p.read_text(encoding="utf-8"))]
    # then none has an onchange= or onclick=: the CSP refuses to run them, the control is dead
    assert offenders == []
