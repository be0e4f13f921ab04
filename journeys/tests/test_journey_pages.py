"""Journey and persona pages as residents see them, and as apps read them."""

import pytest
from bs4 import BeautifulSoup

from journeys.tests.factories import two_steps
from tests.tasks import run_queued_tasks


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.django_db
def test_persona_page_lists_its_journeys_grouped_by_need(client, make_journey, persona_page):
    make_journey("missed-bin", title="Report a missed bin collection", need="Bins and rubbish")
    make_journey("report-a-pothole", title="Report a pothole", need="Streets")
    make_journey("draft-journey", publish=False)
    html = soup(client.get("/report-and-transact/"))
    groups = {
        section.find("h2").get_text(strip=True): [
            a.get_text(strip=True) for a in section.select("li a")
        ]
        for section in html.select("#main-content section")
        if section.find("h2")
    }
    assert groups["Bins and rubbish"] == ["Report a missed bin collection"]
    assert groups["Streets"] == ["Report a pothole"]
    assert "Draft journey" not in html.get_text()


@pytest.mark.django_db
def test_journey_page_renders_numbered_steps_with_actions(client, make_journey, persona_page):
    make_journey("missed-bin", title="Report a missed bin collection")
    html = soup(client.get("/report-and-transact/missed-bin/"))
    steps = html.select("ol.sp-step-nav__steps > li.sp-step-nav__step")
    assert [s.select_one(".sp-step-nav__circle").get_text(strip=True) for s in steps] == [
        "1",
        "2",
        "3",
    ]
    assert "Check your collection day" in steps[0].get_text()
    assert (
        steps[0].select_one(".sp-step-nav__action--checklist li").get_text(strip=True)
        == "Your postcode"
    )
    assert steps[1].select_one(".sp-step-nav__action--contact a[href^='tel:']") is not None
    assert "(optional)" in steps[1].get_text()
    logic = [li.get_text(strip=True) for li in html.select("li.sp-step-nav__logic")]
    assert logic == ["and", "or"]
    # Works without JavaScript: steps are <details>, the first open, "show all" opens every one.
    assert steps[0].find("details").has_attr("open") and not steps[1].find("details").has_attr(
        "open"
    )
    all_open = soup(client.get("/report-and-transact/missed-bin/?all=1"))
    assert all(d.has_attr("open") for d in all_open.select("li.sp-step-nav__step details"))
    assert (
        html.select_one("#what-happens-next")
        .find_parent("section")
        .get_text()
        .count("2 working days")
        >= 1
    )


@pytest.mark.django_db
def test_print_view_expands_every_step(client, make_journey):
    make_journey("missed-bin")
    html = soup(client.get("/report-and-transact/missed-bin/print/"))
    assert all(d.has_attr("open") for d in html.select("li.sp-step-nav__step details"))
    assert html.select_one(".sp-breadcrumbs") is None


@pytest.mark.django_db
def test_self_check_answers_without_javascript(client, make_journey):
    steps = two_steps(
        extra_actions=[
            (
                "self_check",
                {
                    "question": "Is the bin damaged?",
                    "options": [
                        {"label": "Yes", "outcome": "Ask for a replacement bin.", "journey": None},
                        {
                            "label": "No",
                            "outcome": "Report the missed collection.",
                            "journey": None,
                        },
                    ],
                },
            )
        ]
    )
    make_journey("missed-bin", steps=steps)
    html = soup(client.get("/report-and-transact/missed-bin/?check-is-the-bin-damaged=1"))
    assert (
        "Ask for a replacement bin." in html.select_one(".sp-self-check [role=status]").get_text()
    )


@pytest.mark.django_db
def test_sidebar_appears_on_pages_that_are_part_of_a_journey_and_follows_edits(
    client, make_journey, content_page
):
    rules = content_page("recycling-rules")
    journey = make_journey("missed-bin", steps=two_steps(link_page=rules))
    html = soup(client.get("/recycling-rules/"))
    sidebar = html.select_one(".sp-step-nav--sidebar")
    assert sidebar is not None
    assert "Report a missed bin" in sidebar.get_text() or journey.title in sidebar.get_text()
    current = sidebar.select_one("[aria-current=step]")
    assert current.get_text(strip=True) == "Check your collection day"

    # The editor renames the step and publishes: the sidebar follows once the worker has run.
    steps = journey.steps.raw_data
    steps[0]["value"]["title"] = "Find your collection day"
    journey.steps = steps
    journey.save_revision().publish()
    run_queued_tasks()
    sidebar = soup(client.get("/recycling-rules/")).select_one(".sp-step-nav--sidebar")
    assert (
        sidebar.select_one("[aria-current=step]").get_text(strip=True) == "Find your collection day"
    )

    # Remove the link: the page is no longer part of the journey.
    journey.steps = two_steps()
    journey.save_revision().publish()
    run_queued_tasks()
    assert soup(client.get("/recycling-rules/")).select_one(".sp-step-nav--sidebar") is None


@pytest.mark.django_db
def test_pages_not_in_a_journey_have_no_sidebar(client, content_page, make_journey):
    content_page("cookies")
    make_journey("missed-bin")
    assert soup(client.get("/cookies/")).select_one(".sp-step-nav--sidebar") is None


@pytest.mark.django_db
def test_signposts_put_editor_choices_first_then_shared_topics_then_personas(make_journey):
    from journeys.api import signposts_for_journey

    main = make_journey("missed-bin", topics=["bins"])
    chosen = make_journey("bulky-waste", title="Book a bulky waste collection")
    same_topic = make_journey("new-or-replacement-bin", title="Get a new bin", topics=["bins"])
    same_persona = make_journey("pay-council-tax", title="Pay your Council Tax")
    main.related_journeys.set([chosen])
    main.save_revision().publish()
    titles = [s["title"] for s in signposts_for_journey(main)]
    assert titles[:3] == [chosen.title, same_topic.title, same_persona.title]
    assert main.title not in titles


@pytest.mark.django_db
def test_api_returns_typed_step_json(client, make_journey):
    make_journey("missed-bin", topics=["bins"])
    response = client.get("/api/v2/pages/", {"type": "journeys.JourneyPage", "fields": "*"})
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["meta"]["slug"] == "missed-bin"
    assert item["personas"] == ["report-and-transact"]
    assert item["topics"] == ["bins"]
    step = item["steps"][0]
    assert step["type"] == "step"
    value = step["value"]
    assert value["title"] == "Check your collection day"
    assert value["logic"] == "and" and value["optional"] is False
    assert value["body"]["text"] == "Check your collection day."
    assert value["substeps"][0]["title"] == "Find your day"
    assert value["actions"][0] == {
        "type": "checklist",
        "value": {"heading": "What you\u2019ll need", "items": ["Your postcode"]},
    }
    assert item["steps"][1]["value"]["actions"][0]["type"] == "contact"
    assert item["questions"][0]["value"] == "My bins weren't emptied, what do I do?"
