"""Many residents submitting one form through the JSON API at once, as fast as they can.

    python -m tests.harness.submitters http://127.0.0.1:8000 --clients 50 --seconds 60

This is the load side of ``tests/test_sqlite_concurrency.py`` (and handy on its own against a
running server). It runs in a process of its own, apart from the server, so the clients'
threads and the server's workers never wait on the same interpreter lock. Each client thread
keeps one keep-alive session and posts ``missed-bin-report`` answers to
``/api/v1/forms/<slug>/submissions/`` with a fresh ``Idempotency-Key`` (as the API asks callers
to), until the time is up; a request already sent when the time runs out is waited for and
counted. It prints one JSON object: how many were sent, the references confirmed, and every
failure with its status and the start of its body, so a "database is locked" page is shown
rather than counted silently.
"""

import argparse
import json
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

SLUG = "missed-bin-report"
REQUEST_TIMEOUT_SECONDS = 60
KEPT_FAILURES = 20  # enough to see what went wrong without printing thousands of pages


def answers(client: int, number: int) -> dict:
    """A valid missed-bin report; each one different, so no two could be taken for a retry."""
    return {
        "address": {
            "postcode": "NB1 1AA",
            "line_1": f"{number} Load Test Lane",
            "town": "Northbrook",
        },
        "bin_type": "general",
        "put_out_on_time": "yes",
        "full_name": f"Resident {client}",
        "email": f"resident{client}.{number}@resident.example",
        "consent": True,
    }


def run(base: str, clients: int, seconds: float) -> dict:
    """Post submissions from ``clients`` threads for ``seconds``; return the tally."""
    url = f"{base.rstrip('/')}/api/v1/forms/{SLUG}/submissions/"
    lock = threading.Lock()
    references: list[str] = []
    failures: list[dict] = []
    statuses: dict[str, int] = {}
    sent = [0]
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        session = requests.Session()
        number = 0
        try:
            while time.monotonic() < deadline:
                number += 1
                with lock:
                    sent[0] += 1
                try:
                    response = session.post(
                        url,
                        data=json.dumps({"answers": answers(index, number)}),
                        headers={
                            "Content-Type": "application/json",
                            "Idempotency-Key": str(uuid.uuid4()),
                        },
                        timeout=REQUEST_TIMEOUT_SECONDS,
                    )
                except requests.RequestException as error:
                    status, body, reference = "exception", f"{type(error).__name__}: {error}", None
                else:
                    status, body = str(response.status_code), response.text
                    reference = _reference(response)
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    if status in ("200", "201") and reference:
                        references.append(reference)
                    else:
                        failures.append(
                            {
                                "status": status,
                                "database_locked": "database is locked" in body,
                                "body": body[:300],
                            }
                        )
        finally:
            session.close()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(client, index) for index in range(clients)]:
            future.result()
    elapsed = time.monotonic() - started
    return {
        "clients": clients,
        "seconds": elapsed,
        "sent": sent[0],
        "statuses": statuses,
        "confirmed": len(references),
        "unique": len(set(references)),
        "references": references,
        "errors": len(failures),
        "database_locked": sum(failure["database_locked"] for failure in failures),
        "failures": failures[:KEPT_FAILURES],
        "per_second": len(references) / elapsed if elapsed else 0.0,
    }


def _reference(response: requests.Response) -> str | None:
    """The reference in a success response, or None when the body is not the API's JSON."""
    try:
        return response.json().get("reference")
    except ValueError:
        return None


def main(argv: list[str] | None = None) -> int:
    """Command line: print the tally as JSON; exit 1 when anything failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the server's address, e.g. http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args(argv)
    tally = run(args.base, args.clients, args.seconds)
    json.dump(tally, sys.stdout)
    sys.stdout.write("\n")
    return 1 if tally["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
