"""Issue 17: a search reads the database as little as it can: at most three statements.

The engine's own work is one statement on the embedded engine (matches, counts and facets) and
one for the page's highlights; none on Elasticsearch. A "did you mean" is checked with one more
(counted, not fetched). Nothing else: the search limit counts in memory (test_throttle), the
query log is buffered (test_analytics), and whether the words have promoted results is known in
memory (search.promotions) until an editor changes one.
"""

import pytest
from wagtail.contrib.search_promotions.models import Query as PromotedQuery
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page

from .documents import council

pytestmark = pytest.mark.django_db

STATEMENTS = {"embedded": 2, "elasticsearch": 0}


@pytest.fixture
def council_indexed(engine, load):
    load(council())
    return engine


def search(client, text: str) -> dict:
    response = client.get("/api/v1/search/", {"q": text})
    assert response.status_code == 200
    return response.json()


def test_a_search_costs_the_engine_its_statements_and_nothing_more(
    client, council_indexed, django_assert_max_num_queries
):
    search(client, "bins")  # each process reads its vocabulary and promotions once
    with django_assert_max_num_queries(STATEMENTS[council_indexed.name]):
        found = search(client, "pay council tax")
    assert found["results"][0]["title"] == "Pay your council tax"


def test_did_you_mean_costs_one_statement_more_at_most(
    client, council_indexed, django_assert_max_num_queries
):
    search(client, "bins")
    with django_assert_max_num_queries(STATEMENTS[council_indexed.name] + 1):
        found = search(client, "councel tax")
    assert found["suggestion"] == "council tax"
    assert found["results"], "the misspelt words still find Council Tax"


def test_an_editors_new_promotion_shows_at_once_in_the_process_that_saved_it(
    client, council_indexed
):
    assert not any(hit.get("promoted") for hit in search(client, "council tax")["results"])
    home = Page.get_first_root_node().get_children().first()
    SearchPromotion.objects.create(
        query=PromotedQuery.get("council tax"), page=home, description="Start here.", sort_order=0
    )
    first = search(client, "Council tax")["results"][0]
    assert first["promoted"] is True and first["title"] == home.title
    SearchPromotion.objects.all().delete()
    assert not any(hit.get("promoted") for hit in search(client, "council tax")["results"])
