"""Apply waiting changes (the outbox) to the search engines, by hand.

The background worker does this as changes commit and every 30 seconds (``manage.py worker``);
this command is for a look at what is waiting, or a drain while no worker runs.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand

from search.sync import drain

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = "Apply waiting content changes to the search index. With --forever, keep doing so."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--forever",
            action="store_true",
            help="Keep running, checking every --interval seconds.",
        )
        parser.add_argument("--interval", type=float, default=2.0)

    def handle(
        self,
        *args: Any,
        batch_size: int = 500,
        forever: bool = False,
        interval: float = 2.0,
        verbosity: int = 1,
        **options: Any,
    ) -> None:
        while True:
            applied, waiting, error = drain(batch_size=batch_size)
            if error:
                self.stderr.write(
                    f"Search engine unavailable; {waiting} change(s) kept for later: {error}"
                )
            elif verbosity and (applied or not forever):
                self.stdout.write(f"Applied {applied} change(s); {waiting} waiting.")
            if not forever:
                return
            time.sleep(interval * (5 if error else 1))
