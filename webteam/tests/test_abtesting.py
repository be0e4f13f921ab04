"""A/B tests: statistics against published examples, stable assignment, and refusing bad tests."""

import json
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from webteam.abtesting import assignment, stats
from webteam.abtesting.services import (
    assign,
    convert,
    create_test,
    participate,
    publish_winner,
    results,
    start_test,
)
from webteam.models import AbTest

CONSENTED = {assignment.CONSENT_COOKIE: quote(json.dumps({"analytics": True}))}
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130 Safari/537.36"


def test_wilson_interval_matches_newcombe_1998():
    """Newcombe RG (1998), 'Two-sided confidence intervals for the single proportion: comparison of
    seven methods', Statistics in Medicine 17:857-872, Table I example 81/263: Wilson score
    interval 0.2553 to 0.3662."""
    low, high = stats.wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_difference_interval_matches_newcombe_1998():
    """Newcombe RG (1998), 'Interval estimation for the difference between independent proportions:
    comparison of eleven methods', Statistics in Medicine 17:873-890, example 56/70 - 48/80:
    method 10 (hybrid score) interval 0.0524 to 0.3339."""
    low, high = stats.difference_interval(48, 80, 56, 70)
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_z_test_and_sample_size():
    """56/70 vs 48/80 by hand: pooled p = 104/150, SE = 0.07547, z = 2.650, two-sided p = 0.0080.
    Sample size for 10% -> 15% at alpha 0.05, power 80% (Fleiss, without continuity correction): 686."""
    z, p = stats.two_proportion_z_test(48, 80, 56, 70)
    assert round(z, 3) == 2.650
    assert round(p, 4) == 0.0080
    assert stats.required_sample_size(0.10, 0.05) == 686
    with pytest.raises(ValueError):
        stats.two_proportion_z_test(5, 4, 1, 10)


def test_verdict_waits_for_enough_visitors_then_speaks_plainly():
    early = stats.verdict([stats.Arm("A", 50, 10), stats.Arm("B", 50, 25)], minimum_effect=0.07)
    assert not early.decided and early.winner == "" and early.visitors_still_needed > 0
    assert early.message.startswith("Too early to tell")

    done = stats.verdict(
        [stats.Arm("A", 2000, 480), stats.Arm("B", 2000, 620)],
        minimum_effect=0.07,
        goal_phrase="completed the form",
    )
    assert done.decided and done.winner == "B"
    assert done.message == "B is better: 31% vs 24% of visitors completed the form."

    even = stats.verdict(
        [stats.Arm("A", 2000, 480), stats.Arm("B", 2000, 490)], minimum_effect=0.07
    )
    assert even.decided and even.winner == "" and even.message.startswith("No clear difference")


def test_assignment_is_stable_and_close_to_the_split():
    labels = ["A", "B"]
    counts = {"A": 0, "B": 0}
    for n in range(100_000):
        visitor = f"visitor-{n}"
        label = assignment.choose_label(visitor, 7, 30, labels)
        counts[label] += 1
        if n % 1000 == 0:
            assert assignment.choose_label(visitor, 7, 30, labels) == label
    assert abs(counts["A"] / 100_000 - 0.30) < 0.01


def test_three_way_split_shares_the_rest_equally():
    counts = {"A": 0, "B": 0, "C": 0}
    for _n in range(30_000):
        counts[assignment.choose_label(assignment.new_visitor_id(), 3, 50, ["A", "B", "C"])] += 1
    assert abs(counts["B"] / 30_000 - 0.25) < 0.015 and abs(counts["C"] / 30_000 - 0.25) < 0.015


def test_bots_and_visitors_without_consent_see_a():
    factory = RequestFactory()
    declined = factory.get("/", HTTP_USER_AGENT=BROWSER)
    declined.COOKIES = {assignment.CONSENT_COOKIE: quote(json.dumps({"analytics": False}))}
    bot = factory.get("/", HTTP_USER_AGENT="Googlebot/2.1")
    bot.COOKIES = dict(CONSENTED)
    person = factory.get("/", HTTP_USER_AGENT=BROWSER)
    person.COOKIES = dict(CONSENTED)
    assert not assignment.may_take_part(declined)
    assert not assignment.may_take_part(bot)
    assert assignment.may_take_part(person)
    test = AbTest(pk=1, control_share=1)
    assert assign(test, declined) == ("A", None)


@pytest.fixture
def page_with_draft(make_content_page):
    page = make_content_page(slug="apply-for-a-bin", title="Apply for a bin")
    page.title = "Get a new bin"
    draft = page.save_revision()
    return page, draft


@pytest.mark.django_db
def test_test_runs_counts_and_publishes_the_winner(page_with_draft):
    page, draft = page_with_draft
    test = start_test(
        create_test(page, "Clearer title", AbTest.COMPLETE_FORM, [draft], goal_target="new-bin")
    )
    assert test.status == AbTest.RUNNING
    request = RequestFactory().get("/", HTTP_USER_AGENT=BROWSER)
    request.COOKIES = {**CONSENTED, assignment.VISITOR_COOKIE: "abc123"}
    label, visitor = assign(test, request)
    assert visitor == "abc123" and assign(test, request)[0] == label

    test.variants.filter(label="A").update(visitors=2000, conversions=480)
    test.variants.filter(label="B").update(visitors=1999, conversions=619)
    visitor = next(
        f"v-{n}"
        for n in range(100)
        if assignment.choose_label(f"v-{n}", test.pk, 50, ["A", "B"]) == "B"
    )
    assert participate(test, visitor) == "B" and participate(test, visitor) == "B"  # counted once
    assert convert(test, visitor) == "B" and convert(test, visitor) is None  # converts once
    assert convert(test, "never-took-part") is None
    outcome = results(test)
    assert [row["visitors"] for row in outcome["variants"]] == [2000, 2000]
    assert outcome["verdict"].message == "B is better: 31% vs 24% of visitors completed the form."

    publish_winner(test)
    page.refresh_from_db()
    test.refresh_from_db()
    assert page.title == "Get a new bin" and test.status == AbTest.FINISHED and test.winner == "B"


@pytest.mark.django_db
def test_too_few_visitors_names_no_winner(page_with_draft):
    page, draft = page_with_draft
    test = start_test(create_test(page, "Title", AbTest.REACH_PAGE, [draft]))
    test.variants.update(visitors=40, conversions=10)
    with pytest.raises(ValidationError, match="Too early to tell"):
        publish_winner(test)


@pytest.mark.django_db
def test_a_winner_whose_draft_was_deleted_is_not_published(page_with_draft):
    page, draft = page_with_draft
    test = start_test(create_test(page, "Clearer title", AbTest.REACH_PAGE, [draft]))
    test.variants.filter(label="A").update(visitors=2000, conversions=480)
    test.variants.filter(label="B").update(visitors=2000, conversions=620)
    draft.delete()  # the variant keeps its counts, its revision becomes NULL

    with pytest.raises(ValidationError, match="draft no longer exists"):
        publish_winner(test)
    page.refresh_from_db()
    test.refresh_from_db()
    assert page.title == "Apply for a bin" and test.status == AbTest.RUNNING


@pytest.mark.django_db
def test_refuses_unpublished_page_and_second_running_test(page_with_draft):
    page, draft = page_with_draft
    start_test(create_test(page, "First", AbTest.REACH_PAGE, [draft]))
    second = create_test(page, "Second", AbTest.REACH_PAGE, [draft])
    with pytest.raises(ValidationError, match="already running"):
        start_test(second)

    page.unpublish()
    page.refresh_from_db()
    third = create_test(page, "Third", AbTest.REACH_PAGE, [draft])
    with pytest.raises(ValidationError, match="Publish the page"):
        start_test(third)
    with pytest.raises(ValidationError, match="at least one variant"):
        create_test(page, "No variants", AbTest.REACH_PAGE, [])


@pytest.mark.django_db
def test_publishing_an_urgent_edit_ends_the_test(page_with_draft, admin_client):
    from webteam.abtesting.services import end_tests_for_page

    page, draft = page_with_draft
    test = start_test(create_test(page, "Title", AbTest.REACH_PAGE, [draft]))
    assert end_tests_for_page(page) == 1
    test.refresh_from_db()
    assert test.status == AbTest.CANCELLED
