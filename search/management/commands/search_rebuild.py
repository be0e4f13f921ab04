"""Rebuild the search index from the database (Elasticsearch: fresh indices, atomic alias swap)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search import engines
from search.engines.base import EngineRefused, EngineTimeout, EngineUnavailable
from search.sync import rebuild

if TYPE_CHECKING:
    from django.core.management.base import CommandParser

    from search.engines.base import Engine


class Command(BaseCommand):
    help = "Rebuild the search index from the database. Residents keep searching the old index until the swap."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--engine",
            choices=["all", "embedded", "elasticsearch"],
            default="all",
            help="Which engine to rebuild (default: every engine in use).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(
        self,
        *args: Any,
        engine: str = "all",
        no_progress: bool = False,
        verbosity: int = 1,
        **options: Any,
    ) -> None:
        if engine == "elasticsearch" and not engines.elasticsearch_configured():
            raise CommandError(
                "ELASTICSEARCH_URL is not set, so there is no Elasticsearch index to rebuild."
            )
        chosen = (
            None
            if engine == "all"
            else [
                engines.embedded_engine()
                if engine == "embedded"
                else engines.elasticsearch_engine()
            ]
        )
        bars: list[tqdm[Any]] = []

        def progress(search_engine: Engine) -> Callable[[float], bool | None]:
            bar = tqdm(
                desc=f"Indexing ({search_engine.name})",
                unit=" docs",
                # The wrapped stream: OutputWrapper would end each redraw with a new line.
                # (django-stubs types OutputWrapper's unknown attributes as callables.)
                file=cast(TextIO, self.stderr._out),
                disable=no_progress or verbosity == 0,
            )
            bars.append(bar)
            return bar.update

        started = time.monotonic()
        try:
            counts = rebuild(chosen, progress=progress)
        except EngineUnavailable as error:
            raise CommandError(failure_message(error)) from error
        finally:
            for bar in bars:
                bar.close()
        seconds = time.monotonic() - started
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} documents indexed")
        total = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index rebuilt: {total} documents in {seconds:.1f}s ({total / max(seconds, 1e-6):.0f} docs/s)."
            )
        )


def failure_message(error: EngineUnavailable) -> str:
    """Say what went wrong in the operator's terms: a slow node is not a missing one.

    "Could not be reached" for a node that is busy sends people to check the network when
    the fix is a longer ELASTICSEARCH_ADMIN_TIMEOUT or a quieter moment.
    """
    unchanged = "nothing was changed (residents still search the old index)"
    if isinstance(error, EngineTimeout):
        return (
            f"Elasticsearch timed out: it was reached but did not answer within "
            f"ELASTICSEARCH_ADMIN_TIMEOUT ({settings.ELASTICSEARCH_ADMIN_TIMEOUT:g} s); "
            f"{unchanged}. Try again when it is less busy, or raise the timeout: {error}"
        )
    if isinstance(error, EngineRefused):
        return f"Elasticsearch refused the rebuild; {unchanged}: {error}"
    return f"Elasticsearch could not be reached; {unchanged}: {error}"
