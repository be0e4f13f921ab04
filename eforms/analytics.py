"""How forms are used: enough for product owners to improve them, with no personal data.

A resident whose answers route them to an exit page ("You cannot apply") has been told what
to do instead: the form worked. They are counted as ``exits`` (by exit page), apart from the
residents who gave up part-way (``drop_offs``, by the last page they answered), so a form that
turns away the ineligible does not look like a form people abandon.
"""

import statistics
from collections import Counter

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import Locale

from .models import Draft, FormDefinition, Submission


def _family(form):
    """A form and its translations count as one form."""
    return FormDefinition.objects.filter(translation_key=form.translation_key)


def form_analytics(form, since=None):
    drafts = Draft.objects.filter(form__in=_family(form))
    submissions = Submission.objects.filter(form__in=_family(form))
    if since is not None:
        drafts = drafts.filter(started_at__gte=since)
        submissions = submissions.filter(submitted_at__gte=since)
    starts = drafts.count()
    completions = submissions.count()
    # Drafts left for more than a day, never submitted: sent to an exit page, or given up?
    stale = timezone.now() - timezone.timedelta(days=1)
    exits, dropped = Counter(), Counter()
    schemas = {}
    for form_id, answers, pages_seen, last_page in drafts.filter(
        submitted_at__isnull=True, updated_at__lt=stale
    ).values_list("form_id", "answers", "pages_seen", "last_page"):
        if form_id not in schemas:
            schemas[form_id] = FormDefinition.objects.get(pk=form_id).schema
        _path, next_page = schemas[form_id].path(answers or {}, set(pages_seen or []))
        if next_page is not None and next_page.kind == "exit":
            exits[next_page.name] += 1
        else:
            dropped[last_page or "start"] += 1
    drop_off_page = dropped.most_common(1)[0][0] if dropped else None
    durations = [
        s
        for s in submissions.exclude(seconds_to_complete=None).values_list(
            "seconds_to_complete", flat=True
        )
    ]
    return {
        "starts": starts,
        "completions": completions,
        "completion_rate": round(completions / starts, 3) if starts else None,
        "drop_off_page": drop_off_page,
        "drop_offs": sum(dropped.values()),
        "exits": sum(exits.values()),
        "exit_pages": dict(exits.most_common()),
        "median_seconds": int(statistics.median(durations)) if durations else None,
    }


def low_use(threshold=10, months=6):
    """Live English forms with fewer than ``threshold`` submissions in the last ``months`` months."""
    since = timezone.now() - timezone.timedelta(days=30 * months)

    forms = (
        FormDefinition.objects.filter(live=True, locale=Locale.get_default())
        .annotate(recent=Count("submissions", filter=Q(submissions__submitted_at__gte=since)))
        .filter(recent__lt=threshold)
        .select_related("delivery_unit")
        .order_by("recent", "title")
    )
    return list(forms)
