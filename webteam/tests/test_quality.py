"""Content checks: each planted problem is found, and a clean page has none."""

import datetime

import pytest
from django.core.management import call_command

from cms.models import ContentPage
from tests.demo import residents_demo
from webteam.models import ContentCheckResult
from webteam.quality import check_page, markup, text
from webteam.quality.runner import CheckContext

CLEAN_BODY = [
    {
        "type": "text",
        "value": (
            "<h2>When we collect your bin</h2>"
            "<p>We empty green bins every other Monday. Put your bin out by 7am. "
            "Leave it at the edge of your garden with the lid shut. "
            "If we miss it, tell us on the same day and we will come back within two days.</p>"
            "<h3>Extra bins</h3>"
            "<p>You can have one extra bin for free if five or more people live with you. "
            '<a href="https://www.northbrook.example/bins">Ask for an extra bin</a>.</p>'
        ),
    },
]

PROBLEM_TEXT = (
    "<h2>Overview</h2>"
    "<h4>Details of the arrangements</h4>"
    "<p>Residents should utilise the online facility in order to facilitate the expeditious commencement "
    "of their application, notwithstanding any exceptional circumstances or administrative considerations "
    "which may subsequently arise during the determination of eligibility and entitlement. "
    "Applications are processed by the department within fifteen working days. "
    "Supplementary documentation is required for consideration.</p>"
    '<p><a href="https://www.northbrook.example/apply">Click here</a> or '
    '<a linktype="page" id="999999">read more</a>.</p>'
    '<p><embed embedtype="image" id="1" format="fullwidth" alt=""/></p>'
)


@pytest.fixture
def jargon():
    return {"utilise": "use", "facilitate": "help", "in order to": "to"}


def codes(findings):
    return {f.code for f in findings}


@pytest.mark.django_db
def test_clean_page_has_no_findings(make_content_page):
    page = make_content_page(slug="green-bins", title="Green bin collections", body=CLEAN_BODY)
    assert check_page(page) == []


@pytest.mark.django_db
def test_every_planted_problem_is_found(make_content_page, home_page):
    make_content_page(slug="apply-one", title="Apply")
    page = make_content_page(
        slug="apply-two",
        title="Apply",
        body=[
            {"type": "text", "value": PROBLEM_TEXT},
            {"type": "image", "value": {"image": None, "alt_text": "", "caption": ""}},
        ],
    )
    page.review_by = datetime.date(2020, 1, 1)
    page.delivery_unit = None

    findings = check_page(page)

    assert codes(findings) >= {
        "reading-ease",
        "reading-grade",
        "long-sentence",
        "passive-voice",
        "jargon",
        "heading-order",
        "vague-link-text",
        "image-alt",
        "broken-internal-link",
        "review-overdue",
        "no-owner",
        "duplicate-title",
    }
    jargon_messages = [f.message for f in findings if f.code == "jargon"]
    assert "Instead of \u201cutilise\u201d, try \u201cuse\u201d." in jargon_messages
    assert all(f.severity in {"error", "warning", "info"} for f in findings)
    assert findings[0].severity == "error"  # most severe first


@pytest.mark.django_db
def test_jargon_list_is_seeded_and_editor_managed():
    from webteam.models import JargonTerm

    assert JargonTerm.objects.get(term="utilise").alternative == "use"
    JargonTerm.objects.create(term="synergy", alternative="working together")
    found = text.check_jargon("We want synergy.", CheckContext.load().jargon)
    assert [f.message for f in found] == [
        "Instead of \u201csynergy\u201d, try \u201cworking together\u201d."
    ]


def test_pure_text_checks():
    assert text.check_long_sentences("Short one. " + "word " * 26 + ".")[0].code == "long-sentence"
    assert text.check_passive_voice("The form was sent by the team.")[0].code == "passive-voice"
    assert text.check_passive_voice("We sent the form. You need to sign it.") == []
    assert text.readability("Too short to score.") is None
    assert text.check_jargon("Facilitated growth", {"facilitate": "help"}) == []  # whole words only


def test_pure_markup_checks():
    assert markup.check_heading_order("<h2>A</h2><h3>B</h3><h2>C</h2>") == []
    assert markup.check_heading_order("<h3>Starts too deep</h3>")[0].code == "heading-order"
    assert markup.check_link_text('<a href="/x">More</a>')[0].code == "vague-link-text"
    assert markup.check_link_text('<a href="/x">Pay your council tax</a>') == []
    assert markup.check_image_alt('<img src="x.png">')[0].severity == "error"
    assert markup.check_image_alt('<img src="x.png" alt="A green wheelie bin">') == []


@pytest.mark.django_db
def test_journey_step_without_action_is_flagged():
    from types import SimpleNamespace

    from webteam.quality.content import journey_steps_without_action

    step = SimpleNamespace(value={"title": "Check you can apply", "actions": []})
    acting = SimpleNamespace(value={"title": "Apply", "actions": ["form"]})
    assert journey_steps_without_action(SimpleNamespace(steps=[step, acting])) == [
        "Check you can apply"
    ]


@pytest.mark.django_db
def test_editor_sees_warnings_on_save_but_can_still_publish(make_content_page, admin_client):
    page = make_content_page(slug="tax", title="Council tax", body=CLEAN_BODY)
    url = f"/admin/pages/{page.pk}/edit/"
    form = admin_client.get(url).context["form"]
    data = {
        k: v for k, v in form.initial.items() if v is not None and not hasattr(v, "stream_data")
    }
    # Post via the real edit view: rebuild a minimal valid payload for the StreamField.
    data.update(
        {
            "title": "Council tax",
            "slug": "tax",
            "summary": "About council tax.",
            "body-count": "1",
            "body-0-type": "text",
            "body-0-deleted": "",
            "body-0-order": "0",
            "body-0-value": '{"blocks":[{"key":"a","text":"Click here to pay.","type":"unstyled","depth":0,'
            '"inlineStyleRanges":[],"entityRanges":[],"data":{}}],"entityMap":{}}',
            "delivery_unit": str(page.delivery_unit_id),
            "review_by": "2020-01-01",
            "action-publish": "action-publish",
        }
    )
    response = admin_client.post(url, data, follow=True)
    page.refresh_from_db()
    assert page.review_by == datetime.date(2020, 1, 1)  # published despite the findings
    shown = [str(m) for m in response.context["messages"]]
    assert any("Content checks found" in m and "due for review" in m for m in shown)


@pytest.mark.django_db
def test_nightly_command_stores_findings_and_prints_summary(make_content_page, capsys):
    make_content_page(slug="green-bins", title="Green bin collections", body=CLEAN_BODY)
    problem = make_content_page(
        slug="apply", title="Apply", body=[{"type": "text", "value": PROBLEM_TEXT}]
    )
    ContentPage.objects.filter(pk=problem.pk).update(review_by=datetime.date(2020, 1, 1))

    call_command("content_checks", "--quiet")

    out = capsys.readouterr().out
    assert "Checked 3 pages: 1 with something to fix" in out  # home, green bins, apply
    stored = ContentCheckResult.objects.filter(page_id=problem.pk)
    assert {"review-overdue", "broken-internal-link"} <= set(stored.values_list("code", flat=True))
    assert not ContentCheckResult.objects.exclude(page_id=problem.pk).exists()
    call_command("content_checks", "--quiet")  # a second run replaces, never duplicates
    assert ContentCheckResult.objects.filter(page_id=problem.pk).count() == stored.count()


@pytest.mark.django_db(transaction=True)
def test_nightly_command_over_demo_content(capsys):
    residents_demo()  # the demo's pages, journeys, forms and services, in English
    capsys.readouterr()
    call_command("content_checks", "--quiet")
    out = capsys.readouterr().out
    assert out.startswith("Checked ")
    assert "errors" in out and "warnings" in out


def test_external_link_checker_is_polite_and_reports_broken_links(live_server):
    """Against a real local server: the home page is reachable, an unknown address is a 404,
    a closed port fails within the timeout, and requests to one host are spaced out."""
    from webteam.quality.links import LinkChecker

    waits = []
    # A delay far longer than any request takes, so the second request to the live server must
    # wait however slow the machine is; the recorded sleep lets the test go on at once.
    checker = LinkChecker(timeout=2, per_host_delay=60, sleep=waits.append)
    html = (
        f'<a href="{live_server.url}/healthz">Health</a>'
        f'<a href="{live_server.url}/no-such-page-here/">Missing</a>'
        '<a href="http://127.0.0.1:9/">Closed port</a>'
        '<a href="/relative/is-not-external/">Relative</a>'
    )
    findings = checker.check(html)
    assert [f.code for f in findings] == ["broken-external-link"]
    assert findings[0].message.startswith("2 links to other websites do not work")
    assert not checker.is_broken(f"{live_server.url}/healthz")
    assert len(waits) == 1  # the second request to the live server waited its turn
    assert 0 < waits[0] <= 60
    checker.check(html)
    assert len(checker.results) == 3  # each address is fetched once a run
