"""E-forms' background work: sending the notifications outbox, and the nightly retention purge.

``send_notifications`` is enqueued when a submission or a status change commits its messages
(eforms/notifications.py ``queue``, through ``core.background.enqueue_on_commit``) and every
minute by the scheduler, which retries messages whose back-off has passed. The resident's
request only writes rows: whatever the mail server or GOV.UK Notify does, it never waits.
"""

from django_tasks import task

from . import notifications, retention


@task(priority=10)
def send_notifications() -> dict[str, int]:
    """Send every message that is due; how many went and how many failed this time."""
    sent, failed = notifications.drain()
    return {"sent": sent, "failed": failed}


@task(priority=-10)
def purge_expired() -> dict[str, int]:
    """Delete requests past their form's retention and expired drafts (``purge_submissions``)."""
    submissions, drafts = retention.purge()
    return {"submissions": submissions, "drafts": drafts}
