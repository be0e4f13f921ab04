"""core/csrf.py: token-free posts from the site's own pages, refused from anyone else's."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from core.csrf import is_cross_site, same_origin_post


@same_origin_post
def answer(request):
    return HttpResponse("ok")


@pytest.mark.parametrize(
    ("headers", "cross_site"),
    [
        ({"HTTP_SEC_FETCH_SITE": "same-origin"}, False),
        ({"HTTP_SEC_FETCH_SITE": "same-site"}, True),  # a sibling subdomain is another site here
        ({"HTTP_SEC_FETCH_SITE": "cross-site"}, True),
        ({"HTTP_SEC_FETCH_SITE": "none"}, True),
        # Sec-Fetch-Site decides when present, whatever Origin says.
        ({"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"}, True),
        ({"HTTP_ORIGIN": "http://testserver"}, False),
        ({"HTTP_ORIGIN": "HTTP://TESTSERVER"}, False),
        ({"HTTP_ORIGIN": "https://testserver"}, True),  # another scheme is another origin
        ({"HTTP_ORIGIN": "null"}, True),
        ({"HTTP_ORIGIN": "https://evil.example"}, True),
        ({"HTTP_REFERER": "http://testserver/bins/"}, False),
        ({"HTTP_REFERER": "https://evil.example/testserver/"}, True),
        ({"HTTP_REFERER": "not a url"}, True),
        ({}, False),  # no browser sends none of them: a script, which no site can aim at a resident
    ],
)
def test_where_a_post_came_from(headers, cross_site):
    request = RequestFactory().post("/feedback/", **headers)
    assert is_cross_site(request) is cross_site


@override_settings(CSRF_TRUSTED_ORIGINS=["https://www.northbrook.gov.uk"])
def test_trusted_origins_count_as_the_site():
    request = RequestFactory().post("/feedback/", HTTP_ORIGIN="https://www.northbrook.gov.uk")
    assert not is_cross_site(request)


def test_refusal_is_plain_english_and_reads_and_gets_pass():
    factory = RequestFactory()
    refused = answer(factory.post("/x/", HTTP_ORIGIN="https://evil.example"))
    assert refused.status_code == 403
    assert refused.content.decode().startswith("We could not accept this.")
    assert answer(factory.get("/x/", HTTP_SEC_FETCH_SITE="cross-site")).status_code == 200
    assert answer(factory.post("/x/", HTTP_SEC_FETCH_SITE="same-origin")).status_code == 200
    assert getattr(answer, "csrf_exempt", False) is True
