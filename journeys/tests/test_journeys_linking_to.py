"""Which live journeys link to a page or start a form: the step-by-step sidebar and form signposts.

The answers must match the live content exactly, and finding them must not mean loading every
journey on the site: most pages belong to no journey, and a council may have thousands.
"""

import contextlib

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from journeys.api import (
    journeys_containing,
    journeys_embedding_form,
    signposts_for_form,
    step_by_step_for,
)
from journeys.models import JourneyPage
from journeys.tests.factories import two_steps
from tests.tasks import run_queued_tasks

FORM = "missed-bin-report"


def eform_steps(slug=FORM):
    return two_steps(extra_actions=[("eform", {"form": slug})])


def journey_link_steps(target):
    return two_steps(extra_actions=[("journey_link", {"journey": target, "text": ""})])


@contextlib.contextmanager
def journeys_loaded():
    """Counts the journey objects Django builds while the block runs, however it gets them."""
    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance)

    post_init.connect(count, sender=JourneyPage)
    try:
        yield loaded
    finally:
        post_init.disconnect(count, sender=JourneyPage)


def add_unrelated(make_journey, count, start=0):
    for n in range(start, start + count):
        make_journey(f"unrelated-{n}", title=f"Unrelated {n}")


def sidebar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one(".sp-step-nav--sidebar")


# --- The work does not grow with journeys that have nothing to do with the page ----------------


@pytest.mark.django_db
def test_sidebar_loads_only_journeys_that_link_to_the_page(make_journey, content_page):
    rules = content_page("recycling-rules")
    linking = make_journey("missed-bin", steps=two_steps(link_page=rules))
    add_unrelated(make_journey, 20)
    with journeys_loaded() as loaded:
        assert journeys_containing(rules) == [linking]
    assert [j.pk for j in loaded] == [linking.pk]


@pytest.mark.django_db
def test_sidebar_query_count_is_the_same_with_5_or_50_unrelated_journeys(
    make_journey, content_page
):
    rules = content_page("recycling-rules")
    make_journey("missed-bin", steps=two_steps(link_page=rules))

    def queries_and_rows():
        step_by_step_for(rules)  # warm Django's and Wagtail's caches first
        with CaptureQueriesContext(connection) as queries, journeys_loaded() as loaded:
            navigation = step_by_step_for(rules)
        assert [n["journey"].slug for n in navigation] == ["missed-bin"]
        return len(queries), len(loaded)

    add_unrelated(make_journey, 5)
    with_5 = queries_and_rows()
    add_unrelated(make_journey, 45, start=5)
    assert queries_and_rows() == with_5
    assert with_5[1] == 1


@pytest.mark.django_db
def test_form_signposts_load_only_journeys_that_start_the_form(
    make_journey, django_assert_max_num_queries
):
    embedding = make_journey("missed-bin", steps=eform_steps())
    make_journey("other-form", steps=eform_steps("pothole-report"))
    add_unrelated(make_journey, 20)
    journeys_embedding_form(FORM)  # warm Django's and Wagtail's caches first
    with (
        journeys_loaded() as loaded,
        django_assert_max_num_queries(3),
    ):  # journeys, then the form choices once
        assert journeys_embedding_form(FORM) == [embedding]
    assert [j.pk for j in loaded] == [embedding.pk]


# --- Live content only, whatever drafts say -----------------------------------------------------


@pytest.mark.django_db
def test_a_link_only_in_a_draft_does_not_show_until_published(client, make_journey, content_page):
    rules = content_page("recycling-rules")
    journey = make_journey("missed-bin")
    journey.steps = two_steps(link_page=rules)
    journey.save_revision()
    run_queued_tasks()
    assert journeys_containing(rules) == []
    assert sidebar(client, "/recycling-rules/") is None

    journey.get_latest_revision().publish()
    run_queued_tasks()
    assert journeys_containing(rules) == [journey]
    assert sidebar(client, "/recycling-rules/") is not None


@pytest.mark.django_db
def test_a_link_removed_only_in_a_draft_still_shows_until_published(
    client, make_journey, content_page
):
    rules = content_page("recycling-rules")
    journey = make_journey("missed-bin", steps=two_steps(link_page=rules))
    journey.steps = two_steps()
    journey.save_revision()
    run_queued_tasks()
    current = sidebar(client, "/recycling-rules/").select_one("[aria-current=step]")
    assert current.get_text(strip=True) == "Check your collection day"

    journey.get_latest_revision().publish()
    run_queued_tasks()
    assert sidebar(client, "/recycling-rules/") is None


@pytest.mark.django_db
def test_unpublished_journeys_drop_out_and_come_back(make_journey, content_page):
    rules = content_page("recycling-rules")
    journey = make_journey("missed-bin", steps=two_steps(link_page=rules))
    journey.unpublish()
    run_queued_tasks()
    assert journeys_containing(rules) == []
    journey.get_latest_revision().publish()
    run_queued_tasks()
    assert journeys_containing(rules) == [JourneyPage.objects.get(pk=journey.pk)]


@pytest.mark.django_db
def test_a_form_only_in_a_draft_gives_no_signpost(make_journey):
    journey = make_journey("missed-bin")
    journey.steps = eform_steps()
    journey.save_revision()
    run_queued_tasks()
    assert journeys_embedding_form(FORM) == []
    assert signposts_for_form(FORM) == []

    journey.get_latest_revision().publish()
    run_queued_tasks()
    assert [s["title"] for s in signposts_for_form(FORM)][:1] == [journey.title]


@pytest.mark.django_db
def test_a_form_removed_only_in_a_draft_still_gives_its_signpost(make_journey):
    journey = make_journey("missed-bin", steps=eform_steps())
    journey.steps = two_steps()
    journey.save_revision()
    run_queued_tasks()
    assert journeys_embedding_form(FORM) == [journey]


# --- Same answers as before: every kind of link, order, titles -----------------------------------


@pytest.mark.django_db
def test_journey_link_actions_and_substep_text_count_as_links(make_journey, content_page):
    rules = content_page("recycling-rules")
    target = make_journey("bulky-waste", title="Book a bulky waste collection")
    by_action = make_journey("missed-bin", steps=journey_link_steps(target))
    in_substep = two_steps()
    in_substep[1][1]["substeps"] = [
        {"title": "Read first", "body": f'<p><a linktype="page" id="{rules.pk}">Rules</a></p>'}
    ]
    by_substep = make_journey("new-bin", steps=in_substep)
    assert journeys_containing(target) == [by_action]
    navigation = step_by_step_for(rules)
    assert [n["journey"] for n in navigation] == [by_substep]
    assert [s["current"] for s in navigation[0]["steps"]] == [False, True, False]


@pytest.mark.django_db
def test_a_self_check_answer_pointing_at_a_journey_is_not_part_of_it(make_journey):
    """The reference index records this link, but the sidebar never counted it: it still doesn't."""
    target = make_journey("bulky-waste")
    make_journey(
        "missed-bin",
        steps=two_steps(
            extra_actions=[
                (
                    "self_check",
                    {
                        "question": "Is it big?",
                        "options": [
                            {"label": "Yes", "outcome": "Book a collection.", "journey": target},
                            {"label": "No", "outcome": "Put it in your bin.", "journey": None},
                        ],
                    },
                )
            ]
        ),
    )
    assert journeys_containing(target) == []


@pytest.mark.django_db
def test_journeys_come_in_tree_order_with_their_step_titles(
    make_journey, content_page, persona_page
):
    rules = content_page("recycling-rules")
    first = make_journey("b-journey", steps=two_steps(link_page=rules))
    second = make_journey("a-journey", steps=two_steps(link_page=rules))
    add_unrelated(make_journey, 3)
    navigation = step_by_step_for(rules)
    assert [n["journey"] for n in navigation] == [first, second]
    assert [s["title"] for s in navigation[0]["steps"]] == [
        "Check your collection day",
        "Tell us about the missed bin",
        "Wait for collection",
    ]
    assert navigation[0]["url"] == first.url


@pytest.mark.django_db
def test_a_page_is_never_part_of_its_own_journey(make_journey):
    journey = make_journey("missed-bin")
    journey.steps = journey_link_steps(journey)
    journey.save_revision().publish()
    run_queued_tasks()
    assert journeys_containing(journey) == []


@pytest.mark.django_db
def test_translated_journeys_show_only_on_pages_in_their_language(make_journey, content_page):
    rules = content_page("recycling-rules")
    english = make_journey("missed-bin", steps=two_steps(link_page=rules))
    polish = Locale.objects.get_or_create(language_code="pl")[0]
    polish_rules = rules.copy_for_translation(polish, copy_parents=True)
    polish_rules.save_revision().publish()
    run_queued_tasks()
    # A fresh translation still links to the English page: it is not part of the English sidebar.
    translated = english.copy_for_translation(polish, copy_parents=True)
    translated.save_revision().publish()
    run_queued_tasks()
    assert journeys_containing(rules) == [english]
    assert journeys_containing(polish_rules) == []

    translated.steps = two_steps(link_page=polish_rules)
    translated.save_revision().publish()
    run_queued_tasks()
    assert journeys_containing(polish_rules) == [JourneyPage.objects.get(pk=translated.pk)]
    assert journeys_containing(rules) == [english]
