"""A form in progress, page by page, as production runs it with Redis: the live form remembered
with its schema compiled in each web process (eforms.api.get_form), sessions read from Redis and
written through to the database (cached_db), the confirmation's "You might also need" links
remembered. Each test walks the missed-bin report as a resident without JavaScript, counting
what each page costs, or changes something as an editor would and asks again.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from eforms.models import FormDefinition
from tests.demo import residents_demo

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

FORM = "/forms/missed-bin-report"
#: Issue 18: a question page, shown or answered, within four statements.
MAX_QUESTION_STATEMENTS = 4
MAX_PAGE_STATEMENTS = 8
ANSWERS = [
    (
        "address",
        {
            "address-postcode": "NB9 9ZZ",
            "address-line_1": "1 Bench Street",
            "address-town": "Northbrook",
        },
    ),
    ("bin", {"bin_type": "general"}),
    ("put_out", {"put_out_on_time": "yes"}),
    ("contact", {"full_name": "Sam Resident", "email": "sam@resident.example", "consent": "yes"}),
]


@pytest.fixture
def resident(redis_caches, settings):
    residents_demo()
    settings.FRAGMENT_CACHE = True
    settings.PAGE_CACHE = False
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.EFORMS_RATE_LIMITS = {"submit": (1000, 3600)}
    return Client()


def counted(client: Client, method: str, url: str, data: dict | None = None):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(queries.captured_queries), response


def start(client: Client) -> None:
    client.get(f"{FORM}/")
    response = client.post(f"{FORM}/start/")
    assert response.status_code == 302


def test_each_question_page_costs_at_most_four_statements(resident):
    start(resident)  # the first flow compiles the form and reads the chrome
    for page, answers in ANSWERS:
        resident.get(f"{FORM}/page/{page}/")
        resident.post(f"{FORM}/page/{page}/", answers)
    resident.post(f"{FORM}/check-your-answers/", follow=True)

    start(resident)
    for page, answers in ANSWERS:
        shown, response = counted(resident, "get", f"{FORM}/page/{page}/")
        assert shown <= MAX_QUESTION_STATEMENTS, (page, shown)
        assert b"<form" in response.content
        sent, response = counted(resident, "post", f"{FORM}/page/{page}/", answers)
        assert sent <= MAX_QUESTION_STATEMENTS, (page, sent)
        assert response.status_code == 302, page  # answered: on to the next page
    checked, response = counted(resident, "get", f"{FORM}/check-your-answers/")
    assert checked <= MAX_QUESTION_STATEMENTS
    assert "1 Bench Street" in response.content.decode()
    _, response = counted(resident, "post", f"{FORM}/check-your-answers/")
    confirmation, page = counted(resident, "get", response["Location"])
    assert confirmation <= MAX_PAGE_STATEMENTS, confirmation
    html = page.content.decode()
    assert re.search(r"data-reference>[A-Z0-9-]+<", html)
    heading = BeautifulSoup(html, "html.parser").find("h2", string="You might also need")
    links = [a["href"] for a in heading.find_next("ul").find_all("a")]
    assert "/report-and-transact/missed-bin/" in links
    assert not [link for link in links if link.startswith(("/pl/", "/ar/"))]  # its own language


def test_a_published_change_to_a_question_shows_on_the_next_page(resident):
    start(resident)
    resident.post(f"{FORM}/page/address/", ANSWERS[0][1])
    assert "Which bin was missed?" in resident.get(f"{FORM}/page/bin/").content.decode()
    form = FormDefinition.objects.get(slug="missed-bin-report", locale__language_code="en-gb")
    pages = form.pages.raw_data
    for page in pages:
        for item in page["value"].get("items", []):
            if item["value"].get("name") == "bin_type":
                item["value"]["label"] = "Which of your bins did we miss?"
    form.pages = pages
    form.save_revision().publish()

    html = resident.get(f"{FORM}/page/bin/").content.decode()
    assert "Which of your bins did we miss?" in html
    assert "Which bin was missed?" not in html


def test_an_unpublished_form_is_gone_at_once(resident):
    start(resident)
    resident.post(f"{FORM}/page/address/", ANSWERS[0][1])
    assert resident.get(f"{FORM}/page/bin/").status_code == 200
    form = FormDefinition.objects.get(slug="missed-bin-report", locale__language_code="en-gb")
    form.unpublish()
    assert resident.get(f"{FORM}/page/bin/").status_code == 404


def test_an_emptied_redis_loses_nobodys_place_in_a_form(resident, redis_url):
    import redis

    start(resident)
    resident.post(f"{FORM}/page/address/", ANSWERS[0][1])
    redis.Redis.from_url(redis_url).flushall()
    response = resident.get(f"{FORM}/page/bin/")
    assert response.status_code == 200
    assert "Which bin was missed?" in response.content.decode()
