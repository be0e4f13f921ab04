"""Site-wide views: health check and plain-English error pages."""

import json

from django.db import DatabaseError, connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.csrf import same_origin_post
from search.api import engine_status

from .middleware import refuse
from .operations import queue_states


@never_cache
@require_GET
def healthz(request):
    """200 while the database answers (search or a queue may be degraded); 503 when it doesn't.

    Search is "degraded" when Elasticsearch is unreachable or much emptier than the database,
    and a queue (``queues``: search changes, messages, background tasks) when its oldest item
    has waited past its limit: the site still answers 200, because residents can still search
    and submit (the embedded engine; every queue keeps its work), but a monitor should tell
    someone. ``search_queue`` is the search queue's report under its original name.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"status": "ok", "vendor": connection.vendor}
    except Exception as error:
        database = {"status": "down", "detail": type(error).__name__}
    healthy = database["status"] == "ok"
    try:
        search = engine_status()
    except DatabaseError as error:  # e.g. a database nobody has migrated yet: say so, don't 500
        search = {"status": "degraded", "detail": f"could not be read ({type(error).__name__})"}
    body = {"status": "down", "database": database, "search": search}
    if healthy:  # the queues live in the database: nothing to ask when that is down
        queues = queue_states()
        body["search_queue"] = queues["search"]
        body["queues"] = queues
        statuses = [search["status"], *(queue["status"] for queue in queues.values())]
        body["status"] = "ok" if all(status == "ok" for status in statuses) else "degraded"
    return JsonResponse(body, status=200 if healthy else 503)


def bad_request(request, exception=None):
    """Django's 400 (a malformed upload, too many fields...): JSON on API paths, else the page."""
    message = "We could not understand your request. Check what you sent and try again."
    return refuse(request, message, None)


def page_not_found(request, exception=None):
    """The 404 page; on API paths JSON in the shape of that API's errors, so a client that
    asks for ``/api/v2/pages/not-a-number/`` gets something it can read."""
    message = "There is nothing at this address. Check it and try again."
    if request.path.startswith("/api/v2/"):
        return JsonResponse({"message": message}, status=404)
    if request.path.startswith("/api/"):
        return JsonResponse({"error": message}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered with no context processors or database access: the cause may be the database.
    from django.http import HttpResponseServerError

    return HttpResponseServerError(loader.get_template("500.html").render())


COOKIE_POLICY_NAME = "cookies_policy"
COOKIE_POLICY_MAX_AGE = 365 * 24 * 60 * 60


@same_origin_post
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
