"""Residents' reports that a listing is wrong: kept for the owning unit, who is told by email,
and the reporter answered when they asked for a reply.

The report, the email to the owning unit and the acknowledgement are written in one
transaction; nothing is sent inside the resident's request. Mail goes through a mailer the site
registers (``register_mailer``): Signpost's is the e-forms outbox, which the background worker
sends with retries. The directory and e-forms are on the same floor and never import each
other, so the site, which sits above both, connects them (``CmsConfig.ready``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.permissions import CENTRAL_WEB_TEAM
from core.ratelimit import RateLimit, client_address

from .models import ListingProblem, Service
from .translation import english_words, localise

# (to, subject, body): queue one email to be sent after the transaction commits.
Mailer = Callable[[str, str, str], None]
_mailer: Mailer | None = None

# Reports allowed per client address per window, like the e-forms' limits.
DEFAULT_RATE_LIMIT = (10, 60 * 60)


def register_mailer(mailer: Mailer) -> None:
    """Called by the site (from an AppConfig.ready) with the function that queues an email."""
    global _mailer
    _mailer = mailer


def queue_email(to: str, subject: str, body: str) -> None:
    """Queue an email through the registered mailer (the worker sends it)."""
    if _mailer is None:
        raise ImproperlyConfigured(
            "No mailer is registered for the directory: call directory.api.register_mailer."
        )
    _mailer(to, subject, body)


def may_report(request: HttpRequest) -> bool:
    """Count one report from this address; False once it has sent too many this window."""
    count, seconds = getattr(settings, "DIRECTORY_REPORT_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    allowed: bool = RateLimit("directory-report", count, seconds).hit(client_address(request))
    return allowed


def owner_addresses(service: Service) -> list[str]:
    """Who hears about a report: the owning unit's contact address, else its members, else the
    central web team (a listing with no owner still reaches someone who can fix it)."""
    unit = service.owner
    if unit is not None and unit.contact_email:
        return [unit.contact_email]
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if unit is not None:
        members = list(users.filter(delivery_units=unit).values_list("email", flat=True))
        if members:
            return sorted(set(members))
    return sorted(set(users.filter(groups__name=CENTRAL_WEB_TEAM).values_list("email", flat=True)))


def _absolute(path: str, request: HttpRequest | None) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    base: str = settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + path


def _admin_path(problem: ListingProblem) -> str:
    return reverse("wagtailsnippets_directory_listingproblem:edit", args=[problem.pk])


def report(
    service: Service,
    *,
    kind: str,
    details: str,
    reporter_email: str,
    request: HttpRequest | None = None,
) -> ListingProblem:
    """Store a report, tell the owning unit, and acknowledge it to the reporter if they gave an
    email address (they are asked only when they want a reply)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        problem = ListingProblem.objects.create(
            service=service,
            kind=kind,
            details=details,
            reporter_email=reporter_email,
            language=language,
        )
        with translation.override(settings.LANGUAGE_CODE):
            # The resident may have seen the listing in their language; staff read its own words.
            _tell_owner(problem, english_words(service, "name"), request)
        if reporter_email:
            with translation.override(language):
                _acknowledge(problem, request)
    return problem


def _tell_owner(problem: ListingProblem, name: str, request: HttpRequest | None) -> None:
    service = problem.service
    reply = (
        "They asked for a reply: we will email them when you mark the report resolved."
        if problem.reporter_email
        else "They did not ask for a reply."
    )
    body = "\n\n".join(
        [
            f"Someone has reported a problem with the listing for {name}.",
            f"What is wrong: {problem.get_kind_display()}",
            f"What they told us: {problem.details or 'Nothing more.'}",
            reply,
            f"See the listing: {_absolute(service.get_url(), request)}",
            f"Check it and close the report in Signpost: {_absolute(_admin_path(problem), request)}",
        ]
    )
    for address in owner_addresses(service):
        queue_email(address, f"Problem reported with the listing for {name}", body)


def _acknowledge(problem: ListingProblem, request: HttpRequest | None) -> None:
    name = problem.service.name
    body = "\n\n".join(
        [
            _("Thank you for telling us about a problem with the listing for %(name)s.")
            % {"name": name},
            _(
                "The team that looks after this listing will check it. We will email you again "
                "when they have."
            ),
            _("You do not need to reply to this email."),
        ]
    )
    queue_email(
        problem.reporter_email,
        _("We have received your report about %(name)s") % {"name": name},
        body,
    )


@transaction.atomic
def tell_reporter_if_resolved(problem: ListingProblem, request: HttpRequest | None = None) -> bool:
    """Once staff mark a report resolved, email the reporter who asked for a reply (once)."""
    locked = ListingProblem.objects.select_for_update().select_related("service").get(pk=problem.pk)
    if (
        locked.status != ListingProblem.Status.RESOLVED
        or not locked.reporter_email
        or locked.reporter_told_at is not None
    ):
        return False
    with translation.override(locked.language or settings.LANGUAGE_CODE):
        (shown,) = localise([locked.service], locked.language)
        name = shown.name
        body = "\n\n".join(
            [
                _("Thank you for telling us about a problem with the listing for %(name)s.")
                % {"name": name},
                _("The team that looks after it has checked it and made any changes it needed."),
                _("See the listing: %(link)s")
                % {"link": _absolute(locked.service.get_url(), request)},
            ]
        )
        queue_email(
            locked.reporter_email,
            _("We have checked the listing for %(name)s") % {"name": name},
            body,
        )
    locked.reporter_told_at = timezone.now()
    locked.save(update_fields=["reporter_told_at"])
    return True
