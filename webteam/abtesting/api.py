"""What other apps may ask of A/B testing. Keep this small.

eforms calls `goal_reached(request, "start-form", slug)` and `goal_reached(request, "complete-form", slug)`;
journeys calls `goal_reached(request, "use-action", name)`; search calls
`goal_reached(request, "click-search-result", query_or_page)` (an empty target matches any).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import assignment, services

if TYPE_CHECKING:
    from django.http import HttpRequest


def goal_reached(request: HttpRequest, goal_type: str, target: str = "") -> list[tuple[int, str]]:
    """Count a conversion for every running test with this goal that the visitor takes part in."""
    visitor_id = request.COOKIES.get(assignment.VISITOR_COOKIE)
    if not visitor_id or not assignment.may_take_part(request):
        return []
    counted: list[tuple[int, str]] = []
    for test in services.running_tests_with_goal(goal_type):
        if test.goal_target in ("", target):
            label = services.convert(test, visitor_id)
            if label:
                counted.append((test.pk, label))
    return counted
