"""Compare the database with the search index and report drift."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from django.core.management.base import BaseCommand, CommandError

from search import engines
from search.engines.base import EngineUnavailable
from search.models import OutboxEntry
from search.sync import check

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = "Report documents missing from, extra in, or out of date in the search index."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--engine", choices=["all", "embedded", "elasticsearch"], default="all")
        parser.add_argument(
            "--show", type=int, default=10, help="How many ids to list per problem."
        )

    def handle(self, *args: Any, engine: str = "all", show: int = 10, **options: Any) -> None:
        chosen = engines.write_engines()
        if engine != "all":
            chosen = [e for e in chosen if e.name == engine]
            if not chosen:
                raise CommandError(f"The {engine} engine is not in use here.")
        drift = False
        for search_engine in chosen:
            try:
                report = check(search_engine)
            except EngineUnavailable as error:
                raise CommandError(f"{search_engine.name} {error.what}: {error}") from error
            kinds: tuple[Literal["missing", "extra", "stale"], ...] = ("missing", "extra", "stale")
            problems = {name: report[name] for name in kinds if report[name]}
            self.stdout.write(
                f"{search_engine.name}: {report['expected']} expected, {report['indexed']} indexed"
            )
            for name, ids in problems.items():
                listed = ", ".join(ids[:show]) + (" …" if len(ids) > show else "")
                self.stdout.write(f"  {name}: {len(ids)} ({listed})")
            drift = drift or bool(problems)
        waiting = OutboxEntry.objects.count()
        if waiting:
            self.stdout.write(f"{waiting} change(s) waiting in the outbox (run search_sync).")
        if drift:
            raise CommandError("Drift found: run search_sync, or search_rebuild if it persists.")
        self.stdout.write(self.style.SUCCESS("No drift: the index matches the database."))
