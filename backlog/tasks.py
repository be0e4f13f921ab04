"""The backlog's background work: importing large contact-figure uploads, forgetting old
page feedback.

A product owner's upload of more than ``backlog.uploads.IN_REQUEST_ROWS`` rows is imported
here rather than in their request, so a big file never holds up a web worker.
"""

from django_tasks import task

from . import retention
from .uploads import import_waiting


@task()
def import_demand_uploads() -> int:
    """Import every upload waiting for the worker; how many were imported."""
    return import_waiting()


@task(priority=-10)
def purge_page_feedback() -> int:
    """Delete page feedback past ``BACKLOG_FEEDBACK_KEEP_DAYS`` (backlog/retention.py)."""
    return retention.purge()
