"""Import another publisher's Open Referral UK services, upserting by id.

Give a feed's base URL (we read the paginated ``/services`` then each ``/services/{id}``) or a
JSON file holding a list of full services (or a page object with ``contents``). Each service is
imported in its own transaction: a bad record is reported with its reason and never leaves a
half-imported service behind.
"""

import json
from pathlib import Path

import requests
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from directory.oruk import Importer

TIMEOUT = 30
MAX_PAGES = 10_000


class Command(BaseCommand):
    help = "Import Open Referral UK services from a feed URL or a JSON file, upserting by id."

    def add_arguments(self, parser):
        parser.add_argument(
            "source", help="Feed base URL (e.g. https://example.org/api/directory/) or a JSON file"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, source, **options):
        importer = Importer()
        records = (
            self._from_url(source)
            if source.startswith(("http://", "https://"))
            else self._from_file(source)
        )
        for position, record in enumerate(
            tqdm(records, desc="Services", unit=" services", disable=options["no_progress"]),
            start=1,
        ):
            importer.import_service(record, position)
        importer.finish()
        self.stdout.write(
            f"Created {importer.created}, updated {importer.updated}, unchanged {importer.unchanged}, "
            f"rejected {len(importer.rejected)}."
        )
        for label, reason in importer.rejected:
            self.stdout.write(f"  Rejected {label}: {reason}")
        return None

    def _from_file(self, source):
        path = Path(source)
        if not path.exists():
            raise CommandError(f"{source} does not exist.")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise CommandError(f"{source} is not valid JSON: {error}") from None
        if isinstance(data, dict):
            data = data.get("contents", [data] if "id" in data else [])
        if not isinstance(data, list):
            raise CommandError(f"{source} must hold a list of services.")
        return data

    def _from_url(self, base):
        base = base.rstrip("/")
        session = requests.Session()
        session.headers["Accept"] = "application/json"
        ids = []
        page = 1
        while page <= MAX_PAGES:
            data = self._get(session, f"{base}/services", {"page": page, "per_page": 100})
            ids.extend(
                item["id"]
                for item in data.get("contents", [])
                if isinstance(item, dict) and "id" in item
            )
            if data.get("last_page", True) or not data.get("contents"):
                break
            page += 1
        return _FetchEach(self, session, base, ids)

    def _get(self, session, url, params=None):
        try:
            response = session.get(url, params=params, timeout=TIMEOUT)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as error:
            raise CommandError(f"Could not read {url}: {error}") from None


class _FetchEach:
    """Fetch each full service lazily, so the progress bar moves as records arrive."""

    def __init__(self, command, session, base, ids):
        self.command, self.session, self.base, self.ids = command, session, base, ids

    def __len__(self):
        return len(self.ids)

    def __iter__(self):
        for service_id in self.ids:
            try:
                response = self.session.get(f"{self.base}/services/{service_id}", timeout=TIMEOUT)
                response.raise_for_status()
                yield response.json()
            except (requests.RequestException, ValueError) as error:
                yield {"id": service_id, "_fetch_error": str(error)}
