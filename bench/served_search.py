"""The served half of bench/search.py: the search API and the stock search under gunicorn,
loaded by wrk (Debian's C load generator) with concurrent connections.

Not a benchmark on its own: bench/search.py imports it (run_all.py skips it).
For each target it reports requests/s, p50/p95 latency as wrk measured them, the gunicorn
processes' CPU-ms per request (from /proc) and, for Elasticsearch, the node's JVM CPU-ms per
request (from its statistics).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from pages_gunicorn import free_port, server_env, stop_gunicorn  # beside this file

ROOT = Path(__file__).resolve().parents[1]
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
TICKS = os.sysconf("SC_CLK_TCK")

LUA = """
local paths = {}
for line in io.lines("%(urls)s") do paths[#paths + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%.3f %%.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _env(folder: Path, elasticsearch: str | None, prefix: str | None) -> dict:
    """pages_gunicorn's production environment (its database is ``folder/bench.sqlite3``, as
    search.py's is), with this bench's search log spool and engine."""
    env = server_env(folder)
    env.pop("REDIS_URL", None)
    env["SEARCH_RATE_LIMIT_COUNT"] = "1000000000"
    env["SEARCH_LOG_SPOOL"] = str(folder / "search-log")
    if elasticsearch:
        env["ELASTICSEARCH_URL"] = elasticsearch
        env["ELASTICSEARCH_INDEX_PREFIX"] = prefix or "signpost"
    return env


def _cpu_ms(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total * 1000 / TICKS


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()[1]
            except (FileNotFoundError, IndexError):
                continue
            if int(parent) == pid:
                found.append(int(entry.name))
    return found


def measure(
    paths: dict[str, list[str]],
    folder: Path,
    elasticsearch: str | None = None,
    prefix: str | None = None,
    node_stats=None,
    env: dict | None = None,
) -> dict[str, dict[str, float]]:
    """{target: figures} for each list of request paths, all served by one gunicorn
    (with ``env`` instead of this bench's own environment when given)."""
    port = free_port()
    log = open(folder / "gunicorn.log", "wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.stock_search_wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT),
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env if env is not None else _env(folder, elasticsearch, prefix),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    figures: dict[str, dict[str, float]] = {}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError((folder / "gunicorn.log").read_text()[-2000:]) from None
                time.sleep(0.3)
        workers = _children(server.pid)
        for name, urls in paths.items():
            listing = folder / f"{name.replace(' ', '-')}.txt"
            listing.write_text("\n".join(urls) + "\n")
            script = folder / "rotate.lua"
            script.write_text(LUA % {"urls": listing})
            for url in urls[: 4 * WORKERS]:  # warm every worker
                urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=120).read()
            cpu_before, node_before = _cpu_ms([server.pid, *workers]), node_stats and node_stats()
            result = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{CONNECTIONS}",
                    f"-d{SECONDS}s",
                    "--timeout",
                    "30s",
                    "-s",
                    str(script),
                    f"http://127.0.0.1:{port}",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            cpu_after, node_after = _cpu_ms([server.pid, *workers]), node_stats and node_stats()
            line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT"))
            requests, errors, duration_us, p50, p95 = line.split()[1:]
            count = max(int(requests), 1)
            entry = {
                "rps": count / (int(duration_us) / 1e6),
                "p50": float(p50),
                "p95": float(p95),
                "errors": int(errors),
                "app_cpu_ms": (cpu_after - cpu_before) / count,
            }
            if node_before and node_after:
                entry["es_cpu_ms"] = (node_after[0] - node_before[0]) / count
            figures[name] = entry
    finally:
        stop_gunicorn(server)
        log.close()
    return figures


def search_paths(texts: list[str]) -> list[str]:
    return [f"/api/v1/search/?{urllib.parse.urlencode({'q': text})}" for text in texts]


def stock_paths(texts: list[str]) -> list[str]:
    return [f"/bench/stock-search/?{urllib.parse.urlencode({'q': text})}" for text in texts]
