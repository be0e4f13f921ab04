"""Forms at peak load on PostgreSQL: whole flows as a browser makes them, each page, the final submit.

The whole demo council with production settings (plus the stock Wagtail peers of
``bench/stockpeer``, ``bench.peer_settings``), on PostgreSQL (a throwaway cluster unless
``DATABASE_URL`` is PostgreSQL) and a Redis of the bench's own, served by 2 sync gunicorn
workers. Three measurements, each beside its stock Wagtail peer in the same run:

1. **Whole flows**: ``BENCH_PROCESSES`` (4) client processes, each a resident reporting missed
   bins one after another for ``BENCH_SECONDS`` (20) as a browser without JavaScript does: the
   start page, then each answer posted and the next page followed, 13 requests to the
   confirmation. Peer: Wagtail's own ``FormPage`` (wagtail.contrib.forms) with the same eight
   questions on one page, GET and POST. Every reference a resident was shown is checked against
   the database: stored == confirmed == unique.
2. **Each page** of a form in progress, by wrk (``BENCH_CONNECTIONS`` 8, ``BENCH_PAGE_SECONDS``
   10 each) with one resident's session: every question page shown (GET), one answer sent
   (POST, which saves the draft and redirects), and "Check your answers".
3. **The final submit**: ``BENCH_DRAFTS`` (4000) drafts prepared beforehand, each in its own
   session, sent once each by wrk for ``BENCH_SUBMIT_SECONDS`` (10) ("Accept and send": the submission, its reference, its status
   history and the notifications queued for the worker, in one transaction).

Reported: requests (or flows) per second, p50/p95 where wrk measured them, and the CPU-ms of the
gunicorn processes (from ``/proc``) and of PostgreSQL's per request or per flow: the figures that
hold on a shared machine. The load generators run on the same cores. PostgreSQL's figure counts
only its processes alive at both readings (a connection closed in between takes its CPU time
with it), so read it as a lower bound.

    .venv/bin/python bench/forms_flow.py      # about 5 minutes, two of them set-up
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import served_search  # beside this file
from pages_cached import load_peer_site, start_redis
from pages_gunicorn import (
    ensure_postgres,
    free_port,
    server_env,
    start_gunicorn,
    stop_gunicorn,
)

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = int(os.environ.get("BENCH_PROCESSES", "4"))
FLOW_SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
PAGE_SECONDS = int(os.environ.get("BENCH_PAGE_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
DRAFTS = int(os.environ.get("BENCH_DRAFTS", "4000"))
SUBMIT_SECONDS = int(os.environ.get("BENCH_SUBMIT_SECONDS", "10"))

FORM = "/forms/missed-bin-report"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r"data-reference>([A-Z0-9-]+)<")
STOCK_DONE = re.compile(r"data-submission=\"(\d+)\"")
# One CSRF secret for every wrk request: Django accepts the unmasked secret as the form's token.
CSRF_SECRET = "benchbenchbenchbenchbenchbench12"

WRK_SCRIPT = """
local keys = {}
for line in io.lines("%(keys)s") do keys[#keys + 1] = line end
local counter = 0
local threads = {}
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end
function init(args)
  n = 0
  confirmed = 0
  refs = io.open("%(refs)s-" .. id .. ".txt", "w")
end
function request()
  n = n + 1
  local index = (n - 1) * %(threads)d + id
  if index > #keys then
    index = #keys
  end
  return wrk.format("%(method)s", "%(path)s", {
    ["Cookie"] = "sessionid=" .. keys[index] .. "; csrftoken=%(secret)s",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "%(body)s")
end
function response(status, headers, body)
  local location = headers["Location"]
  if status == 302 and location and string.find(location, "/confirmation/") then
    confirmed = confirmed + 1
    refs:write(location, "\\n")
    refs:flush()
  end
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%.3f %%.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def postgres_pids() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


class Meter:
    """CPU time used by the gunicorn processes and by PostgreSQL between two readings."""

    def __init__(self, server: subprocess.Popen) -> None:
        self.app = [server.pid, *served_search._children(server.pid)]

    def read(self) -> tuple[float, float]:
        return served_search._cpu_ms(self.app), served_search._cpu_ms(postgres_pids())


class Browser:
    """One browser without JavaScript: its own cookies (kept by hand: production marks them
    Secure, which a client on plain http would not send back), redirects followed with a GET."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.cookies: dict[str, str] = {}
        self.html = ""

    def request(self, method: str, path: str, fields: dict[str, str] | None = None) -> str:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            token = CSRF.search(self.html)
            body = urlencode({"csrfmiddlewaretoken": token.group(1) if token else "", **fields})
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
        location = response.getheader("Location")
        if response.status == 302 and location:
            return self.request("GET", urlsplit(location).path)
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: {response.status}")
        self.html = text
        return text

    def get(self, path: str) -> str:
        return self.request("GET", path)

    def post(self, path: str, fields: dict[str, str]) -> str:
        return self.request("POST", path, fields)


def signpost_flow(base: str, n: int) -> str:
    """One resident reports one missed bin as a browser does; returns the reference shown."""
    browser = Browser(base)
    browser.get(FORM + "/")
    browser.post(FORM + "/start/", {})
    browser.post(
        FORM + "/page/address/",
        {
            "address-postcode": "NB9 9ZZ",
            "address-line_1": f"{n} Bench Street",
            "address-town": "Northbrook",
        },
    )
    browser.post(FORM + "/page/bin/", {"bin_type": "general"})
    browser.post(FORM + "/page/put_out/", {"put_out_on_time": "yes"})
    browser.post(
        FORM + "/page/contact/",
        {"full_name": "Bench Resident", "email": f"bench{n}@resident.example", "consent": "yes"},
    )
    html = browser.post(FORM + "/check-your-answers/", {})
    found = REFERENCE.search(html)
    if not found:
        raise RuntimeError("a flow did not end on the confirmation page")
    return found.group(1)


def stock_flow(base: str, n: int) -> str:
    """The same report through Wagtail's FormPage: the page, then every answer in one POST."""
    browser = Browser(base)
    browser.get("/stock-form/")
    html = browser.post(
        "/stock-form/",
        {
            "postcode": "NB9 9ZZ",
            "address_line_1": f"{n} Bench Street",
            "town_or_city": "Northbrook",
            "which_bin_was_missed": "General waste",
            "did_you_put_it_out_on_time": "Yes",
            "full_name": "Bench Resident",
            "email_address": f"bench{n}@resident.example",
            "i_agree_to_the_privacy_notice": "on",
        },
    )
    found = STOCK_DONE.search(html)
    if not found:
        raise RuntimeError("a stock flow did not end on its landing page")
    return found.group(1)


def _resident(args: tuple[str, str, int, float, multiprocessing.Queue]) -> None:
    kind, base, index, seconds, results = args
    flow = signpost_flow if kind == "signpost" else stock_flow
    done: list[str] = []
    failures = 0
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        try:
            done.append(flow(base, index * 1_000_000 + n))
        except Exception:
            failures += 1
    results.put((done, failures))


def flows(kind: str, base: str, meter: Meter) -> dict[str, float]:
    """Whole flows from PROCESSES client processes for FLOW_SECONDS."""
    flow = signpost_flow if kind == "signpost" else stock_flow
    for n in range(3):
        flow(base, 999_000 + n)  # warm both workers
    results: multiprocessing.Queue = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(target=_resident, args=((kind, base, i, FLOW_SECONDS, results),))
        for i in range(PROCESSES)
    ]
    app_before, db_before = meter.read()
    started = time.monotonic()
    for process in processes:
        process.start()
    shown: list[str] = []
    failures = 0
    for _ in processes:
        done, failed = results.get()
        shown.extend(done)
        failures += failed
    elapsed = time.monotonic() - started
    for process in processes:
        process.join()
    app_after, db_after = meter.read()
    count = max(len(shown), 1)
    return {
        "flows": len(shown),
        "unique": len(set(shown)),
        "failures": failures,
        "rate": len(shown) / elapsed,
        "app_cpu_ms": (app_after - app_before) / count,
        "db_cpu_ms": (db_after - db_before) / count,
    }


def run_wrk(
    folder: Path,
    port: int,
    meter: Meter,
    keys: list[str],
    method: str,
    path: str,
    body: str = "",
    seconds: int = PAGE_SECONDS,
) -> dict[str, float]:
    """wrk on one request; each session in ``keys`` is used once when there are enough of them."""
    keys_file = folder / f"keys-{time.monotonic_ns()}.txt"
    keys_file.write_text("\n".join(keys) + "\n")
    refs = folder / f"refs-{time.monotonic_ns()}"
    script = folder / "forms.lua"
    threads = 2
    script.write_text(
        WRK_SCRIPT
        % {
            "keys": keys_file,
            "refs": refs,
            "threads": threads,
            "method": method,
            "path": path,
            "secret": CSRF_SECRET,
            "body": body,
        }
    )
    app_before, db_before = meter.read()
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
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
    app_after, db_after = meter.read()
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT"))
    requests, errors, duration_us, p50, p95 = line.split()[1:]
    count = max(int(requests), 1)
    locations = []
    for part in folder.glob(refs.name + "-*.txt"):
        locations.extend(x for x in part.read_text().splitlines() if x)
    references = [x.rstrip("/").rsplit("/", 1)[-1] for x in locations]
    listing = folder / f"{refs.name}-all"
    listing.write_text("\n".join(references) + "\n")
    return {
        "requests": int(requests),
        "rps": count / (int(duration_us) / 1e6),
        "p50": float(p50),
        "p95": float(p95),
        "errors": int(errors),
        "app_cpu_ms": (app_after - app_before) / count,
        "db_cpu_ms": (db_after - db_before) / count,
        "confirmed": len(locations),
        "unique": len(set(locations)),
        "references_file": str(listing),
    }


def counts(env: dict[str, str]) -> tuple[int, int]:
    result = subprocess.run(
        [sys.executable, "manage.py", "bench_forms", "count"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    signpost, stock = result.stdout.split()
    return int(signpost), int(stock)


def found_references(env: dict[str, str], listing: str) -> int:
    result = subprocess.run(
        [sys.executable, "manage.py", "bench_forms", "found", listing],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout.strip())


def drafts(env: dict[str, str], number: int) -> list[str]:
    result = subprocess.run(
        [sys.executable, "manage.py", "bench_forms", "drafts", str(number)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def main() -> int:
    if not served_search.wrk_available() or shutil.which("redis-server") is None:
        print("needs wrk and redis-server (Debian packages wrk, redis-server)")
        return 1
    ensure_postgres()
    folder = Path(tempfile.mkdtemp(prefix="signpost-forms-flow-"))
    redis, redis_url = start_redis(folder)
    server = None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        env = server_env(folder)
        env.update(
            {
                "DATABASE_URL": os.environ["DATABASE_URL"],
                "REDIS_URL": redis_url,
                "DJANGO_SETTINGS_MODULE": "bench.peer_settings",
            }
        )
        load_peer_site(env)
        port = free_port()
        server = start_gunicorn(env, port, folder / "gunicorn.log")
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError((folder / "gunicorn.log").read_text()[-2000:]) from None
                time.sleep(0.3)
        meter = Meter(server)
        stored_before = counts(env)
        # Measured twice, before and after Signpost's, so a machine busier in one phase shows.
        stock_runs = [flows("stock", base, meter)]
        whole = {"signpost": flows("signpost", base, meter)}
        stock_runs.append(flows("stock", base, meter))
        stored_after = counts(env)

        print(
            f"2 gunicorn workers, production settings, PostgreSQL, Redis; {PROCESSES} client "
            f"processes for {FLOW_SECONDS:.0f} s each run"
        )
        print(
            f"{'whole flows':34} {'flows/s':>8} {'CPU-ms/flow':>12} {'db CPU-ms':>10} {'failed':>7}"
        )
        for name, figures in [
            ("stock FormPage (1st run)", stock_runs[0]),
            ("Signpost, 13 requests", whole["signpost"]),
            ("stock FormPage (2nd run)", stock_runs[1]),
        ]:
            print(
                f"{name:34} {figures['rate']:8.1f} {figures['app_cpu_ms']:12.1f} "
                f"{figures['db_cpu_ms']:10.1f} {figures['failures']:7d}"
            )
        stock_rate = (stock_runs[0]["rate"] + stock_runs[1]["rate"]) / 2
        print(f"Signpost / stock flows per second: {whole['signpost']['rate'] / stock_rate:.2f}x")
        signpost = whole["signpost"]
        stored = stored_after[0] - stored_before[0]
        # The warm-up flows are stored too: three per run.
        confirmed = signpost["flows"] + 3
        flows_ok = stored == confirmed and signpost["unique"] == signpost["flows"]
        print(
            f"Signpost flows: confirmed {confirmed} (3 warm-up), unique {signpost['unique'] + 3}, "
            f"stored {stored}: {'OK' if flows_ok else 'MISMATCH'}"
        )

        print()
        print(
            f"{'each page of a form in progress':34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'CPU-ms':>8} {'db CPU-ms':>10} {'errors':>7}"
        )
        session = drafts(env, 1)
        pages = [
            ("start page (GET)", "GET", FORM + "/", ""),
            ("address question (GET)", "GET", FORM + "/page/address/", ""),
            ("bin question (GET)", "GET", FORM + "/page/bin/", ""),
            ("contact question (GET)", "GET", FORM + "/page/contact/", ""),
            ("check your answers (GET)", "GET", FORM + "/check-your-answers/", ""),
            (
                "answer sent (POST put_out)",
                "POST",
                FORM + "/page/put_out/",
                f"csrfmiddlewaretoken={CSRF_SECRET}&put_out_on_time=yes",
            ),
            ("stock FormPage (GET)", "GET", "/stock-form/", ""),
        ]
        for name, method, path, body in pages:
            f = run_wrk(folder, port, meter, session, method, path, body)
            print(
                f"{name:34} {f['rps']:8.0f} {f['p50']:8.1f} {f['p95']:8.1f} "
                f"{f['app_cpu_ms']:8.2f} {f['db_cpu_ms']:10.2f} {f['errors']:7d}"
            )

        print()
        keys = drafts(env, DRAFTS)
        before = counts(env)[0]
        final = run_wrk(
            folder,
            port,
            meter,
            keys,
            "POST",
            FORM + "/check-your-answers/",
            f"csrfmiddlewaretoken={CSRF_SECRET}",
            seconds=SUBMIT_SECONDS,
        )
        stored = counts(env)[0] - before
        found = found_references(env, final["references_file"])
        # Requests still in flight when wrk stops are answered and stored, but never counted.
        in_flight = stored - final["confirmed"]
        ok = found == final["confirmed"] == final["unique"] and 0 <= in_flight <= CONNECTIONS
        if final["requests"] > len(keys):
            print(f"the {len(keys)} drafts ran out: set BENCH_DRAFTS higher for a true figure")
        submits = final["confirmed"] / max(final["requests"], 1) * final["rps"]
        print(
            f"final submit ({len(keys)} drafts prepared): {submits:.0f} submits/s, "
            f"p50 {final['p50']:.1f} ms, p95 {final['p95']:.1f} ms, "
            f"{final['app_cpu_ms']:.2f} CPU-ms and {final['db_cpu_ms']:.2f} db CPU-ms each, "
            f"errors {final['errors']}"
        )
        print(
            f"final submit: confirmed {final['confirmed']}, unique {final['unique']}, of them "
            f"stored {found}; {in_flight} more stored, sent as wrk stopped (at most {CONNECTIONS}): "
            f"{'OK' if ok else 'MISMATCH'}"
        )
        return 0 if ok and flows_ok else 1
    finally:
        stop_gunicorn(server)
        redis.terminate()
        redis.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
