"""Resident pages served by gunicorn (2 workers, production settings, demo content), under load.

Run: .venv/bin/python bench/pages_gunicorn.py

Everything happens in a throwaway folder: a SQLite database is migrated, given its cache table
and the demo council (`manage.py load_demo`, ~40 s), static files are collected, then gunicorn
serves `cms.wsgi:application` with 2 workers on a free loopback port. This script is the load
generator: CLIENTS threads, each with its own keep-alive `http.client` connection, request one
URL until REQUESTS responses or SECONDS have passed, whichever comes first. Per URL it prints
requests per second, p50/p95 latency and errors, and the rps ratio against `/healthz` (a view
that does almost nothing) measured in the same run. Then the RSS of each gunicorn worker.
gunicorn is stopped and the folder removed on every exit, Ctrl-C included.

Knobs (environment): BENCH_CLIENTS (8), BENCH_SECONDS (10), BENCH_REQUESTS (3000), BENCH_WORKERS (2).
The load generator shares the machine's CPUs with the workers, so absolute figures are low on
small machines; the ratios are what to compare between runs.
"""

import http.client
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _setup import summary

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "3000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
WARMUP = 4 * CLIENTS  # per URL, so each worker has compiled the templates and filled its caches
BASELINE = "/healthz"
URLS = [
    ("home page", "/"),
    ("journey page", "/report-and-transact/missed-bin/"),
    ("search", "/search/?q=bins"),
]
OPTIONAL = {"/search/?q=bins"}  # 404 here means search isn't built: reported, not a failure


class Stop(Exception):
    """SIGTERM/SIGHUP: unwind through the `finally` blocks like Ctrl-C does."""


def _raise_stop(signum, frame):
    raise Stop(signal.Signals(signum).name)


def server_env(folder):
    env = dict(os.environ)
    for name in ("DEBUG", "ELASTICSEARCH_URL", "DATABASE_CONN_MAX_AGE"):
        env.pop(name, None)  # the embedded search engine and the defaults, whatever the shell says
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # One client address sends every request here: lift the per-address search limit.
            "SEARCH_RATE_LIMIT_COUNT": "1000000",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(folder / "media"),
            "PRIVATE_MEDIA_ROOT": str(folder / "private_media"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def manage(env, *args):
    """Run one manage.py command; return its duration, or stop with its output on failure."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()[-3000:]
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed (exit {result.returncode}):\n{output}"
        )
    return time.perf_counter() - started


def ensure_postgres():
    """Run this benchmark again inside a throwaway PostgreSQL cluster unless it already has one."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    python = sys.executable
    os.execv(python, [python, "-m", "tests.harness.postgres", "--", python, *sys.argv])


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env, port, log_path):
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cms.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--graceful-timeout",
            "10",
            "--timeout",
            "60",
            "--chdir",
            str(ROOT),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: Ctrl-C reaches us, we stop it in order
    )
    log.close()
    return process


def stop_gunicorn(process):
    """SIGTERM the master (graceful), then SIGKILL whatever is left of its process group."""
    if process is None:
        return
    if process.poll() is None:
        try:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # workers orphaned by a crashed master, if any
    except (ProcessLookupError, PermissionError):
        pass
    if process.poll() is None:
        process.wait(timeout=5)


def wait_until_healthy(process, port, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited (code {process.returncode}):\n{tail(log_path)}")
        try:
            status, _ = fetch_once(port, BASELINE)
            if status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"/healthz did not answer within {timeout} s:\n{tail(log_path)}")


def tail(path, chars=3000):
    try:
        return Path(path).read_text(errors="replace")[-chars:]
    except OSError:
        return "(no log)"


def fetch_once(port, url):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", url)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def load(port, url, clients=CLIENTS, seconds=SECONDS, max_requests=REQUESTS):
    """`clients` threads on keep-alive connections request `url` until the count or time runs out."""
    lock = threading.Lock()
    issued = [0]
    latencies, errors, statuses = [], [0], {}
    reconnects = [0]
    deadline = [0.0]

    def take_ticket():
        with lock:
            if issued[0] >= max_requests or time.perf_counter() >= deadline[0]:
                return False
            issued[0] += 1
            return True

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, my_errors, my_statuses = [], 0, {}
        try:
            while take_ticket():
                started = time.perf_counter()
                try:
                    if connection.sock is None:
                        reconnects[0] += 1  # the server closed the last one (sync workers do)
                    connection.request("GET", url, headers={"Accept": "text/html"})
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    connection.close()
                    status = "exception"
                elapsed = (time.perf_counter() - started) * 1000
                my_statuses[status] = my_statuses.get(status, 0) + 1
                if status == 200:
                    mine.append(elapsed)
                else:
                    my_errors += 1
        finally:
            connection.close()
            with lock:
                latencies.extend(mine)
                errors[0] += my_errors
                for key, count in my_statuses.items():
                    statuses[key] = statuses.get(key, 0) + count

    started = time.perf_counter()
    deadline[0] = started + seconds
    with ThreadPoolExecutor(max_workers=clients) as pool:
        try:
            for future in [pool.submit(client) for _ in range(clients)]:
                future.result()
        except BaseException:  # Ctrl-C: let the clients finish their current request and stop
            deadline[0] = 0.0
            raise
    elapsed = time.perf_counter() - started
    figures = (
        summary(latencies) if latencies else {"median": float("nan"), "p95": float("nan"), "n": 0}
    )
    return {
        "requests": issued[0],
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50": figures["median"],
        "p95": figures["p95"],
        "errors": errors[0],
        "statuses": statuses,
        "new_connections": reconnects[0],
    }


def worker_pids(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    if children.exists():
        return sorted(int(pid) for pid in children.read_text().split())
    found = []
    for entry in Path("/proc").iterdir():  # kernels without CONFIG_PROC_CHILDREN
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master_pid:
                found.append(int(entry.name))
    return sorted(found)


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024  # kB -> MiB
    return float("nan")


def main():
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGHUP, _raise_stop)
    folder = Path(tempfile.mkdtemp(prefix="signpost-pages-gunicorn-"))
    process = None
    failed = False
    try:
        env = server_env(folder)
        steps = []
        for label, args in (
            ("migrate", ("migrate", "--noinput")),
            ("createcachetable", ("createcachetable",)),
            ("load_demo", ("load_demo",)),
            ("collectstatic", ("collectstatic", "--noinput")),
        ):
            steps.append(f"{label} {manage(env, *args):.0f} s")
        print("setup: " + ", ".join(steps))

        port = free_port()
        log_path = folder / "gunicorn.log"
        process = start_gunicorn(env, port, log_path)
        started = time.perf_counter()
        wait_until_healthy(process, port, log_path)
        pids = worker_pids(process.pid)
        print(
            f"gunicorn {WORKERS} sync workers on 127.0.0.1:{port}, healthy after "
            f"{time.perf_counter() - started:.1f} s; {CLIENTS} client threads, "
            f"each URL up to {REQUESTS} requests or {SECONDS:.0f} s, after {WARMUP} warm-up requests"
        )
        print()

        results = {}
        for name, url in [("baseline", BASELINE), *URLS]:
            status, body = fetch_once(port, url)
            if status == 404 and url in OPTIONAL:
                results[url] = f"not available (HTTP 404: {name} isn't built)"
                continue
            if status != 200:
                results[url] = f"HTTP {status} before the run; measuring anyway"
                if url not in OPTIONAL:
                    failed = True
            load(port, url, clients=CLIENTS, seconds=SECONDS, max_requests=WARMUP)
            measured = load(port, url)
            if measured["errors"]:
                failed = failed or url not in OPTIONAL
            results[url] = (results.get(url), measured)

        base = results[BASELINE][1]
        print(
            f"{'URL':<36}{'requests':>9}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}{'rps vs /healthz':>17}"
        )
        for url in [BASELINE, *(url for _, url in URLS)]:
            entry = results[url]
            label = f"{url} (baseline)" if url == BASELINE else url
            if isinstance(entry, str):
                print(f"{label:<36}  {entry}")
                continue
            note, m = entry
            ratio = m["rps"] / base["rps"] if base["rps"] else float("nan")
            print(
                f"{label:<36}{m['requests']:>9}{m['rps']:>8.1f}{m['p50']:>9.1f}{m['p95']:>9.1f}"
                f"{m['errors']:>8}{ratio:>16.3f}x"
            )
            other = {k: v for k, v in m["statuses"].items() if k != 200}
            if note or other:
                print(
                    f"{'':<36}  {note or ''}{' ' if note else ''}{'non-200: ' + str(other) if other else ''}"
                )
        measured = [entry[1] for entry in results.values() if not isinstance(entry, str)]
        opened = sum(m["new_connections"] for m in measured)
        total = sum(m["requests"] for m in measured)
        print(
            "(rps vs /healthz: the page's throughput as a fraction of a near-empty request's on the same"
        )
        print(" server in the same run; 1/ratio is how many /healthz requests one page costs.")
        print(
            f" {opened} TCP connections for {total} requests: gunicorn's sync workers close each one,"
            " so a loopback connect is in every figure.)"
        )
        print()
        live = worker_pids(process.pid)
        if sorted(live) != sorted(pids):
            print(f"note: workers changed during the run ({pids} -> {live}); a worker restarted")
        sizes = [(pid, rss_mb(pid)) for pid in live]
        if sizes:
            each = ", ".join(f"pid {pid} {mb:.1f} MiB" for pid, mb in sizes)
            mean = sum(mb for _, mb in sizes) / len(sizes)
            print(
                f"memory per worker (VmRSS after the load): {each}; mean {mean:.1f} MiB "
                f"(master {rss_mb(process.pid):.1f} MiB)"
            )
        else:
            print("memory per worker: no worker processes found")
            failed = True
    except (KeyboardInterrupt, Stop) as reason:
        print(
            f"\ninterrupted ({str(reason) or 'Ctrl-C'}); stopping gunicorn and cleaning up",
            file=sys.stderr,
        )
        failed = True
    except RuntimeError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        failed = True
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip the clean-up
        try:
            stop_gunicorn(process)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            signal.signal(signal.SIGINT, signal.default_int_handler)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
