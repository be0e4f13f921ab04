"""Serving the visitor's version of a page under test, and counting the 'reach a page' goal."""

from django.utils.cache import patch_cache_control, patch_vary_headers

from core import fragments, pagecache
from webteam.models import AbTest

from . import assignment, services

COOKIE_AGE = 60 * 60 * 24 * 90  # 90 days: long enough for a test, short enough to forget


def serve_variant(page, request):
    """The response for a page under test, or None to serve the page as normal."""

    _count_page_goal(page, request)
    if page.pk not in pages_under_test():
        return None
    test = AbTest.objects.filter(page_id=page.pk, status=AbTest.RUNNING).first()
    if test is not None:
        # Who sees which version is decided per visit: the page cache keeps no copy while
        # the test runs (starting and stopping a test purges the page: webteam.apps).
        pagecache.do_not_cache()
    if test is None or not assignment.may_take_part(request):
        return None
    visitor_id = request.COOKIES.get(assignment.VISITOR_COOKIE) or assignment.new_visitor_id()
    label = services.participate(test, visitor_id)
    if label == "A":
        response = page.specific.serve(request)
    else:
        revision = test.variants.get(label=label).revision
        response = revision.as_object().serve(request)
    response.set_cookie(
        assignment.VISITOR_COOKIE,
        visitor_id,
        max_age=COOKIE_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    patch_vary_headers(response, ["Cookie"])
    patch_cache_control(response, private=True)
    return response


def pages_under_test() -> frozenset[int]:
    """The pages with a test running, from the shared cache while no test has changed.

    Every page view asks; tests start and stop a few times a month.
    """

    def running() -> frozenset[int]:
        pagecache.depends_on_model(AbTest)
        tests = AbTest.objects.filter(status=AbTest.RUNNING)
        return frozenset(tests.values_list("page_id", flat=True))

    return fragments.remember("pages-under-test", (), running)


def _count_page_goal(page, request):
    visitor_id = request.COOKIES.get(assignment.VISITOR_COOKIE)
    if not visitor_id or not assignment.may_take_part(request):
        return
    for test in services.running_tests_with_goal("reach-page", goal_page=page):
        services.convert(test, visitor_id)
