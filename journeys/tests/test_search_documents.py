"""Pages as search documents, a batch at a time (issue 17: a rebuild at 2,000 documents/s).

A rebuild used to ask Wagtail two or three SQL statements per page (view restrictions, site
root paths); now a batch shares them. The same answers must come out: the same documents, and
nothing behind a view restriction — which journeys and persona pages never checked before.
"""

import pytest
from wagtail.models import PageViewRestriction

from search.registry import current_documents, registration_for
from tests.tasks import run_queued_tasks

from .factories import two_steps


def _documents():
    return {document.id: document for document in current_documents()}


def test_a_batch_gives_the_same_documents_as_one_page_at_a_time(
    make_journey, content_page, persona_page
):
    journeys = [
        make_journey(f"missed-bin-{n}", steps=two_steps(), topics=["bins"]) for n in range(3)
    ]
    page = content_page()
    for obj in [*journeys, page, persona_page]:
        registration = registration_for(type(obj))
        one = registration.to_document(obj)
        (batched,) = registration.to_documents([obj])
        assert batched == one
        assert batched.fingerprint() == one.fingerprint()
    documents = _documents()
    journey = documents[f"page:{journeys[0].pk}"]
    assert journey.url == "/report-and-transact/missed-bin-0/"
    assert journey.topics == ["bins"] and journey.personas == ["report-and-transact"]
    assert "Tell us about the missed bin" in journey.body


def test_building_documents_takes_the_same_statements_for_ten_journeys_as_for_one(
    make_journey, content_page, django_assert_max_num_queries
):
    make_journey("missed-bin-0")
    content_page("recycling-0")
    list(current_documents())  # fills the caches (site root paths) a first call reads
    with django_assert_max_num_queries(40) as one:
        few = list(current_documents())
    for n in range(1, 10):
        make_journey(f"missed-bin-{n}")
        content_page(f"recycling-{n}")
    list(current_documents())
    with django_assert_max_num_queries(len(one.captured_queries)) as many:
        more = list(current_documents())
    assert len(more) == len(few) + 18
    assert len(many.captured_queries) == len(one.captured_queries)


@pytest.mark.parametrize("restricted", ["journey", "section"])
def test_pages_behind_a_view_restriction_are_not_findable(
    make_journey, content_page, persona_page, restricted
):
    journey = make_journey("council-staff-parking")
    section = content_page("staff-area")
    inner = content_page("staff-handbook", parent=section)
    open_page = content_page("recycling-rules")
    protected = journey if restricted == "journey" else section
    PageViewRestriction.objects.create(
        page=protected, restriction_type=PageViewRestriction.PASSWORD, password="staff"
    )
    run_queued_tasks()
    found = _documents()
    assert f"page:{open_page.pk}" in found and f"page:{persona_page.pk}" in found
    if restricted == "journey":
        assert f"page:{journey.pk}" not in found
        assert f"page:{section.pk}" in found
    else:
        assert f"page:{section.pk}" not in found and f"page:{inner.pk}" not in found
        assert f"page:{journey.pk}" in found
