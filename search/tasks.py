"""Search's background work: applying the outbox to the engines.

``drain_outbox`` is enqueued when a change commits (search/outbox.py, through
``core.background.enqueue_on_commit``: one waiting task however many rows a burst writes) and
every 30 seconds by the scheduler, which catches what an engine outage or a lost enqueue left
behind. Its priority is above Wagtail's own tasks, so a published page is findable within
seconds even while a bulk load queues hundreds of reference-index updates.
"""

from django_tasks import task

from . import analytics, retention, sync


@task(priority=10)
def drain_outbox() -> dict[str, int | str]:
    """Apply every waiting outbox entry; what was applied, what waits, and the engine's error."""
    applied, waiting, error = sync.drain()
    return {"applied": applied, "waiting": waiting, "error": error}


@task()
def purge_search_logs() -> dict[str, int]:
    """Forget searches and feedback older than ``SEARCH_LOG_RETENTION_DAYS`` (search.retention)."""
    searches, feedback = retention.purge()
    return {"searches": searches, "feedback": feedback}


@task(priority=5)
def flush_search_log() -> dict[str, int]:
    """Write the searches and clicks buffered since the last flush (search.analytics)."""
    return {"written": analytics.flush()}
