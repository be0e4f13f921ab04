"""Resident pages under gunicorn: nothing cached, their parts cached, whole pages cached (issue 18).

The whole demo council (``load_demo``) with production settings on SQLite, a Redis of the
bench's own (Debian's ``redis-server`` on a free port) and 2 sync gunicorn workers, loaded by
wrk (``BENCH_CONNECTIONS`` 8 for ``BENCH_SECONDS`` 15 per page). For each page: requests/s,
p50/p95 as wrk saw them, and the gunicorn processes' CPU-ms per request (from ``/proc``, the
figure that holds on a shared machine), three times on the same Redis:

- ``none``: ``PAGE_CACHE=0 FRAGMENT_CACHE=0``, every part of every page from the database;
- ``parts``: ``PAGE_CACHE=0 FRAGMENT_CACHE=1``, every request rendered, the chrome, page
  addresses and journeys' steps from the cache (what a resident with a session, or a page the
  page cache may not keep, costs in production);
- ``pages``: both on, as production runs: after the warm-up every answer is a stored copy
  (the directory search has a query string, so it is never stored whole).

Peers, in the same run and the same server: ``/healthz`` (one ``SELECT 1`` through the same
middleware), so "x healthz" is what one page costs in bare requests; and stock Wagtail's way of
writing a page, a ``Page`` with a StreamField of headings and rich text rendered with
``include_block`` (bench/stockpeer, the missed-bin journey's own steps as its content), served
by the same server with ``bench.peer_settings``.

    .venv/bin/python bench/pages_cached.py      # about 3-4 minutes, a minute of it set-up
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import served_search  # beside this file
from pages_gunicorn import free_port, manage, server_env

PAGES = [
    ("healthz (peer)", "/healthz"),
    ("stock StreamField page (peer)", "/stock-journey/"),
    ("home", "/"),
    ("persona", "/report-and-transact/"),
    ("journey (missed bin)", "/report-and-transact/missed-bin/"),
    ("journey with listings", "/cusp-of-care/stay-independent-at-home/"),
    ("content", "/cookies/"),
    ("directory search", "/directory/?q=lunch"),
]

MODES = {
    "none": {"PAGE_CACHE": "0", "FRAGMENT_CACHE": "0"},
    "parts": {"PAGE_CACHE": "0", "FRAGMENT_CACHE": "1"},
    "pages": {"PAGE_CACHE": "1", "FRAGMENT_CACHE": "1"},
}


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    time.sleep(0.5)
    return process, f"redis://127.0.0.1:{port}/0"


def load_peer_site(env: dict[str, str]) -> None:
    """The demo council and stock Wagtail's peer pages and forms, in the database ``env`` names."""
    for args in (
        ("migrate", "--noinput"),
        ("createcachetable",),
        ("load_demo",),
        ("collectstatic", "--noinput"),
        ("bench_forms", "load"),
    ):
        manage(env, *args)


def main() -> int:
    if not served_search.wrk_available() or shutil.which("redis-server") is None:
        print("needs wrk and redis-server (Debian packages wrk, redis-server)")
        return 1
    folder = Path(tempfile.mkdtemp(prefix="signpost-pages-cached-"))
    redis, url = start_redis(folder)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        env = server_env(folder)
        env["REDIS_URL"] = url
        env["DJANGO_SETTINGS_MODULE"] = "bench.peer_settings"
        load_peer_site(env)
        paths = {name: [path] for name, path in PAGES}
        runs = {}
        for mode, switches in MODES.items():
            runs[mode] = served_search.measure(paths, folder, env={**env, **switches})
        peer = {mode: runs[mode]["healthz (peer)"]["app_cpu_ms"] for mode in runs}
        stock = {mode: runs[mode]["stock StreamField page (peer)"]["app_cpu_ms"] for mode in runs}
        print(
            f"2 gunicorn workers, wrk -c{served_search.CONNECTIONS} "
            f"-d{served_search.SECONDS}s per page, production settings, SQLite, Redis"
        )
        print(
            f"{'page':30} {'cache':6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'CPU-ms':>8} {'x healthz':>10} {'x stock':>8} {'errors':>7}"
        )
        for name, _ in PAGES:
            for mode in MODES:
                f = runs[mode][name]
                print(
                    f"{name:30} {mode:6} {f['rps']:8.0f} {f['p50']:8.1f} {f['p95']:8.1f} "
                    f"{f['app_cpu_ms']:8.2f} {f['app_cpu_ms'] / max(peer[mode], 1e-9):10.2f} "
                    f"{f['app_cpu_ms'] / max(stock[mode], 1e-9):8.2f} {f['errors']:7d}"
                )
        return 0
    finally:
        redis.terminate()
        redis.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
