"""Site-wide views: health check and plain-English error pages."""

import json

from django.db import DatabaseError, connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from search.api import engine_status, queue_state


@never_cache
@require_GET
def healthz(request):
    """200 while the database answers (search may be degraded); 503 when it doesn't.

    Search is "degraded" when Elasticsearch is unreachable or much emptier than the database,
    and the search queue when changes wait too long to reach the index: both still answer
    200, because residents can still search (the embedded engine, the outbox keeps every
    change), but a monitor should tell someone.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"status": "ok", "vendor": connection.vendor}
    except Exception as error:
        database = {"status": "down", "detail": type(error).__name__}
    healthy = database["status"] == "ok"
    search = queue = None
    try:
        search = engine_status()
        if healthy:  # the queue lives in the database: nothing to ask when that is down
            queue = queue_state()
    except DatabaseError as error:  # e.g. a database nobody has migrated yet: say so, don't 500
        unknown = {"status": "degraded", "detail": f"could not be read ({type(error).__name__})"}
        search, queue = search or unknown, unknown
    body = {"status": "down", "database": database, "search": search}
    if healthy:
        body["search_queue"] = queue
        body["status"] = "ok" if search["status"] == queue["status"] == "ok" else "degraded"
    return JsonResponse(body, status=200 if healthy else 503)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered with no context processors or database access: the cause may be the database.
    from django.http import HttpResponseServerError

    return HttpResponseServerError(loader.get_template("500.html").render())


COOKIE_POLICY_NAME = "cookies_policy"
COOKIE_POLICY_MAX_AGE = 365 * 24 * 60 * 60


@require_POST
def cookie_preferences(request):
    """Record the resident's choice about analytics cookies (the GOV.UK cookie banner pattern).

    A plain form post, so it works without JavaScript; then back to the page they were on.
    """

    accepted = request.POST.get("analytics") == "yes"
    back = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    response.set_cookie(
        COOKIE_POLICY_NAME,
        json.dumps({"essential": True, "analytics": accepted}),
        max_age=COOKIE_POLICY_MAX_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
