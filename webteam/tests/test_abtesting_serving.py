"""A/B tests end to end through Django: residents see their version, goals count for their version only,
and headless front ends use the JSON API."""

import json
from urllib.parse import quote

import pytest
from django.urls import include, path

from webteam.abtesting import assignment
from webteam.abtesting.services import create_test, start_test
from webteam.models import AbTest
from webteam.tests.factories import AbTestFactory

urlpatterns = [path("api/ab-tests/", include("webteam.abtesting.api_urls"))]

CONSENT = quote(json.dumps({"analytics": True}))
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130 Safari/537.36"


def visitor_in(test, label):
    return next(
        f"visitor-{n}"
        for n in range(1000)
        if assignment.choose_label(f"visitor-{n}", test.pk, test.control_share, ["A", "B"]) == label
    )


@pytest.fixture
def running_test(make_content_page):
    page = make_content_page(
        slug="new-bin",
        title="Order a new bin",
        body=[{"type": "text", "value": "<p>Version A words.</p>"}],
    )
    goal = make_content_page(slug="bin-ordered", title="Bin ordered")
    page.body = [{"type": "text", "value": "<p>Version B words.</p>"}]
    draft = page.save_revision()
    test = AbTestFactory(
        page=page, name="Shorter wording", goal_page=goal, variant_revisions=[draft]
    )
    return start_test(test), page, goal


def visit(client, url, visitor=None, consent=True):
    if consent:
        client.cookies[assignment.CONSENT_COOKIE] = CONSENT
    if visitor:
        client.cookies[assignment.VISITOR_COOKIE] = visitor
    return client.get(url, HTTP_USER_AGENT=BROWSER)


def counts(test):
    return {v.label: (v.visitors, v.conversions) for v in test.variants.all()}


@pytest.mark.django_db
def test_visitor_in_b_sees_b_and_reaching_the_goal_counts_for_b_only(client, running_test):
    test, page, goal = running_test
    visitor = visitor_in(test, "B")
    response = visit(client, page.url, visitor)
    assert b"Version B words." in response.content
    assert response.cookies[assignment.VISITOR_COOKIE].value == visitor
    assert "private" in response["Cache-Control"]
    visit(client, page.url, visitor)  # a second look is not a second visitor
    visit(client, goal.url, visitor)
    visit(client, goal.url, visitor)  # nor a second conversion
    assert counts(test) == {"A": (0, 0), "B": (1, 1)}


@pytest.mark.django_db
def test_visitor_without_consent_sees_a_and_is_not_counted(client, running_test):
    test, page, goal = running_test
    response = visit(client, page.url, consent=False)
    assert b"Version A words." in response.content
    assert assignment.VISITOR_COOKIE not in response.cookies
    bot = client.get(
        page.url,
        HTTP_USER_AGENT="Googlebot/2.1",
        HTTP_COOKIE=f"{assignment.CONSENT_COOKIE}={CONSENT}",
    )
    assert b"Version A words." in bot.content
    assert counts(test) == {"A": (0, 0), "B": (0, 0)}


@pytest.mark.django_db
@pytest.mark.urls("webteam.tests.test_abtesting_serving")
def test_headless_api_records_participation_and_goals(client, running_test):
    test, _, _ = running_test
    visitor = visitor_in(test, "B")
    url = f"/api/ab-tests/{test.pk}/"
    joined = client.post(
        url + "participate",
        {"visitor_id": visitor, "analytics_consent": True},
        content_type="application/json",
        HTTP_USER_AGENT=BROWSER,
    ).json()
    assert joined["variant"] == "B" and joined["counted"] is True
    declined = client.post(
        url + "participate",
        {"analytics_consent": False},
        content_type="application/json",
        HTTP_USER_AGENT=BROWSER,
    ).json()
    assert declined == {"variant": "A", "visitor_id": None, "counted": False}
    converted = client.post(
        url + "convert", {"visitor_id": visitor}, content_type="application/json"
    ).json()
    assert converted == {"counted": True, "variant": "B"}
    assert counts(test) == {"A": (0, 0), "B": (1, 1)}


@pytest.mark.django_db
@pytest.mark.urls("webteam.tests.test_abtesting_serving")
def test_headless_api_bad_input(client, running_test):
    test, _, _ = running_test
    bad_json = client.post(
        f"/api/ab-tests/{test.pk}/participate", "{not json", content_type="application/json"
    )
    assert bad_json.status_code == 400 and "JSON" in bad_json.json()["error"]
    missing = client.post(
        "/api/ab-tests/999999/convert", {"visitor_id": "x" * 16}, content_type="application/json"
    )
    assert missing.status_code == 404
    no_visitor = client.post(
        f"/api/ab-tests/{test.pk}/convert", {}, content_type="application/json"
    )
    assert no_visitor.status_code == 400 and no_visitor.json()["field"] == "visitor_id"


@pytest.mark.django_db
def test_webteam_dashboard_and_csv(admin_client, running_test):
    from django.core.management import call_command

    call_command("content_checks", "--quiet")
    page = admin_client.get("/admin/webteam/")
    assert page.status_code == 200
    assert b"A/B tests (1)" in page.content and b"Shorter wording" in page.content
    csv = admin_client.get("/admin/webteam/?export=ab-tests")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[0] == "Test,Page,Status,Conversions/visitors,Verdict"
    assert admin_client.get("/admin/webteam/?unit=housing").status_code == 404
    assert (
        admin_client.get("/admin/webteam/?unit=customer-experience&export=overdue").status_code
        == 200
    )


@pytest.mark.django_db
def test_web_team_sets_up_starts_and_finishes_a_test_in_the_admin(admin_client, make_content_page):
    page = make_content_page(slug="report-fly-tipping", title="Report fly-tipping")
    goal = make_content_page(slug="thanks", title="Thanks")
    form = {
        "name": "Shorter intro",
        "hypothesis": "",
        "page": page.pk,
        "goal_type": "reach-page",
        "goal_page": goal.pk,
        "goal_target": "",
        "control_share": 50,
        "minimum_detectable_effect": 0.05,
    }

    refused = admin_client.post("/admin/ab-tests/new/", form)
    assert refused.status_code == 200 and b"Save a draft of the page" in refused.content

    page.title = "Tell us about fly-tipping"
    page.save_revision()
    admin_client.post("/admin/ab-tests/new/", form)
    test = AbTest.objects.get(name="Shorter intro")
    assert [(v.label, v.revision_id is not None) for v in test.variants.all()] == [
        ("A", False),
        ("B", True),
    ]

    admin_client.post(f"/admin/webteam/ab-tests/{test.pk}/action/", {"action": "start"})
    test.refresh_from_db()
    assert test.status == AbTest.RUNNING
    shown = admin_client.get(f"/admin/webteam/ab-tests/{test.pk}/")
    assert b"Too early to tell" in shown.content

    response = admin_client.post(
        f"/admin/webteam/ab-tests/{test.pk}/action/", {"action": "publish-winner"}, follow=True
    )
    assert "Too early to tell" in " ".join(str(m) for m in response.context["messages"])
    test.variants.filter(label="A").update(visitors=3000, conversions=600)
    test.variants.filter(label="B").update(visitors=3000, conversions=900)
    admin_client.post(f"/admin/webteam/ab-tests/{test.pk}/action/", {"action": "publish-winner"})
    page.refresh_from_db()
    assert page.title == "Tell us about fly-tipping"


@pytest.mark.django_db
def test_completing_a_form_counts_for_the_visitors_variant_only(client, make_content_page, rf):
    """eforms announces a completed form; the running test with that goal counts it for B only."""
    from eforms.signals import form_completed

    page = make_content_page(
        slug="missed-bin-help", body=[{"type": "text", "value": "<p>A words.</p>"}]
    )
    page.body = [{"type": "text", "value": "<p>B words.</p>"}]
    test = start_test(
        create_test(
            page,
            "Clearer start",
            AbTest.COMPLETE_FORM,
            [page.save_revision()],
            goal_target="missed-bin-report",
        )
    )
    visitor = visitor_in(test, "B")
    visit(client, page.url, visitor)

    request = rf.get("/forms/missed-bin-report/confirmation/", HTTP_USER_AGENT=BROWSER)
    request.COOKIES.update(
        {
            assignment.CONSENT_COOKIE: json.dumps({"analytics": True}),
            assignment.VISITOR_COOKIE: visitor,
        }
    )
    form = type("Form", (), {"slug": "missed-bin-report"})()
    form_completed.send(sender=type(form), request=request, form=form)
    other = type("Form", (), {"slug": "pothole-report"})()
    form_completed.send(sender=type(other), request=request, form=other)
    assert counts(test) == {"A": (0, 0), "B": (1, 1)}
