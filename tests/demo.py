"""The demo council as tests start from it, built once per test process (tests/snapshots.py).

Two starting points:

- ``residents_demo``: what residents see (personas, pages, forms, the directory, journeys, the
  search index): everything the browser walks need, in English.
- ``whole_demo``: everything ``manage.py load_demo`` makes, the Polish and Arabic translations,
  the bin rounds and the backlog included. Building it takes minutes on a busy machine, so tests
  that use it carry ``WHOLE_DEMO`` (an xdist group): one process runs them all and builds it once.

Only transactional tests may use them (``django_db(transaction=True)``, ``transactional_db``,
``live_server``): the demo must be built with real commits, as ``load_demo`` runs, because what
loaders leave for after a commit (publishing translations) never runs inside a test's
transaction. Both are built with the embedded search engine, whose index is rows in the database and so comes
back with them; a test of Elasticsearch indexes the restored rows into its own index.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Locale, Page

from tests.caches import clear_caches
from tests.snapshots import restore_or_build
from tests.tasks import run_queued_tasks

#: Put a test that uses ``whole_demo`` in this group (``pytestmark`` or a decorator).
WHOLE_DEMO = pytest.mark.xdist_group("whole-demo")


def _migrated_rows() -> None:
    """The rows migrating makes that a transactional test's flush took away, if it did."""
    Locale.objects.get_or_create(language_code="en-gb")
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))


def build_residents_demo() -> None:
    """What the demo loader builds for residents, and what the worker does next with it."""
    import cms.demo
    import directory.demo
    import eforms.demo
    import journeys.demo
    import personas.demo
    import search.demo

    _migrated_rows()
    quiet = io.StringIO()
    with override_settings(ELASTICSEARCH_URL=""):
        for load in (
            personas.demo.load,
            cms.demo.load,
            eforms.demo.load,
            directory.demo.load,
            journeys.demo.load,
            search.demo.load,
        ):
            load(stdout=quiet)
        run_queued_tasks()  # what the worker does next: Wagtail's reference index, search, mail


def build_whole_demo() -> None:
    """``manage.py load_demo``, as `make demo` runs it (without the demo login)."""
    _migrated_rows()
    with override_settings(ELASTICSEARCH_URL=""):
        call_command("load_demo", stdout=io.StringIO())
        run_queued_tasks()


def residents_demo() -> None:
    """Make the database hold the residents' demo council, and nothing cached from before."""
    clear_caches()
    restore_or_build("residents-demo", build_residents_demo)
    clear_caches()


def whole_demo() -> None:
    """Make the database hold everything ``load_demo`` makes, and nothing cached from before."""
    clear_caches()
    restore_or_build("whole-demo", build_whole_demo)
    clear_caches()
