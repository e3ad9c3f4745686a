"""End-to-end throughput of `liveroom comments classify` (JSON lines in and out).

    PYTHONPATH=src .venv/bin/python bench/comments_cli_throughput.py [--n 100000] [--repeat 3]

Writes --n unique comments ({"id","text"} lines, the labelled texts with random suffixes and
a running number, see comments_throughput.corpus) to a temporary file, runs the installed CLI
as a subprocess with stdin/stdout redirected to files, and reports comments per second of
wall time for the whole process (start-up, model load, parse, classify, write). Also reports
the start-up alone (an empty input). No FAQ: the classify command's fast path.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from comments_throughput import corpus  # noqa: E402

CLI = [str(Path(sys.executable).with_name("liveroom"))]


def run(path: Path, out: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds user+system of the CLI process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with path.open("rb") as stdin, out.open("wb") as stdout:
        subprocess.run([*CLI, "comments", "classify"], stdin=stdin, stdout=stdout, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", type=Path, metavar="SRC",
                        help="run an older tree's CLI instead: SRC is its src/ directory "
                        "(e.g. from `git archive`); its `launch:main` if it has one, "
                        "else `main:app`")
    args = parser.parse_args()
    if args.before:
        launcher = Path(args.before, "liveroom/entrypoints/cli/launch.py").exists()
        entry = ("from liveroom.entrypoints.cli.launch import main; main()" if launcher
                 else "from liveroom.entrypoints.cli.main import app; app()")
        CLI[:] = [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv.pop(1)); "
                  + entry, str(args.before)]
    with tempfile.TemporaryDirectory() as tmp:
        source, empty, out = Path(tmp, "in.jsonl"), Path(tmp, "empty.jsonl"), Path(tmp, "out")
        source.write_text(
            "".join(
                json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                for i, t in enumerate(corpus(args.n))
            ),
            "utf-8",
        )
        empty.write_text("", "utf-8")
        run(source, out)  # warm-up: trains or loads the cached model, fills the OS cache
        lines = out.read_text("utf-8").count("\n")
        assert lines == args.n, f"expected {args.n} output lines, got {lines}"
        startup = [run(empty, out) for _ in range(args.repeat)]
        runs = [run(source, out) for _ in range(args.repeat)]
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    print(f"start-up (empty input): wall {min(w for w, _ in startup) * 1000:.0f} ms, "
          f"CPU {min(c for _, c in startup) * 1000:.0f} ms")
    for label, values in (("wall", walls), ("CPU", cpus)):
        best, median = min(values), statistics.median(values)
        print(f"{args.n:,} comments by {label:4s}: best {args.n / best:9,.0f}/s, "
              f"median {args.n / median:9,.0f}/s  (runs: "
              + " ".join(f"{v:.2f}" for v in values) + " s)")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} (2 CPUs)")


if __name__ == "__main__":
    main()
