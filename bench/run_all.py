"""Run every benchmark under bench/ and print one report.

Each benchmark is its own script (so each gets a fresh throwaway database); this runs them
one after another and prints their output under a heading. A benchmark that fails is reported
and the rest still run.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
SKIP = {
    "run_all.py",
    "_setup.py",
    "served_search.py",
    "stock_search_wsgi.py",
}  # helpers of search.py


def main():
    scripts = sorted(p for p in BENCH_DIR.glob("*.py") if p.name not in SKIP)
    failures = []
    print("Signpost benchmark report")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n")
    for script in scripts:
        print(f"== {script.stem} ==", flush=True)
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(script)], cwd=BENCH_DIR.parent, capture_output=True, text=True
        )
        print(result.stdout.rstrip())
        if result.returncode != 0:
            failures.append(script.name)
            print(f"FAILED (exit {result.returncode}):\n{result.stderr.strip()[-2000:]}")
        print(f"({time.perf_counter() - start:.0f} s)\n", flush=True)
    if failures:
        print("Failed: " + ", ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
