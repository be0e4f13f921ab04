"""The web team's background work: the nightly content checks and the weekly review reminders.

Run by the worker (registered in ``WebteamConfig.ready``), so the dashboards show this
morning's findings and units hear what to review without anyone keeping a cron entry. Links
to other websites are left to ``manage.py content_checks --external-links``, which is slow by
design (one request a second per site) and would hold a worker for a long time.
"""

from django_tasks import task

from .quality.nightly import check_live_pages
from .quality.reviews import queue_reminders


@task(priority=-10)
def run_content_checks() -> dict[str, int]:
    """Check every live page and store the findings; how many pages, and how many to fix."""
    run = check_live_pages()
    return {"pages": run.total, "pages_with_problems": run.pages_with_problems}


@task(priority=-10)
def send_review_reminders() -> dict[str, int]:
    """Write each unit's weekly email of reviews overdue and due in 30 days to the outbox."""
    return {"units": queue_reminders()}
