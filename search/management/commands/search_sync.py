"""Apply waiting changes (the outbox) to the search engines, by hand.

The background worker does this as changes commit and every 30 seconds (``manage.py worker``);
this command is for a look at what is waiting, or a drain while no worker runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand

from search import sync

if TYPE_CHECKING:
    from django.core.management.base import CommandParser

    from search.sync import DrainOutcome


class Command(BaseCommand):
    help = "Apply waiting content changes to the search index. With --forever, keep doing so."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--forever",
            action="store_true",
            help="Keep running, checking every --interval seconds. Never stops for a search "
            "engine's fault: it waits longer between tries (up to --max-backoff) until it clears.",
        )
        parser.add_argument("--interval", type=float, default=2.0)
        parser.add_argument(
            "--max-backoff",
            type=float,
            default=60.0,
            help="With --forever: the longest wait between tries while the engine fails.",
        )
        parser.add_argument(
            "--stop-after",
            type=float,
            default=None,
            help="With --forever: stop after this many seconds (for a supervisor that restarts it).",
        )
        parser.add_argument(
            "--retry-parked",
            action="store_true",
            help="First give changes the engine rejected repeatedly (parked) another try.",
        )

    def handle(
        self,
        *args: Any,
        batch_size: int = 500,
        forever: bool = False,
        interval: float = 2.0,
        max_backoff: float = 60.0,
        stop_after: float | None = None,
        retry_parked: bool = False,
        verbosity: int = 1,
        **options: Any,
    ) -> None:
        if retry_parked:
            self.stdout.write(f"{sync.retry_parked()} parked change(s) will be tried again.")
        if not forever:
            self._report(sync.drain_outcome(batch_size=batch_size), None, verbosity, forever=False)
            return
        failing = False

        def report(outcome: DrainOutcome, delay: float) -> None:
            nonlocal failing
            if failing and not outcome.engine_failed:
                self.stdout.write(self.style.SUCCESS("Search sync recovered."))
            failing = outcome.engine_failed
            self._report(outcome, delay, verbosity, forever=True)

        sync.run_forever(
            batch_size=batch_size,
            interval=interval,
            max_backoff=max_backoff,
            stop_after=stop_after,
            report=report,
        )

    def _report(
        self, outcome: DrainOutcome, delay: float | None, verbosity: int, *, forever: bool
    ) -> None:
        waiting = "?" if outcome.waiting is None else outcome.waiting
        retry = f" Trying again in {delay:.0f}s." if delay is not None else ""
        if outcome.engine_failed:
            self.stderr.write(
                f"Search engine unavailable; {waiting} change(s) kept for later: {outcome.error}.{retry}"
            )
            return
        if outcome.rejected:
            self.stderr.write(
                f"Search sync: {outcome.error}. Those change(s) are kept with the reason"
                + (
                    f"; {outcome.parked} set aside after repeated rejection."
                    if outcome.parked
                    else "."
                )
            )
        if verbosity and (outcome.applied or not forever):
            self.stdout.write(f"Applied {outcome.applied} change(s); {waiting} waiting.")
