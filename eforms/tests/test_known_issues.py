"""The "already reported nearby" check: open requests within the form's radius, and no further."""

import math

import pytest

from eforms import builders as b
from eforms.models import FormDefinition, Submission
from eforms.services import known_issues

from .conftest import make_form

pytestmark = pytest.mark.django_db

PIN = (51.53, -0.1)
METRES_PER_DEGREE = 6371008.8 * math.pi / 180


def offset(north_m: float, east_m: float) -> tuple[float, float]:
    """A point this many metres north and east of PIN (flat-earth, fine over tens of metres)."""
    lat = PIN[0] + north_m / METRES_PER_DEGREE
    lon = PIN[1] + east_m / (METRES_PER_DEGREE * math.cos(math.radians(PIN[0])))
    return lat, lon


def reported_at(
    form: FormDefinition, reference: str, point: tuple[float, float], **fields: object
) -> None:
    Submission.objects.create(
        reference=reference,
        form=form,
        form_title=form.title,
        latitude=point[0],
        longitude=point[1],
        **fields,
    )


def test_open_reports_within_the_radius_are_found_and_no_others(unit):
    form = make_form(
        unit,
        slug="pothole",
        pages=[b.page("where", b.q("location", "location", "Where is it?"))],
        known_issue_check="nearby",
        known_issue_field="location",
        known_issue_radius_m=30,
    )
    reported_at(form, "RPT-NEAR", offset(20, 15))  # 25 m away
    reported_at(form, "RPT-EDGE", offset(0, -29))  # 29 m west
    reported_at(form, "RPT-FAR", offset(0, 32))  # 32 m east: outside
    reported_at(form, "RPT-NORTH", offset(31, 0))  # 31 m north: outside
    reported_at(form, "RPT-DONE", offset(5, 5), status=Submission.RESOLVED)
    answers = {"location": {"latitude": PIN[0], "longitude": PIN[1], "description": ""}}
    found = {submission.reference for submission in known_issues(form, answers)}
    assert found == {"RPT-NEAR", "RPT-EDGE"}
