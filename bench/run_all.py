"""`make bench`: the benchmarks that need nothing but this machine, one after another.
The flash-sale benchmark also needs wrk (Debian): see bench/README.md; it runs last when
wrk is on the PATH. Results go to docs/benchmarks.md and docs/comments.md by hand."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = [
    ["-m", "bench.console_actions", "--rounds", "300"],
    ["-m", "bench.live_fanout", "--subscribers", "200", "--seconds", "12"],
    ["bench/comments_quality.py"],
    ["bench/comments_throughput.py"],
    ["bench/comments_pipeline.py", "inproc", "--rate", "5000", "--seconds", "10"],
]


def main() -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"),
           "LIVEROOM_ENV": os.environ.get("LIVEROOM_ENV", "development")}  # local servers
    runs = list(RUNS)
    if shutil.which("wrk"):
        runs.append(["-m", "bench.flash_sale", "--backends", "memory", "redis", "sql"])
        runs.append(["-m", "bench.bad_token_flood"])
    else:
        print("wrk not found: skipping the flash-sale benchmark (apt-get install -y wrk)")
    failed = 0
    for args in runs:
        print(f"\n=== {' '.join(args)}", flush=True)
        failed += subprocess.run([sys.executable, *args], cwd=ROOT, env=env).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
