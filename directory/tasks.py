"""The directory's background work: forgetting old problem reports (directory/retention.py)."""

from django_tasks import task

from . import retention


@task(priority=-10)
def purge_problem_reports() -> int:
    """Delete problem reports past ``DIRECTORY_PROBLEM_KEEP_DAYS``; how many went."""
    return retention.purge()
