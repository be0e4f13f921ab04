"""Run management commands (and seeding functions) in one Django process of *another* checkout.

Why: the upgrade test (tests/test_upgrade.py) runs the baseline commit's code and then this
tree's, each in its own process with its own ``cms``, ``personas``... on ``sys.path``. Setting
Django and Wagtail up costs about 2.5 s per process, so the commands of one side share one
process instead of one ``manage.py`` each (``call_command`` runs exactly what ``manage.py``
would).

Why not ``python tests/harness/django_steps.py``: a script's own folder becomes
``sys.path[0]``, and this folder's ``elasticsearch.py`` would hide the Elasticsearch client
library. The harness runs it with ``python -c`` and ``PYTHONPATH`` set to the checkout
instead (see ``tests.harness.upgrade.run_steps``), so nothing of this tree is importable there.

Steps are a JSON list, each one of::

    ["manage", "migrate", "--noinput"]         # a management command and its arguments
    ["call", "/path/to/file.py", "function"]   # a function of a file, run in this process

The seconds each step took are written as JSON to the timings file, step by step, so a
failing run still says how far it got.
"""

from __future__ import annotations

import json
import runpy
import sys
import time
from pathlib import Path

import django
from django.core.management import call_command


def describe(step: list[str]) -> str:
    """A step as a person would type it, for timings and error messages."""
    kind, *rest = step
    if kind == "manage":
        return " ".join(rest)
    return f"{Path(rest[0]).name}:{rest[1]}()"


def run_step(step: list[str]) -> None:
    kind, *rest = step
    if kind == "manage":
        call_command(*rest)
    elif kind == "call":
        path, function = rest
        runpy.run_path(path)[function]()
    else:
        raise ValueError(f"unknown step kind {kind!r} in {step!r}")


def main(argv: list[str]) -> int:
    """``argv``: the steps as JSON, then the path of the timings file to write."""
    steps, timings_path = json.loads(argv[0]), Path(argv[1])
    django.setup()
    timings: list[tuple[str, float]] = []
    for step in steps:
        label = describe(step)
        print(f"signpost-upgrade: running {label}", flush=True)
        start = time.perf_counter()
        try:
            run_step(step)
        except SystemExit as error:  # e.g. migrate --check, makemigrations --check
            if error.code not in (None, 0):
                print(f"signpost-upgrade: {label} exited with {error.code}", file=sys.stderr)
                return error.code if isinstance(error.code, int) else 1
        finally:
            timings.append((label, time.perf_counter() - start))
            timings_path.write_text(json.dumps(timings))
    return 0
