"""A resident's final "Accept and send": server CPU per request with a hung mail relay vs a healthy one.

    .venv/bin/python bench/final_submit_relay.py      # about 3-4 minutes on two busy cores

The final submit writes the submission and its messages to the outbox; the worker sends them.
So what the mail relay does must not change what the request costs. This measures it, in one
run, on PostgreSQL (re-runs itself in a throwaway cluster if DATABASE_URL isn't PostgreSQL),
with `cms.settings.production` (as bench/pages_gunicorn.py sets it up):

1. `migrate`, `createcachetable`, `collectstatic`, and a form that alerts two staff addresses (three messages
   per submission), as subprocesses.
2. Phases, alternating ROUNDS times: **healthy** (an aiosmtpd server that takes every message)
   and **hung** (a socket that accepts the connection and never says a word,
   tests/harness/smtp.py). Each phase starts its own gunicorn (2 sync workers) and its own
   `manage.py worker`, both with `EMAIL_HOST`/`EMAIL_PORT` pointing at that phase's relay
   and the production `EMAIL_TIMEOUT` (10 s).
3. In each phase CLIENTS threads fill SUBMITS forms to "Check your answers" (not measured:
   start, four pages; each session its own X-Forwarded-For behind `TRUSTED_PROXIES`, so each
   resident has their own submission limit), send WARMUP final submits, then the measured
   SUBMITS final submits. CPU is user+system time of the gunicorn processes (master and
   workers, from /proc/<pid>/stat) before and after: what the server spent, whoever else was
   using the machine. Latency (p50/p95, as the client sees it) is printed too: a request
   waiting on a hung relay would barely use CPU but would take EMAIL_TIMEOUT.

Reading it: **CPU-ms per final submit** for each relay, and **hung/healthy**, which should be
1.00 within ±20% (issue 14's acceptance); outside that the script prints a FAIL line and exits
1. The healthy phase also says how many messages its worker delivered (it shows the worker
really sent mail while the requests were measured). Knobs (environment): BENCH_SUBMITS (60),
BENCH_ROUNDS (2), BENCH_CLIENTS (4), BENCH_WARMUP (10).
"""

import http.client
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from _setup import summary
from pages_gunicorn import (
    Stop,
    _raise_stop,
    ensure_postgres,
    free_port,
    manage,
    server_env,
    start_gunicorn,
    stop_gunicorn,
    tail,
    wait_until_healthy,
    worker_pids,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.harness.smtp import HungSMTPServer, MailSink  # noqa: E402  (needs ROOT on the path)

SUBMITS = int(os.environ.get("BENCH_SUBMITS", "60"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "10"))
TOLERANCE = 0.20
SLUG = "scale-out-report"  # tests/harness/scale_out_seed.py
STAFF = "streets@northbrook.example\nduty-officer@northbrook.example"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    """User + system CPU time of these processes so far."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / TICKS


class Resident:
    """One browser without JavaScript: its own cookies (kept by hand: production marks them
    Secure, which a client on plain http would not send back) and its own address."""

    def __init__(self, port, number):
        self.port = port
        self.number = number
        self.cookies = {}
        self.address = f"198.18.{number // 250}.{number % 250 + 1}"
        self.token = ""

    def request(self, method, path, fields=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"X-Forwarded-For": self.address, "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode({"csrfmiddlewaretoken": self.token, **fields})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if 'name="csrfmiddlewaretoken" value="' in text:
            self.token = text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        return response.status, response.getheader("Location") or "", text

    def post(self, path, fields, expect):
        status, location, text = self.request("POST", path, fields)
        if status != 302 or not location.endswith(expect):
            raise RuntimeError(f"POST {path}: {status} to {location!r}\n{text[-1500:]}")

    def fill_to_check(self):
        """Start to "Check your answers", as eforms/tests/test_flow.py's fill_to_check."""
        base = f"/forms/{SLUG}"
        status, _location, text = self.request("GET", f"{base}/")
        if status != 200:
            raise RuntimeError(f"GET {base}/: {status}\n{text[-1500:]}")
        self.post(f"{base}/start/", {}, f"{base}/page/what/")
        self.post(f"{base}/page/what/", {"problem": "other"}, f"{base}/page/details/")
        self.post(
            f"{base}/page/details/",
            {
                "description": "Big hole",
                "other_detail": "Sinkhole",
                "noticed-day": "1",
                "noticed-month": "2",
                "noticed-year": "2024",
            },
            f"{base}/page/where/",
        )
        self.post(
            f"{base}/page/where/",
            {
                "address-postcode": "nb1 1aa",
                "address-line_1": "14 Mill Lane",
                "address-town": "Northbrook",
            },
            f"{base}/page/contact/",
        )
        self.post(
            f"{base}/page/contact/",
            {
                "full_name": "Sam Resident",
                "email": f"resident{self.number}@resident.example",
                "consent": "yes",
            },
            f"{base}/check-your-answers/",
        )
        self.request(
            "GET", f"{base}/check-your-answers/"
        )  # the page the resident reads, and its token

    def accept_and_send(self):
        """The measured request: the final submit. Its reference and its latency in ms."""
        started = time.perf_counter()
        status, location, text = self.request("POST", f"/forms/{SLUG}/check-your-answers/", {})
        elapsed = (time.perf_counter() - started) * 1000
        if status != 302 or "/confirmation/" not in location:
            raise RuntimeError(f"final submit: {status} to {location!r}\n{text[-1500:]}")
        return location.rstrip("/").rsplit("/", 1)[1], elapsed


def in_parallel(function, items):
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return list(pool.map(function, items))


def start_worker(env, log_path, name):
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--no-reload", "--worker-id", name],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    return process


def phase(base_env, folder, relay_name, relay, numbers):
    """One gunicorn and one worker pointed at ``relay``; the final submits' CPU and latency."""
    env = {
        **base_env,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(relay.port),
    }
    port = free_port()
    log_path = folder / f"gunicorn-{relay_name}-{numbers[0]}.log"
    server = start_gunicorn(env, port, log_path)
    worker = start_worker(env, folder / f"worker-{relay_name}-{numbers[0]}.log", relay_name)
    try:
        wait_until_healthy(server, port, log_path)
        pids = [server.pid, *worker_pids(server.pid)]
        residents = [Resident(port, number) for number in numbers]
        in_parallel(Resident.fill_to_check, residents)
        warm, measured = residents[:WARMUP], residents[WARMUP:]
        in_parallel(Resident.accept_and_send, warm)
        before = cpu_seconds(pids)
        started = time.perf_counter()
        results = in_parallel(Resident.accept_and_send, measured)
        wall = time.perf_counter() - started
        cpu = cpu_seconds(pids) - before
        if sorted(pids) != sorted([server.pid, *worker_pids(server.pid)]):
            raise RuntimeError(f"a gunicorn worker restarted during the {relay_name} phase")
        if worker.poll() is not None:
            raise RuntimeError(
                f"the worker exited:\n{tail(folder / f'worker-{relay_name}-{numbers[0]}.log')}"
            )
        latencies = [elapsed for _reference, elapsed in results]
        return {
            "cpu_ms": cpu * 1000 / len(measured),
            "rps": len(measured) / wall,
            "latency": summary(latencies),
            "all_references": len(residents),
        }
    finally:
        for process in (worker, server):
            stop_gunicorn(process)  # SIGTERM, then SIGKILL to its process group


def stored_submissions(database_url):
    with psycopg.connect(database_url) as database:
        return database.execute(
            "SELECT count(*), count(DISTINCT reference) FROM eforms_submission"
        ).fetchone()


def main():
    ensure_postgres()
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGHUP, _raise_stop)
    folder = Path(tempfile.mkdtemp(prefix="signpost-final-submit-"))
    database_url = os.environ["DATABASE_URL"]
    failed = False
    try:
        env = {
            **server_env(folder),
            "DATABASE_URL": database_url,
            "TRUSTED_PROXIES": "127.0.0.1/32",
            "EMAIL_TIMEOUT": "10",
            "LOG_LEVEL": "INFO",
        }
        steps = []
        for label, args in (
            ("migrate", ("migrate", "--noinput")),
            ("createcachetable", ("createcachetable",)),
            ("collectstatic", ("collectstatic", "--noinput")),
            (
                "form",
                (
                    "shell",
                    "-c",
                    f"from tests.harness.scale_out_seed import seed; seed([], notify_emails={STAFF!r})",
                ),
            ),
        ):
            steps.append(f"{label} {manage(env, *args):.0f} s")
        print("setup: " + ", ".join(steps))
        print(
            f"each phase: its own gunicorn (2 sync workers) and worker; {CLIENTS} clients, "
            f"{WARMUP} warm-up then {SUBMITS} measured final submits; {ROUNDS} rounds, alternating"
        )

        figures = {"healthy": [], "hung": []}
        delivered = []
        confirmed = 0
        number = 0
        for _round in range(ROUNDS):
            for relay_name in ("healthy", "hung"):
                relay = MailSink() if relay_name == "healthy" else HungSMTPServer()
                with relay:
                    numbers = list(range(number, number + WARMUP + SUBMITS))
                    number += len(numbers)
                    result = phase(env, folder, relay_name, relay, numbers)
                    if relay_name == "healthy":
                        delivered.append(sum(relay.recipients().values()))
                    else:
                        result["connections"] = relay.connections
                confirmed += result["all_references"]
                figures[relay_name].append(result)
                latency = result["latency"]
                extra = (
                    f"relay connections {result['connections']} (the worker's tries)"
                    if relay_name == "hung"
                    else f"worker delivered {delivered[-1]} messages"
                )
                print(
                    f"  {relay_name:<8} CPU {result['cpu_ms']:6.1f} ms/submit, {result['rps']:5.1f} submits/s, "
                    f"p50 {latency['median']:6.1f} ms, p95 {latency['p95']:6.1f} ms; {extra}"
                )

        healthy = statistics.mean(r["cpu_ms"] for r in figures["healthy"])
        hung = statistics.mean(r["cpu_ms"] for r in figures["hung"])
        ratio = hung / healthy
        healthy_p95 = max(r["latency"]["p95"] for r in figures["healthy"])
        hung_p95 = max(r["latency"]["p95"] for r in figures["hung"])
        print()
        print(f"healthy relay: {healthy:6.1f} CPU-ms per final submit (mean of {ROUNDS} phases)")
        print(f"hung relay:    {hung:6.1f} CPU-ms per final submit (mean of {ROUNDS} phases)")
        print(f"ratio hung/healthy: {ratio:.2f}x (acceptance: 1.00 ± {TOLERANCE:.2f})")
        print(f"worst p95 latency: healthy {healthy_p95:.0f} ms, hung {hung_p95:.0f} ms")
        stored, unique = stored_submissions(database_url)
        correct = stored == unique == confirmed
        print(
            f"confirmed {confirmed}, stored {stored}, unique references {unique}: "
            f"{'OK' if correct else 'MISMATCH'}"
        )
        if abs(ratio - 1) > TOLERANCE:
            print(f"FAIL: hung/healthy CPU ratio {ratio:.2f} is outside 1.00 ± {TOLERANCE:.2f}")
            failed = True
        if hung_p95 >= 10_000:
            print("FAIL: final submits waited for the hung relay's timeout")
            failed = True
        failed = failed or not correct
    except (KeyboardInterrupt, Stop) as reason:
        print(f"\ninterrupted ({str(reason) or 'Ctrl-C'}); cleaning up", file=sys.stderr)
        failed = True
    except RuntimeError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        failed = True
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
