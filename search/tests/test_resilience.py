"""Elasticsearch goes away: nothing is lost, search still answers, and sync catches up.

Uses the harness's ``elasticsearch_node`` fixture (a real node it can stop and start).
"""

import datetime

import pytest
from django.core.management import call_command
from wagtail.models import Page

from cms.models import ContentPage
from core.models import DeliveryUnit
from search import engines, service
from search.models import OutboxEntry
from search.service import SearchRequest

pytestmark = pytest.mark.elasticsearch


@pytest.fixture
def node(request):
    try:
        return request.getfixturevalue("elasticsearch_node")
    except pytest.FixtureLookupError:
        pytest.skip("the harness's elasticsearch_node fixture is not available")


@pytest.fixture
def stoppable_es(node, settings):
    import uuid

    settings.ELASTICSEARCH_URL = node.url
    settings.ELASTICSEARCH_INDEX_PREFIX = f"resilience-{uuid.uuid4().hex[:8]}"
    yield node
    if not node.running:
        node.start()
    engines.elasticsearch_engine().drop()


def make_service(name):
    from directory.models import Organization, Service

    organization = Organization.objects.create(
        name="Northbrook Community Trust",
        description="A local charity.",
        provider_type=Organization.ProviderType.choices[0][0],
    )
    return Service.objects.create(
        organization=organization, name=name, description="Warm meals on weekdays."
    )


def find(text):
    outcome = service.search(SearchRequest(text=text), log=False)
    return outcome, [hit.title for hit in outcome.hits]


def test_changes_made_while_elasticsearch_is_down_arrive_when_it_returns(stoppable_es):
    parent = Page.get_first_root_node().get_children().first()
    unit = DeliveryUnit.objects.get_or_create(slug="housing", defaults={"name": "Housing"})[0]
    lunch = make_service("Lunch club")
    call_command("search_rebuild", "--no-progress")
    assert find("lunch")[0].engine == "elasticsearch"

    stoppable_es.stop()
    page = ContentPage(
        title="Allotment waiting list",
        slug="allotments",
        summary="Join the list for a plot.",
        body=[("text", "<p>Plots are let every spring.</p>")],
        delivery_unit=unit,
        review_by=datetime.date(2030, 1, 1),
        live=False,
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    lunch.name = "Community lunch club"
    lunch.save()
    call_command("search_sync")  # Elasticsearch is down: entries are kept
    assert OutboxEntry.objects.count() >= 2

    outcome, titles = find("allotment")
    assert outcome.engine == "embedded" and outcome.notice  # the fallback answers, and says so
    assert "Allotment waiting list" in titles

    stoppable_es.start()
    engines.mark_up()  # don't wait out the circuit breaker in a test
    call_command("search_sync")
    assert not OutboxEntry.objects.exists()
    outcome, titles = find("allotment")
    assert outcome.engine == "elasticsearch" and "Allotment waiting list" in titles
    assert "Community lunch club" in find("community lunch")[1]
    call_command("search_check")  # raises CommandError on drift
