"""The directory's background work: forgetting old problem reports (directory/retention.py)
and pulling partners' feeds (directory/feeds.py)."""

from django_tasks import task

from . import feeds, retention
from .models import PartnerFeed


@task(priority=-10)
def purge_problem_reports() -> int:
    """Delete problem reports past ``DIRECTORY_PROBLEM_KEEP_DAYS``; how many went."""
    return retention.purge()


@task(priority=-5)
def pull_due_feeds() -> int:
    """Pull every partner feed that is due; how many were pulled."""
    return feeds.pull_due()


@task()
def pull_feed_now(feed_id: int) -> str:
    """Pull one partner feed at once (the admin's "Pull now"); the run's status."""
    feed = PartnerFeed.objects.filter(pk=feed_id).first()
    if feed is None:
        return "gone"
    return feeds.pull(feed).status
