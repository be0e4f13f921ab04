"""The scale-out test's data, written by a ``manage.py shell`` on the test's own database.

Why a separate process: the scale-out test (tests/test_scale_out.py) runs its servers on a
PostgreSQL database of their own, not the test session's, so the rows are made by a process
connected to it, with the project's factories (bench/final_submit_relay.py uses it too). ``seed`` makes a home page, a form with no staff
addresses (one acknowledgement per submission, nothing else in the mail) and some published
content pages; ``edit`` is the editor who, during the burst, retitles those pages and publishes
one more. Both print one JSON line for the test to read.
"""

from __future__ import annotations

import datetime
import json

from django.db import transaction

from cms.models import ContentPage
from core.models import DeliveryUnit
from eforms.tests.conftest import make_form
from tests.site import fresh_home_page

FORM_SLUG = "scale-out-report"
REVIEW_BY = datetime.date(2030, 1, 1)


def _page(parent: ContentPage, unit: DeliveryUnit, title: str, slug: str) -> ContentPage:
    page = parent.add_child(
        instance=ContentPage(
            title=title,
            slug=slug,
            summary=f"About {title.lower()}.",
            body=[{"type": "text", "value": f"<p>{title}.</p>"}],
            delivery_unit=unit,
            review_by=REVIEW_BY,
            live=False,
        )
    )
    page.save_revision().publish()
    return page


@transaction.atomic
def seed(titles: list[str], notify_emails: str = "") -> None:
    """The home page, the form (alerting ``notify_emails``, one a line), one page per title."""
    home = fresh_home_page()
    unit = DeliveryUnit.objects.create(name="Parks", slug="parks")
    make_form(unit, slug=FORM_SLUG, notify_emails=notify_emails)
    pages = [_page(home, unit, title, f"page-{number}") for number, title in enumerate(titles)]
    print(json.dumps({"form": FORM_SLUG, "pages": [page.pk for page in pages]}))


def edit(retitles: dict[int, str], new_title: str) -> None:
    """Retitle and publish each page, one transaction each as in the admin; then a new page."""
    for pk, title in retitles.items():
        with transaction.atomic():
            page = ContentPage.objects.get(pk=pk)
            page.title = title
            page.summary = f"About {title.lower()}."
            page.body = [{"type": "text", "value": f"<p>{title}.</p>"}]
            page.save_revision().publish()
    with transaction.atomic():
        first = ContentPage.objects.get(pk=next(iter(retitles)))
        home = first.get_parent().specific
        new = _page(home, first.delivery_unit, new_title, "page-new")
    print(json.dumps({"new": new.pk}))
