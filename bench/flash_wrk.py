"""wrk driver for the flash-sale benchmark: a Lua script that signs every request with a
buyer's JWT (round-robin over a token file) and a unique Idempotency-Key, counts answers
by status code and prints one JSON line that flash_sale.py parses.

Needs wrk (Debian: `apt-get install -y wrk`)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

LUA = r"""
local tokens = {}
for line in io.lines("%(tokens)s") do tokens[#tokens + 1] = line end
local threads = {}
local counter = 0
statuses = {}  -- global: done() reads it from each thread with thread:get

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  -- `tid` is a global set per thread by setup() through thread:set
  statuses = {}
  counter = 0
end

request = function()
  counter = counter + 1
  local i = ((counter * %(nthreads)d + tid) %% #tokens) + 1
  local headers = {}
  headers["Authorization"] = "Bearer " .. tokens[i]
  headers["Idempotency-Key"] = "%(run)s-" .. tid .. "-" .. counter
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", "%(path)s", headers, '{"quantity": 1}')
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for code, n in pairs(s) do total[tostring(code)] = (total[tostring(code)] or 0) + n end
  end
  local parts = {}
  for code, n in pairs(total) do parts[#parts + 1] = '"' .. code .. '":' .. n end
  io.write("WRKJSON {\"statuses\":{" .. table.concat(parts, ",") .. "}," ..
    "\"requests\":" .. summary.requests .. ",\"duration_us\":" .. summary.duration ..
    ",\"errors\":" .. (summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout) .. ",\"non_2xx\":" .. summary.errors.status ..
    ",\"timeouts\":" .. summary.errors.timeout ..
    ",\"p50_us\":" .. latency:percentile(50) .. ",\"p90_us\":" .. latency:percentile(90) ..
    ",\"p99_us\":" .. latency:percentile(99) .. ",\"mean_us\":" .. latency.mean ..
    ",\"max_us\":" .. latency.max .. "}\n")
end
"""

HEALTH_LUA = r"""
function done(summary, latency, requests)
  io.write("WRKJSON {\"statuses\":{},\"requests\":" .. summary.requests ..
    ",\"duration_us\":" .. summary.duration .. ",\"errors\":" .. (summary.errors.connect +
    summary.errors.read + summary.errors.write + summary.errors.timeout) ..
    ",\"timeouts\":" .. summary.errors.timeout ..
    ",\"p50_us\":" .. latency:percentile(50) .. ",\"p90_us\":" .. latency:percentile(90) ..
    ",\"p99_us\":" .. latency:percentile(99) .. ",\"mean_us\":" .. latency.mean ..
    ",\"max_us\":" .. latency.max .. "}\n")
end
"""


def need_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk not found: apt-get install -y wrk")
    return path


def run_wrk(url: str, script: str, workdir: Path, *, connections: int, seconds: int,
            threads: int = 2, timeout_s: int = 10) -> dict[str, Any]:
    lua = workdir / f"wrk-{abs(hash(script)) % 10**8}.lua"
    lua.write_text(script)
    cmd = [need_wrk(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s",
           f"--timeout={timeout_s}s", "-s", str(lua), url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    match = re.search(r"WRKJSON (\{.*\})", out)
    if match is None:
        raise RuntimeError(f"wrk printed no summary:\n{out}")
    data: dict[str, Any] = json.loads(match.group(1))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["command"] = " ".join(cmd)
    return data


def purchase_script(tokens_file: Path, path: str, run: str, threads: int = 2) -> str:
    return LUA % {"tokens": tokens_file, "path": path, "run": run, "nthreads": threads}
