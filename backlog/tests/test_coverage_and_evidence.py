import pytest
from django.urls import reverse

from backlog.models import DemandRecord, PageFeedback
from backlog.stories import coverage, is_delivered

pytestmark = pytest.mark.django_db


def test_story_linked_to_a_live_journey_is_delivered_and_a_draft_is_not(make_story, make_journey):
    live = make_story("Missed bins")
    draft_only = make_story("Bulky waste")
    make_story("Nothing linked")
    live.pages.add(make_journey("report-a-missed-bin"))
    draft_only.pages.add(make_journey("book-bulky-waste", publish=False))

    assert is_delivered(live) and not is_delivered(draft_only)
    row = next(r for r in coverage() if r["persona"].slug == "report-and-transact")
    assert [s.story for s in row["delivered"]] == ["Missed bins"]
    assert {s.story for s in row["not_delivered"]} == {"Bulky waste", "Nothing linked"}


def test_coverage_page(client, people, make_story, make_journey):
    make_story("Missed bins").pages.add(make_journey("report-a-missed-bin"))
    client.force_login(people["editor"])
    html = client.get(reverse("backlog_admin:coverage")).content.decode()
    assert "Report &amp; transact: 1 of 1 delivered" in html


def test_zero_result_search_matching_a_story_appears_in_its_evidence(client, people, make_story):
    from search.models import QueryLog

    QueryLog.objects.create(
        query="mother care help", locale="en", result_count=0, engine="database"
    )
    QueryLog.objects.create(query="council tax", locale="en", result_count=12, engine="database")
    story = make_story(
        "How can I get help for my mother?",
        unit="adults-and-communities",
        persona="cusp-of-care",
        key_phrases="my mother",
    )
    client.force_login(people["editor"])
    response = client.get(reverse("backlog_admin:story", args=[story.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "mother care help" in html and "Zero results" in html
    assert "council tax" not in html


def test_evidence_shows_feedback_on_linked_pages_and_demand_by_channel(
    client, people, make_story, make_journey, units
):
    import datetime

    journey = make_journey("report-a-missed-bin")
    story = make_story("My bin wasn't emptied")
    story.pages.add(journey)
    PageFeedback.objects.create(page=journey, useful=False, comment="The map did not load")
    PageFeedback.objects.create(page=journey, useful=True)
    for channel, count in (("phone", 900), ("web", 2100)):
        DemandRecord.objects.create(
            service="Missed bins",
            delivery_unit=units["street-scene"],
            channel=channel,
            month=datetime.date(2025, 3, 1),
            count=count,
        )
    client.force_login(people["owner"])
    html = client.get(reverse("backlog_admin:story", args=[story.pk])).content.decode()
    assert "The map did not load" in html
    assert "Satisfaction 50%" in html
    assert "<td>phone</td><td>900</td>" in html and "<td>web</td><td>2100</td>" in html
