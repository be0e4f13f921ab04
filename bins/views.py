"""Residents' bin-day pages: find the address, see the next collections, get a calendar or a
reminder. Plain GET forms and POSTs, so every step works without JavaScript."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.ratelimit import RateLimit, client_address
from eforms.api import get_form, start_url
from eforms.models import AddressPoint

from . import reminders
from .forms import AddressForm, PostcodeForm, ReminderForm
from .ical import feed
from .schedule import collections, next_collections
from .today import MISSED_BIN_FORM, collection_day_text

# Requests for reminder emails per address an hour: enough for a household, not for a script.
REMINDER_REQUESTS_PER_HOUR = 10


def check(request: HttpRequest) -> HttpResponse:
    """Postcode, then the addresses there, then the address's page (all GET)."""
    context: dict[str, object] = {}
    if "postcode" not in request.GET:
        context["postcode_form"] = PostcodeForm()
        return render(request, "bins/check.html", context)
    postcode_form = PostcodeForm(request.GET)
    context["postcode_form"] = postcode_form
    if not postcode_form.is_valid():
        context["errors"] = postcode_form
        return render(request, "bins/check.html", context)
    postcode = postcode_form.cleaned_data["postcode"]
    addresses = list(AddressPoint.objects.filter(postcode=postcode))
    context.update(postcode=postcode, addresses=addresses)
    if not addresses:
        return render(request, "bins/check.html", context)
    # "Show my bin days" (not "Find address") asks for the chosen address, even if none is.
    chosen = "show" in request.GET or "uprn" in request.GET
    address_form = AddressForm(request.GET if chosen else None, addresses=addresses)
    context["address_form"] = address_form
    if chosen and address_form.is_valid():
        return redirect("bins:address", uprn=address_form.cleaned_data["uprn"])
    if chosen:
        context["errors"] = address_form
    return render(request, "bins/check.html", context)


def _address_or_404(uprn: str) -> AddressPoint:
    address = AddressPoint.objects.filter(uprn=uprn).first()
    if address is None:
        raise Http404(_("We do not know that address"))
    return address


def _missed_bin_url(request: HttpRequest) -> str:
    form = get_form(MISSED_BIN_FORM, translation.get_language())
    return start_url(form, request) if form is not None else ""


def address(
    request: HttpRequest, uprn: str, reminder_form: ReminderForm | None = None
) -> HttpResponse:
    home = _address_or_404(uprn)
    today = timezone.localdate()
    nexts = next_collections(home, today)
    return render(
        request,
        "bins/address.html",
        {
            "address": home,
            "collections": nexts,
            "today_date": today,
            "today_text": collection_day_text(home) if nexts else "",
            "missed_bin_url": _missed_bin_url(request),
            "reminder_form": reminder_form or ReminderForm(),
            "errors": reminder_form if reminder_form is not None and reminder_form.errors else None,
        },
        status=400 if reminder_form is not None and reminder_form.errors else 200,
    )


def calendar(request: HttpRequest, uprn: str) -> HttpResponse:
    home = _address_or_404(uprn)
    body = feed(
        _("Bin collections at %(address)s") % {"address": home.line_1},
        f"bins-{home.uprn}@{request.get_host().split(':')[0]}",
        collections(home, timezone.localdate()),
        timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bins-{home.uprn}.ics"'
    return response


@require_http_methods(["POST"])
def remind(request: HttpRequest, uprn: str) -> HttpResponse:
    home = _address_or_404(uprn)
    form = ReminderForm(request.POST)
    if not form.is_valid():
        return address(request, uprn, reminder_form=form)
    limit = RateLimit("bin-reminders", REMINDER_REQUESTS_PER_HOUR, 3600)
    if not limit.hit(client_address(request)):
        return render(request, "bins/too_many.html", {"address": home}, status=429)
    reminders.subscribe(home, form.cleaned_data["email"], translation.get_language())
    return render(request, "bins/check_email.html", {"address": home})


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the first email. A GET shows a button: mail scanners that open links must not
    start reminders nobody asked for."""
    if request.method == "POST":
        reminder = reminders.confirm(token)
        if reminder is None:
            raise Http404(_("That link has expired"))
        return render(request, "bins/confirmed.html", {"address": _address_or_404(reminder.uprn)})
    return render(request, "bins/confirm.html", {"token": token, "action": "confirm"})


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        reminders.unsubscribe(token)
        return render(request, "bins/stopped.html")
    return render(request, "bins/confirm.html", {"token": token, "action": "stop"})


def collections_api(request: HttpRequest, uprn: str) -> JsonResponse:
    """The next collection of each bin, and whether today is a collection day, for front ends
    (and the missed-bin form's own checks)."""
    home = AddressPoint.objects.filter(uprn=uprn).first()
    if home is None:
        return JsonResponse({"error": "We do not know that address."}, status=404)
    today = timezone.localdate()
    nexts = next_collections(home, today)
    return JsonResponse(
        {
            "uprn": home.uprn,
            "address": str(home),
            "today": today.isoformat(),
            "collected_today": [c.bin_type for c in nexts if c.date == today],
            "next": [
                {
                    "bin_type": c.bin_type,
                    "bin": c.bin_name,
                    "date": c.date.isoformat(),
                    "usual_date": c.usual_date.isoformat(),
                    "changed_because": c.reason,
                }
                for c in nexts
            ],
            "calendar": request.build_absolute_uri(reverse("bins:calendar", args=[home.uprn])),
        }
    )
