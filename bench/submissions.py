"""Submissions per second through the HTML flow, 20 concurrent residents, on PostgreSQL.

    .venv/bin/python bench/submissions.py [--clients 20] [--flows 10]

Without a PostgreSQL DATABASE_URL it re-runs itself inside a throwaway cluster
(tests.harness.postgres). A threaded Django server serves the real URLs; each simulated
resident is a requests session completing `missed-bin-report` (start, four pages, check your
answers, confirmation) with JavaScript off. The baseline is one resident doing the same flows
one after another, measured in the same run. Also checks that every confirmed reference was
stored exactly once.
"""

import argparse
import os
import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ensure_postgres():
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    python = sys.executable
    os.execv(python, [python, "-m", "tests.harness.postgres", "--", python, *sys.argv])


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EFORMS_RATE_LIMITS = {
        "submit": (10**9, 3600),
        "track": (10**9, 900),
        "save": (10**9, 3600),
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    import eforms.demo
    import personas.demo

    personas.demo.load()
    eforms.demo.load()


def start_server():
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class Quiet(WSGIRequestHandler):
        # Without TCP_NODELAY each keep-alive response waits ~40 ms on Nagle's algorithm and the
        # client's delayed ACK (wsgiref writes headers and body separately): two thirds of a flow's
        # time measured TCP timers, not Signpost. gunicorn, which serves production, sets it too.
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=True)
    server.daemon_threads = True
    server.set_app(WSGIHandler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r"data-reference>([A-Z0-9-]+)<")


def one_flow(base, n):
    """One resident reports one missed bin; returns the reference on the confirmation page."""
    import requests

    http = requests.Session()
    slug = "missed-bin-report"

    def post(path, data):
        page = http.get(base + path, timeout=60)
        token = CSRF.search(page.text).group(1)
        response = http.post(
            base + path,
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Referer": base + path},
            timeout=60,
        )
        response.raise_for_status()
        return response

    start = http.get(base + f"/forms/{slug}/", timeout=60)
    token = CSRF.search(start.text).group(1)
    http.post(
        base + f"/forms/{slug}/start/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": base + f"/forms/{slug}/"},
        timeout=60,
    )
    post(
        f"/forms/{slug}/page/address/",
        {
            "address-postcode": "NB9 9ZZ",
            "address-line_1": f"{n} Bench Street {n}",
            "address-town": "Northbrook",
        },
    )
    post(f"/forms/{slug}/page/bin/", {"bin_type": "general"})
    post(f"/forms/{slug}/page/put_out/", {"put_out_on_time": "yes"})
    post(
        f"/forms/{slug}/page/contact/",
        {"full_name": "Bench Resident", "email": f"bench{n}@resident.example", "consent": "yes"},
    )
    confirmation = post(f"/forms/{slug}/check-your-answers/", {})
    found = REFERENCE.search(confirmation.text)
    if not found:
        raise RuntimeError(f"flow {n} ended at {confirmation.url}")
    return found.group(1)


def run(base, clients, flows_each, offset):
    durations, references = [], []
    lock = threading.Lock()

    def resident(index):
        for flow in range(flows_each):
            started = time.perf_counter()
            reference = one_flow(base, offset + index * flows_each + flow)
            with lock:
                durations.append(time.perf_counter() - started)
                references.append(reference)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(resident, range(clients)))
    elapsed = time.perf_counter() - started
    return len(references) / elapsed, durations, references


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--flows", type=int, default=5, help="flows per client")
    args = parser.parse_args()
    ensure_postgres()
    setup_django()
    from django.db import connection

    from eforms.models import Submission

    server, base = start_server()
    print(f"database: {connection.vendor}; server {base}")
    one_flow(base, 10**6)  # warm up
    before = Submission.objects.count()

    baseline_rate, baseline_durations, baseline_refs = run(
        base, 1, args.clients * args.flows // 4 or 1, 0
    )
    rate, durations, refs = run(base, args.clients, args.flows, 10**5)

    stored = Submission.objects.count() - before
    confirmed = len(baseline_refs) + len(refs)
    unique = len(set(baseline_refs + refs))
    print(
        f"baseline (1 client):     {baseline_rate:6.1f} submissions/s, median flow {statistics.median(baseline_durations) * 1000:.0f} ms"
    )
    print(
        f"{args.clients} concurrent clients: {rate:6.1f} submissions/s, median flow {statistics.median(durations) * 1000:.0f} ms, "
        f"p95 {sorted(durations)[int(len(durations) * 0.95) - 1] * 1000:.0f} ms"
    )
    print(f"ratio concurrent/baseline: {rate / baseline_rate:.2f}x")
    print(
        f"confirmed {confirmed}, unique references {unique}, stored {stored}: "
        f"{'OK' if stored == confirmed == unique else 'MISMATCH'}"
    )
    server.shutdown()
    return 0 if stored == confirmed == unique else 1


if __name__ == "__main__":
    sys.exit(main())
