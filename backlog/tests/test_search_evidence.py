"""Searches count as evidence for a story only for a reason a product owner can check: residents
chose the story's pages or forms from the results, a search that found nothing holds one of its
key phrases (stemmed), or someone attached it by hand. A shared word ("help") is not a reason."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from backlog.evidence import search_evidence
from backlog.models import AttachedQuery
from core.permissions import PRODUCT_OWNER
from eforms.tests.factories import FormDefinitionFactory
from search import feedback
from search.models import QueryLog, SearchClick

pytestmark = pytest.mark.django_db

FALLS = "How can I get help to protect my parent from falls?"


def searched(query, results=0, times=1):
    logs = [
        QueryLog.objects.create(query=query, locale="en", result_count=results, engine="database")
        for _ in range(times)
    ]
    return logs[0]


def evidence_table(client, story):
    html = client.get(reverse("backlog_admin:story", args=[story.pk])).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    table = soup.select_one("table.story-searches")
    rows = {}
    for row in table.select("tbody tr") if table else []:
        rows[row.th.get_text(strip=True)] = " ".join(
            li.get_text(" ", strip=True) for li in row.select("ul.story-search-reasons li")
        )
    return rows, soup


@pytest.fixture
def falls_story(make_story):
    return make_story(
        FALLS, unit="adults-and-communities", persona="cusp-of-care", key_phrases="falls"
    )


def test_a_shared_word_is_not_evidence_but_a_candidate(client, people, falls_story, make_user):
    searched("domestic violence help", results=0, times=3)
    searched("falling at home", results=0)
    owner = make_user("adults-po", PRODUCT_OWNER, [falls_story.delivery_unit])
    client.force_login(owner)

    rows, soup = evidence_table(client, falls_story)
    assert "domestic violence help" not in rows
    assert rows == {"falling at home": "Found nothing; matches the key phrase \u201cfalls\u201d"}
    candidates = [
        th.get_text(strip=True) for th in soup.select("table.story-candidates th[scope=row]")
    ]
    assert candidates == ["domestic violence help"]


def test_stemmed_phrases_match_any_form_of_the_words(falls_story):
    falls_story.key_phrases = "falls\ngrab rails\ncity centre"
    falls_story.save()
    searched("falling at home")
    searched("fallen over")  # Snowball keeps "fallen": a word of its own
    searched("grab rail fitted")
    searched("rails")  # one word of the phrase is not enough
    searched("cities centres")  # "city" and "cities" are both "citi"
    searched("fall alarm", results=4)  # found something: not a gap in content
    found = {row["query"]: row["reasons"] for row in search_evidence(falls_story)}
    assert found == {
        "falling at home": [{"kind": "phrase", "phrase": "falls"}],
        "grab rail fitted": [{"kind": "phrase", "phrase": "grab rails"}],
        "cities centres": [{"kind": "phrase", "phrase": "city centre"}],
    }


def test_clicks_on_the_storys_pages_and_forms_are_evidence(
    client, people, make_story, make_journey
):
    journey = make_journey("report-a-missed-bin")
    form = FormDefinitionFactory(slug="missed-bin-report", title="Report a missed bin")
    story = make_story("My bin wasn't emptied", form_slugs="missed-bin-report")
    story.pages.add(journey)
    wheelie = searched("wheelie bin not collected", results=5, times=2)
    SearchClick.objects.create(log=wheelie, url=journey.url, position=1)
    SearchClick.objects.create(log=wheelie, url=journey.url, position=1)
    rubbish = searched("rubbish left", results=3)
    SearchClick.objects.create(log=rubbish, url="/forms/missed-bin-report/?from=search", position=2)
    other = searched("council tax", results=9)
    SearchClick.objects.create(log=other, url="/council-tax/", position=1)

    client.force_login(people["owner"])
    rows, soup = evidence_table(client, story)
    assert rows == {
        "wheelie bin not collected": f"Residents chose {journey.title} (2 times)",
        "rubbish left": f"Residents chose {form.title} (1 time)",
    }
    link = soup.select_one("table.story-searches a")
    assert link["href"] == journey.url


def test_attach_and_detach_by_hand_with_history(client, people, make_story):
    story = make_story("My bin wasn't emptied")
    searched("bin day changed", results=2, times=4)
    client.force_login(people["owner"])

    response = client.post(
        reverse("backlog_admin:attach_query", args=[story.pk]), {"query": "  Bin day CHANGED "}
    )
    assert response.status_code == 302
    rows, _soup = evidence_table(client, story)
    assert list(rows) == ["bin day changed"]
    assert rows["bin day changed"].startswith("Attached by street-po on ")
    assert story.changes.first().changes == {"searches": [None, "bin day changed"]}

    client.post(
        reverse("backlog_admin:detach_query", args=[story.pk]), {"query": "bin day changed"}
    )
    assert evidence_table(client, story)[0] == {}
    assert story.changes.first().reason == "Detached a search"


def test_only_logged_searches_can_be_attached_and_only_by_the_units_owner(
    client, people, make_story
):
    story = make_story("My bin wasn't emptied")
    searched("bin day changed")
    client.force_login(people["owner"])
    response = client.post(
        reverse("backlog_admin:attach_query", args=[story.pk]), {"query": "xylophone"}, follow=True
    )
    assert "Nobody has searched for \u201cxylophone\u201d" in response.content.decode()

    client.force_login(people["other_owner"])
    refused = client.post(
        reverse("backlog_admin:attach_query", args=[story.pk]), {"query": "bin day changed"}
    )
    assert refused.status_code in (302, 403)
    assert refused.get("Location") != reverse("backlog_admin:story", args=[story.pk])
    assert not AttachedQuery.objects.exists()


def test_what_residents_told_us_after_a_weak_search_is_evidence(
    client, people, falls_story, make_user
):
    feedback.record(
        text="Exercise classes so my dad stops falling, email me at sam@example.com",
        query="classes for falls",
        locale="en-gb",
        result_count=0,
    )
    feedback.record(text="wedding parking", query="parking", locale="en-gb", result_count=1)
    owner = make_user("adults-po-told", PRODUCT_OWNER, [falls_story.delivery_unit])
    client.force_login(owner)
    html = client.get(reverse("backlog_admin:story", args=[falls_story.pk])).content.decode()
    table = BeautifulSoup(html, "html.parser").select_one("table.story-told-us")
    assert table is not None
    rows = [row.th.get_text(strip=True) for row in table.select("tbody tr")]
    assert rows == ["exercise classes so my dad stops falling, email me at [email]"]
    assert "falls" in table.get_text()
