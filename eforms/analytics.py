"""How forms are used: enough for product owners to improve them, with no personal data."""

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
    # Abandoned drafts (older than a day, never submitted): where did people stop?
    stale = timezone.now() - timezone.timedelta(days=1)
    dropped = Counter(
        drafts.filter(submitted_at__isnull=True, updated_at__lt=stale).values_list(
            "last_page", flat=True
        )
    )
    drop_off_page = None
    if dropped:
        page, _count = dropped.most_common(1)[0]
        drop_off_page = page or "start"
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
