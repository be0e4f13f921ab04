"""Measure relevance on a file of residents' queries: success@1, success@3 and MRR.

The file format is that of ``../shared/search/dev_queries.tsv`` (beside the project's folder):
``query<TAB>answers`` where each answer is ``slug:X`` (a result whose URL ends in X) or
``service:A|B`` (a service whose title or summary contains A or B). Queries run exactly as the
public API runs them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

from search import service

if TYPE_CHECKING:
    from django.core.management.base import CommandParser

    from search.views import HitJson
from django.http import QueryDict

from search.views import outcome_json

TestQuery = tuple[str, list[str]]  # (query, acceptable answers)
Row = tuple[str, int | None, list[str]]  # (query, rank of the first acceptable answer, top titles)


def read_queries(path: str | Path) -> list[TestQuery]:
    queries = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if "\t" not in line:
            raise CommandError(f"Line {number} has no tab between the query and its answers.")
        text, answers = line.split("\t", 1)
        queries.append((text.strip(), answers.split()))
    return queries


def acceptable(hit: HitJson, answers: list[str]) -> bool:
    for answer in answers:
        kind, _, value = answer.partition(":")
        if kind == "slug" and hit["url"].rstrip("/").rsplit("/", 1)[-1] == value:
            return True
        if kind == "service" and hit["kind"] == "service":
            haystack = f"{hit['title']} {hit['summary']}".lower()
            if any(option.lower() in haystack for option in value.split("|")):
                return True
    return False


def evaluate(queries: Iterable[TestQuery], depth: int = 10) -> list[Row]:
    """[(query, rank or None, top titles)] with rank counted from 1."""

    rows: list[Row] = []
    for text, answers in queries:
        params = QueryDict(mutable=True)
        params["q"] = text
        outcome = service.search(service.parse_params(params), log=False)
        results = outcome_json(outcome)["results"][:depth]
        rank = next((i for i, hit in enumerate(results, start=1) if acceptable(hit, answers)), None)
        rows.append((text, rank, [hit["title"] for hit in results[:3]]))
    return rows


def scores(rows: list[Row]) -> dict[str, float]:
    n = max(len(rows), 1)
    return {
        "success@1": sum(1 for _, rank, _ in rows if rank == 1) / n,
        "success@3": sum(1 for _, rank, _ in rows if rank and rank <= 3) / n,
        "mrr": sum(1 / rank for _, rank, _ in rows if rank) / n,
    }


class Command(BaseCommand):
    help = "Print success@1, success@3 and MRR for a file of queries on the configured engine."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--verbose-misses", action="store_true", help="List queries not answered in the top 3."
        )

    def handle(self, *args: Any, file: str, verbose_misses: bool = False, **options: Any) -> None:
        if not Path(file).exists():
            raise CommandError(f"No such file: {file}")
        rows = evaluate(read_queries(file))
        # search.service's own import of engines, used as an attribute: it is not re-exported.
        configured = service.engines.elasticsearch_configured()  # type: ignore[attr-defined]
        engine = "elasticsearch" if configured else "embedded"
        result = scores(rows)
        self.stdout.write(f"engine: {engine}  queries: {len(rows)}")
        for name, value in result.items():
            self.stdout.write(f"{name}: {value:.3f}")
        if verbose_misses:
            for text, rank, titles in rows:
                if not rank or rank > 3:
                    self.stdout.write(f"  miss ({rank or '-'}): {text!r} -> {titles}")
