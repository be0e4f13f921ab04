"""Email reminders the evening before a collection, with double opt-in.

A resident gives an email address on their bin-day page; that writes a ``Reminder`` and puts a
confirmation email in the e-forms outbox (sent by the worker once the request's transaction
commits). Only a confirmed reminder is ever sent, from the daily ``bin-reminders`` job, and each
one ends with the link that stops it. The address itself is never logged.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eforms.api import queue_email
from eforms.models import AddressPoint

from .models import Reminder, new_token
from .schedule import Calendar, collected_on


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def subscribe(address: AddressPoint, email: str, language: str) -> Reminder:
    """Ask for a reminder: the confirmation email goes, nothing else until it is confirmed.

    Asking again for a home already confirmed sends nothing new (no mail bombing through the
    form); asking again before confirming sends a fresh link.
    """
    email = email.strip()
    with transaction.atomic():
        reminder, created = Reminder.objects.select_for_update().get_or_create(
            uprn=address.uprn, email__iexact=email, defaults={"email": email, "language": language}
        )
        if reminder.confirmed_at is not None:
            return reminder
        if not created:
            reminder.token = new_token()
            reminder.save(update_fields=["token"])
        with translation.override(language):
            link = absolute(reverse("bins:confirm", kwargs={"token": reminder.token}))
            body = "\n\n".join(
                [
                    _("You asked for an email the evening before bin collections at %(address)s.")
                    % {"address": str(address)},
                    _("Confirm that you want these reminders:") + "\n" + link,
                    _(
                        "If you did not ask for this, ignore this email and you will get nothing more."
                    ),
                ]
            )
            queue_email(email, _("Confirm your bin collection reminders"), body)
    return reminder


def confirm(token: str) -> Reminder | None:
    reminder = Reminder.objects.filter(token=token).first()
    if reminder is not None and reminder.confirmed_at is None:
        reminder.confirmed_at = timezone.now()
        reminder.save(update_fields=["confirmed_at"])
    return reminder


def unsubscribe(token: str) -> bool:
    """Stop the reminder with this link's token; False when there is none (already stopped)."""
    deleted, _counts = Reminder.objects.filter(token=token).delete()
    return bool(deleted)


def send_due(today: datetime.date | None = None) -> int:
    """Queue tomorrow's reminders (each home and address once per collection day): how many."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    calendar = Calendar()
    reminders = Reminder.objects.filter(confirmed_at__isnull=False).exclude(
        last_sent_for__gte=tomorrow
    )
    addresses = {
        point.uprn: point
        for point in AddressPoint.objects.filter(uprn__in={r.uprn for r in reminders})
    }
    sent = 0
    for reminder in reminders:
        address = addresses.get(reminder.uprn)
        if address is None:
            continue
        due = collected_on(address, tomorrow, calendar)
        if not due:
            continue
        with transaction.atomic(), translation.override(reminder.language):
            stop = absolute(reverse("bins:unsubscribe", kwargs={"token": reminder.token}))
            lines = [
                _("Tomorrow's bin collections at %(address)s:") % {"address": str(address)},
                "\n".join(collection.sentence() for collection in due),
                _("Put your bins out tonight or by 7am tomorrow, with the lids shut."),
                _("Stop these reminders:") + "\n" + stop,
            ]
            queue_email(reminder.email, _("Bin collection tomorrow"), "\n\n".join(lines))
            reminder.last_sent_for = tomorrow
            reminder.save(update_fields=["last_sent_for"])
        sent += 1
    return sent
