"""The `liveroom` console script: `liveroom comments …` starts without the rest of the app.

`comments classify` is a batch filter (JSON lines in and out) whose run time is dominated by
start-up when it is called per file: importing the full CLI (FastAPI, SQLAlchemy, granian,
every bounded context) cost ~3.5 s of CPU before the first comment. The comments sub-app
needs none of it, so this launcher dispatches to it directly; every other command goes
through the full CLI (`liveroom.entrypoints.cli.main:app`) exactly as before.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:2] == ["comments"]:
        from liveroom.entrypoints.cli.comments import app as comments_app

        comments_app(args=sys.argv[2:], prog_name="liveroom comments")
        return
    from liveroom.entrypoints.cli.main import app

    app()
