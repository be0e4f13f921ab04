"""Report forms whose routes or show-if conditions refer to a question, answer or page that is
not there.

The form editor refuses such a form on save, but forms saved before it checked (or changed by
a data import) may still hold one: a route that never fires, or a question hidden for ever.
The migration that introduced the check mended differences of case; this lists the rest, each
with the form's editor address, so someone can fix them. Exits 1 when anything needs fixing.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from eforms import logic
from eforms.models import FormDefinition


class Command(BaseCommand):
    help = "List forms whose routes or conditions refer to something missing; exit 1 if any."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = 0
        for form in FormDefinition.objects.select_related("locale").order_by("title", "pk"):
            found = logic.problems(logic.read(form.pages))
            if not found:
                continue
            broken += 1
            edit = reverse("wagtailsnippets_eforms_formdefinition:edit", args=[form.pk])
            self.stdout.write(f"{form.title} ({form.locale.language_code}) {edit}")
            for problem in found:
                self.stdout.write(f"  - {problem.message}")
        if broken:
            raise CommandError(f"{broken} form(s) have routes or conditions to fix.")
        self.stdout.write(
            "Every form's routes and conditions refer to questions, answers and pages it has."
        )
