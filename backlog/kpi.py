"""Key performance indicators for a delivery unit or the whole site, each with a red/amber/green
status against the council's target and a monthly trend.

Targets come from ``SIGNPOST_KPI_TARGETS`` (defaults: 80% of contacts online, 80% of page
feedback saying the page was useful, 80% of started forms completed, 60% of searches with a
click in the first three results). Amber means within 10 percentage points of the target.
"""

from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from wagtail.models import Page

from core.models import OwnedMixin
from eforms.api import form_analytics, form_choices, get_form
from search.api import search_success_rate

from .charts import Chart
from .models import DemandRecord, PageFeedback

DEFAULT_TARGETS = {
    "online_share": 0.8,
    "satisfaction": 0.8,
    "form_completion": 0.8,
    "search_success": 0.6,
}
AMBER_MARGIN = 0.1
ASSISTED = ("phone", "face-to-face")


def targets():
    return {**DEFAULT_TARGETS, **(getattr(settings, "SIGNPOST_KPI_TARGETS", None) or {})}


def rag(value, target):
    if value is None:
        return "grey"
    if value >= target:
        return "green"
    return "amber" if value >= target - AMBER_MARGIN else "red"


def _pct(value):
    return None if value is None else round(value * 100, 1)


def online_share_by_month(unit=None):
    records = DemandRecord.objects.all()
    if unit is not None:
        records = records.filter(delivery_unit=unit)
    totals, web = defaultdict(int), defaultdict(int)
    for month, channel, count in records.values_list("month", "channel", "count"):
        totals[month] += count
        if channel == "web":
            web[month] += count
    return [
        (m.strftime("%Y-%m"), web[m] / totals[m] if totals[m] else None) for m in sorted(totals)
    ]


def avoidable_calls(unit=None):
    """Phone and face-to-face contacts in the latest month about services residents already use online."""
    records = DemandRecord.objects.all()
    if unit is not None:
        records = records.filter(delivery_unit=unit)
    latest = records.order_by("-month").values_list("month", flat=True).first()
    if latest is None:
        return None
    month = records.filter(month=latest)
    online_services = set(
        month.filter(channel="web", count__gt=0).values_list("service", flat=True)
    )
    return sum(
        month.filter(channel__in=ASSISTED, service__in=online_services).values_list(
            "count", flat=True
        )
    )


def satisfaction_by_month(unit=None):
    feedback = PageFeedback.objects.all()
    if unit is not None:
        feedback = _feedback_for_unit(feedback, unit)
    rows = (
        feedback.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(yes=Count("pk", filter=Q(useful=True)), total=Count("pk"))
        .order_by("month")
    )
    return [(row["month"].strftime("%Y-%m"), row["yes"] / row["total"]) for row in rows]


def _feedback_for_unit(feedback, unit):
    """Feedback on pages the unit owns (any page model with OwnedMixin's delivery_unit)."""

    page_ids = set()
    for model in apps.get_models():
        if issubclass(model, Page) and issubclass(model, OwnedMixin):
            page_ids.update(model.objects.filter(delivery_unit=unit).values_list("pk", flat=True))
    return feedback.filter(page_id__in=page_ids)


def form_completion(unit=None):
    """Completions ÷ starts over the unit's forms (via eforms.api), or None when nothing started."""
    starts = completions = 0
    for slug, _title in form_choices():
        form = get_form(slug)
        if form is None or (unit is not None and form.delivery_unit_id != unit.pk):
            continue
        figures = form_analytics(form)
        starts += figures["starts"]
        completions += figures["completions"]
    return completions / starts if starts else None


def search_success():
    """Share of searches with a click in the first three results."""

    return search_success_rate()


def dashboard(unit=None):
    """{"indicators": [...], "charts": [Chart, ...]} for a unit, or site-wide when unit is None."""
    goal = targets()
    online = online_share_by_month(unit)
    happy = satisfaction_by_month(unit)
    latest_online = online[-1][1] if online else None
    latest_happy = happy[-1][1] if happy else None
    completion = form_completion(unit)
    searching = search_success() if unit is None else None
    indicators = [
        {
            "key": "online_share",
            "name": "Contacts done online (latest month)",
            "value": _pct(latest_online),
            "target": _pct(goal["online_share"]),
            "status": rag(latest_online, goal["online_share"]),
            "unit": "%",
        },
        {
            "key": "avoidable_calls",
            "name": "Avoidable calls and visits (latest month)",
            "value": avoidable_calls(unit),
            "target": None,
            "status": "grey",
            "unit": "",
        },
        {
            "key": "form_completion",
            "name": "Forms completed after starting",
            "value": _pct(completion),
            "target": _pct(goal["form_completion"]),
            "status": rag(completion, goal["form_completion"]),
            "unit": "%",
        },
        {
            "key": "search_success",
            "name": "Searches with a click in the first three results",
            "value": _pct(searching),
            "target": _pct(goal["search_success"]),
            "status": rag(searching, goal["search_success"]),
            "unit": "%",
        },
        {
            "key": "satisfaction",
            "name": "Page feedback saying the page was useful (latest month)",
            "value": _pct(latest_happy),
            "target": _pct(goal["satisfaction"]),
            "status": rag(latest_happy, goal["satisfaction"]),
            "unit": "%",
        },
    ]
    charts = [
        Chart(
            "Contacts done online, by month",
            "%",
            [(m, _pct(v)) for m, v in online],
            _pct(goal["online_share"]),
            y_label="Contacts done online (%)",
        ),
        Chart(
            "Pages rated useful, by month",
            "%",
            [(m, _pct(v)) for m, v in happy],
            _pct(goal["satisfaction"]),
            y_label="Feedback saying useful (%)",
        ),
    ]
    return {"indicators": indicators, "charts": [c for c in charts if c.points]}
