"""Subject access and erasure: every app says what it holds about an email address.

Residents' data lives in several apps (requests, drafts and messages in e-forms, problem reports
in the directory, page feedback in the backlog), and no app may read another's tables. So each
app registers a ``PersonalDataSource`` here from its ``AppConfig.ready``; the staff pages
(``cms/privacy.py``) ask every source in turn:

* ``find(email)``: what is held, as ``Holding`` rows a member of staff can read;
* ``export(email)``: the same as plain data for the resident's copy, with any uploaded files;
* ``erase(email)``: delete it, returning how many records went. Erasure runs in one
  transaction across every source; files leave the disk only after it commits.

Core keeps the registry and never imports an app, like ``core.scheduler``.
"""

import datetime
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction


@dataclass(frozen=True)
class Holding:
    """One thing held about the resident, as staff see it in the search results."""

    kind: str  # "Request", "Saved form", "Message", ...
    description: str  # "NBC-1234-ABCD: Report a pothole (in progress)"
    when: datetime.datetime | None = None


@dataclass
class Export:
    """A source's part of the resident's copy: records as JSON-ready dicts, and files."""

    records: list[dict[str, Any]] = field(default_factory=list)
    # (name inside the zip, a function that returns the file's bytes)
    files: list[tuple[str, Callable[[], bytes]]] = field(default_factory=list)


@dataclass(frozen=True)
class Erasure:
    """What a source erased: how many records, and files to delete once the erasure commits."""

    records: int
    after_commit: Callable[[], None] | None = None


@dataclass(frozen=True)
class PersonalDataSource:
    name: str  # "eforms", "directory": the key in the export, and the order shown
    label: str  # "Requests and forms", shown to staff
    find: Callable[[str], list[Holding]]
    export: Callable[[str], Export]
    erase: Callable[[str], Erasure]


_sources: dict[str, PersonalDataSource] = {}


def register(source: PersonalDataSource) -> None:
    """Add (or replace) an app's source of personal data; call from ``AppConfig.ready``."""
    _sources[source.name] = source


def sources() -> list[PersonalDataSource]:
    return [_sources[name] for name in sorted(_sources)]


def normalise_email(email: str) -> str:
    """Addresses are compared without case or surrounding spaces."""
    return email.strip().lower()


def find(email: str) -> list[tuple[PersonalDataSource, list[Holding]]]:
    """Every source with what it holds about ``email`` (an empty list when nothing)."""
    address = normalise_email(email)
    return [(source, source.find(address)) for source in sources()]


def export_zip(email: str) -> tuple[bytes, int]:
    """The resident's copy as a zip: ``data.json`` (every source's records) and ``files/``.

    Returns the zip's bytes and how many records it holds.
    """
    address = normalise_email(email)
    data: dict[str, Any] = {"email": address, "sources": {}}
    buffer = io.BytesIO()
    count = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for source in sources():
            part = source.export(address)
            data["sources"][source.name] = {"label": source.label, "records": part.records}
            count += len(part.records)
            for name, read in part.files:
                archive.writestr(f"files/{source.name}/{name}", read())
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2))
    return buffer.getvalue(), count


def erase(email: str) -> int:
    """Delete everything every source holds about ``email``, in one transaction; records erased."""
    address = normalise_email(email)
    total = 0
    with transaction.atomic():
        for source in sources():
            erased = source.erase(address)
            total += erased.records
            if erased.after_commit is not None:
                transaction.on_commit(erased.after_commit)
    return total
