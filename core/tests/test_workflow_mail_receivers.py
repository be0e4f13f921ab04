"""Wagtail's workflow emails are sent by the worker whatever the order of INSTALLED_APPS.

``core.workflow_mail.connect`` takes the places of Wagtail's sending receivers (same senders,
same ``dispatch_uid``s). It used to rely on ``core`` being ready before ``wagtail.admin``: had
Wagtail connected first, its receivers kept their places and mailed inside the request.
"""

from wagtail.admin import signal_handlers as wagtail_mail

from core import workflow_mail


def receivers():
    """The receivers of each workflow signal for its sender."""
    found = {}
    for kind, (signal, sender, _uid, _notifier) in workflow_mail.NOTIFICATIONS.items():
        sync, _async = signal._live_receivers(sender)
        found[kind] = sync
    return found


def only_ours(found):
    return all(
        len(listening) == 1 and isinstance(listening[0], workflow_mail.DeferredNotification)
        for listening in found.values()
    )


def test_the_worker_sends_them_as_the_site_starts():
    assert only_ours(receivers())


def test_they_are_the_workers_even_when_wagtail_connected_its_receivers_first():
    for signal, sender, uid, _notifier in workflow_mail.NOTIFICATIONS.values():
        signal.disconnect(sender=sender, dispatch_uid=uid)
    wagtail_mail.register_signal_handlers()  # Wagtail first: its senders hold the places
    try:
        workflow_mail.connect()
        assert only_ours(receivers())
    finally:
        workflow_mail.connect()
