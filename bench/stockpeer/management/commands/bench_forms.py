"""Set-up and checks for ``bench/forms_flow.py``, run inside the benchmark's own server settings.

manage.py bench_forms load            # the stock peers: a FormPage and a StreamField page
manage.py bench_forms drafts 2000     # drafts ready to send, one session each (keys on stdout)
manage.py bench_forms count           # submissions stored by Signpost and by the peer
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client
from django.utils.module_loading import import_string
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Page, Site

from bench.stockpeer.models import StockFormField, StockFormPage, StockStreamPage
from eforms.models import Draft, FormDefinition, Submission
from journeys.models import JourneyPage

FORM = "missed-bin-report"
JOURNEY = "missed-bin"

# The same eight questions as Signpost's missed-bin report, all on one page.
STOCK_FIELDS = [
    ("Postcode", "singleline", "", True),
    ("Address line 1", "singleline", "", True),
    ("Town or city", "singleline", "", True),
    ("Which bin was missed", "radio", "General waste\nRecycling\nGarden waste\nFood waste", True),
    ("Did you put it out on time", "radio", "Yes\nNo", True),
    ("Full name", "singleline", "", True),
    ("Email address", "email", "", True),
    ("I agree to the privacy notice", "checkbox", "", True),
]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Command(BaseCommand):
    help = "Set up or check the form-flow benchmark (bench/forms_flow.py)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load", "drafts", "count", "found"])
        parser.add_argument("number", nargs="?", default="0")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load":
            self.load()
        elif action == "drafts":
            for key in self.drafts(int(options["number"])):
                self.stdout.write(key)
        elif action == "found":
            # How many of the references in a file (one per line) were stored.
            with open(options["number"]) as listing:
                references = {line.strip() for line in listing if line.strip()}
            self.stdout.write(str(Submission.objects.filter(reference__in=references).count()))
        else:
            self.stdout.write(f"{Submission.objects.count()} {FormSubmission.objects.count()}")

    def load(self) -> None:
        root = Site.objects.get(is_default_site=True).root_page.specific
        if not StockFormPage.objects.exists():
            form = StockFormPage(title="Report a missed bin (stock)", slug="stock-form")
            root.add_child(instance=form)
            for order, (label, kind, choices, required) in enumerate(STOCK_FIELDS):
                StockFormField.objects.create(
                    page=form,
                    sort_order=order,
                    label=label,
                    field_type=kind,
                    choices=choices,
                    required=required,
                )
            form.save_revision().publish()
        if not StockStreamPage.objects.exists():
            journey = JourneyPage.objects.live().get(slug=JOURNEY, locale__language_code="en-gb")
            body = []
            for step in journey.steps:
                body.append(("heading", step.value["title"]))
                if step.value["body"]:
                    body.append(("paragraph", step.value["body"]))
            page = StockStreamPage(title=journey.title, slug="stock-journey", body=body)
            root.add_child(instance=page)
            page.save_revision().publish()
        self.stdout.write(
            f"{Page.objects.get(slug='stock-form').url} {Page.objects.get(slug='stock-journey').url}"
        )

    def drafts(self, number: int) -> list[str]:
        """``number`` drafts at "Check your answers", each in its own session.

        One resident's answers are given through the real pages first, so every draft holds
        exactly what a resident's would; the rest are copies with their own token and address.
        """
        if number < 1:
            raise CommandError("Say how many drafts, e.g. bench_forms drafts 2000.")
        client = Client(HTTP_HOST="127.0.0.1")
        base = f"/forms/{FORM}"

        def post(path: str, data: dict[str, str]) -> None:
            page = client.get(path)
            token = CSRF.search(page.content.decode()).group(1)
            response = client.post(path, {"csrfmiddlewaretoken": token, **data})
            if response.status_code != 302:
                raise CommandError(f"{path} answered {response.status_code}")

        if (
            client.get(f"{base}/").status_code != 200
            or client.post(f"{base}/start/").status_code != 302
        ):
            raise CommandError(f"{base}/ could not be started")
        post(
            f"{base}/page/address/",
            {
                "address-postcode": "NB9 9ZZ",
                "address-line_1": "1 Bench Street",
                "address-town": "Northbrook",
            },
        )
        post(f"{base}/page/bin/", {"bin_type": "general"})
        post(f"{base}/page/put_out/", {"put_out_on_time": "yes"})
        post(
            f"{base}/page/contact/",
            {"full_name": "Bench Resident", "email": "bench@resident.example", "consent": "yes"},
        )
        model = Draft.objects.filter(submitted_at__isnull=True).latest("pk")
        form = FormDefinition.objects.get(pk=model.form_id)
        store_class: type[SessionBase] = import_string(settings.SESSION_ENGINE + ".SessionStore")
        keys = []
        for n in range(number):
            answers = dict(model.answers)
            answers["address"] = {**answers["address"], "line_1": f"{n} Bench Street"}
            draft = Draft.objects.create(
                form=form,
                answers=answers,
                pages_seen=model.pages_seen,
                last_page=model.last_page,
            )
            session = store_class()
            session[f"eforms:draft:{form.translation_key}"] = draft.token
            session.create()
            keys.append(session.session_key)
        return keys
