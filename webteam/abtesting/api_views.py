"""JSON endpoints for headless front ends: which version to show, and that a goal was reached.

POST /api/ab-tests/<id>/participate  {"visitor_id": "...", "analytics_consent": true}
POST /api/ab-tests/<id>/convert      {"visitor_id": "..."}
The front end keeps the random visitor id in its own cookie. Without consent the answer is
always A and nothing is counted; bots (by User-Agent) are never counted.
"""

import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from webteam.models import AbTest

from . import assignment, services


def _error(message, status=400, **extra):
    return JsonResponse({"error": message, **extra}, status=status)


def _load(request, test_id):
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None, None, _error("The request body must be JSON.")
    if not isinstance(body, dict):
        return None, None, _error("The request body must be a JSON object.")
    test = AbTest.objects.filter(pk=test_id).first()
    if test is None:
        return None, None, _error("There is no A/B test with this id.", status=404)
    visitor_id = body.get("visitor_id")
    if visitor_id is not None and (
        not isinstance(visitor_id, str) or not 8 <= len(visitor_id) <= 64
    ):
        return (
            None,
            None,
            _error("visitor_id must be a random string of 8 to 64 characters.", field="visitor_id"),
        )
    return test, body, None


@csrf_exempt
@require_POST
def participate(request, test_id):
    test, body, error = _load(request, test_id)
    if error:
        return error
    counted = body.get("analytics_consent") is True and not assignment.is_bot(
        request.META.get("HTTP_USER_AGENT", "")
    )
    if not counted or test.status != test.RUNNING:
        return JsonResponse({"variant": "A", "visitor_id": None, "counted": False})
    visitor_id = body.get("visitor_id") or assignment.new_visitor_id()
    label = services.participate(test, visitor_id)
    variant = test.variants.get(label=label)
    return JsonResponse(
        {
            "variant": label,
            "visitor_id": visitor_id,
            "counted": True,
            "revision_id": variant.revision_id,
        }
    )


@csrf_exempt
@require_POST
def convert(request, test_id):
    test, body, error = _load(request, test_id)
    if error:
        return error
    if not body.get("visitor_id"):
        return _error(
            "Send the visitor_id you were given when the visitor joined the test.",
            field="visitor_id",
        )
    label = services.convert(test, body["visitor_id"])
    return JsonResponse({"counted": label is not None, "variant": label})
