"""E-forms' background work: sending the notifications outbox, checking uploads for viruses, and
the nightly retention purge.

``send_notifications`` is enqueued when a submission or a status change commits its messages
(eforms/notifications.py ``queue``, through ``core.background.enqueue_on_commit``) and every
minute by the scheduler, which retries messages whose back-off has passed. The resident's
request only writes rows: whatever the mail server or GOV.UK Notify does, it never waits.
"""

from django_tasks import task

from . import notifications, retention, scanning


@task(priority=10)
def send_notifications() -> dict[str, int]:
    """Send every message that is due; how many went and how many failed this time."""
    sent, failed = notifications.drain()
    return {"sent": sent, "failed": failed}


@task(priority=5)
def scan_uploads() -> dict[str, int]:
    """Check residents' new files for viruses before staff can open them (eforms/scanning.py).

    Enqueued when a file is stored, and every few minutes by the scheduler, which retries files
    still waiting because the scanner could not be reached."""
    run = scanning.scan_waiting()
    return {
        "clean": run.clean,
        "infected": run.infected,
        "waiting": run.waiting,
        "not_checked": run.not_checked,
    }


@task(priority=-10)
def purge_expired() -> dict[str, int]:
    """Delete requests past retention with everything about them, expired drafts and old
    messages, and warn units about open requests nearing their maximum age
    (``purge_submissions``, eforms/retention.py)."""
    purged = retention.purge()
    return {
        "submissions": purged.submissions,
        "drafts": purged.drafts,
        "messages": purged.messages,
        "warned": purged.warned,
    }
