"""Bin collections' background work: the evening reminders (the ``bin-reminders`` job, daily)."""

from django_tasks import task

from . import reminders


@task()
def send_reminders() -> dict[str, int]:
    """Queue tomorrow's reminders in the outbox; the outbox's own task sends them."""
    return {"queued": reminders.send_due()}
