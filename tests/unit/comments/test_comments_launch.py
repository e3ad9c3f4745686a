from __future__ import annotations

import subprocess
import sys

# `liveroom comments …` must not pay for importing the whole application (issue 14: the
# classify command's start-up was most of its run time).
PROBE = """
import sys
sys.argv = ["liveroom", "comments", "classify"]
from liveroom.entrypoints.cli.launch import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
# (sklearn/scipy load only to train the intent model when it is not cached yet)
heavy = [m for m in ("liveroom.bootstrap", "fastapi", "sqlalchemy", "granian")
         if m in sys.modules]
print(code, heavy)
"""


def test_comments_command_starts_without_the_rest_of_the_application() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], input='{"id": 1, "text": "多少钱"}\n',
        capture_output=True, text=True, check=True, timeout=120,
    )
    lines = result.stdout.strip().splitlines()
    assert '"intent":"price_question"' in lines[0]
    assert lines[-1] == "0 []"
