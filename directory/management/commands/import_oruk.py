"""Import another publisher's Open Referral UK records, merging by id.

The source is a feed's base URL (every page of ``/services`` is read, then each
``/services/{id}`` in full), or a JSON file: one record, a list, or a page object with
``contents``. A file may hold services, organisations (with their services) or
service-at-locations; each record is recognised by its shape.

Each record is imported in its own transaction. A bad record is reported with its id and its
reason and the rest go on; the exit status is 1 when any record was rejected, so a scheduler
notices. Records belong to the feed that created them (``--feed``): a feed never changes the
council's own services, organisations or locations, nor another feed's; such a clash is reported.
"""

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from directory import feeds
from directory.importer import Importer


class Command(BaseCommand):
    help = "Import Open Referral UK records from a feed URL or a JSON file, merging by id."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "source", help="Feed base URL (e.g. https://example.org/api/directory/) or a JSON file"
        )
        parser.add_argument(
            "--feed",
            help=(
                "Whose records these are (default: the URL's host, or 'file'). A feed creates "
                "records as its own and may change only its own: never the council's, never "
                "another feed's."
            ),
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: object, source: str, **options: object) -> None:
        is_url = source.startswith(("http://", "https://"))
        feed = str(options.get("feed") or (urlsplit(source).netloc if is_url else "file"))
        importer = Importer(feed=feed[:200])
        records = self._from_url(source) if is_url else self._from_file(source)
        importer.import_all(
            tqdm(records, desc="Records", unit=" records", disable=bool(options["no_progress"]))
        )
        for line in importer.report.lines():
            self.stdout.write(line)
        rejected = len(importer.report.rejected)
        if rejected:
            raise CommandError(
                f"{rejected} record{'s were' if rejected != 1 else ' was'} not imported; "
                "the reasons are listed above.",
                returncode=1,
            )

    def _from_file(self, source: str) -> list:
        path = Path(source)
        if not path.is_file():
            raise CommandError(f"{source} does not exist.")
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError:
            raise CommandError(f"{source} is not UTF-8 text.") from None
        except json.JSONDecodeError as error:
            raise CommandError(f"{source} is not valid JSON: {error}") from None
        if isinstance(data, dict):
            data = data.get("contents", [data] if "id" in data else [])
        if not isinstance(data, list):
            raise CommandError(f"{source} must hold a record, a list of records or a page.")
        return data

    def _from_url(self, base: str) -> Iterable[dict]:
        try:
            ids = feeds.service_ids(base)
        except feeds.FeedUnreadable as error:
            raise CommandError(f"Could not read the feed: {error}.") from None
        return _Sized(feeds.fetch_services(base, ids), len(ids))


class _Sized:
    """The fetched services with their number, so the progress bar knows the total."""

    def __init__(self, records: Iterator[dict], size: int) -> None:
        self.records, self.size = records, size

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[dict]:
        return self.records
