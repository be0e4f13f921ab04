"""The evidence beside a story: what residents searched, how linked forms are used, what they
said about linked pages, and how they contacted us. Other apps are asked only through their api."""

import re

from django.db.models import Count, Q

from eforms.api import form_analytics, get_form
from search.api import queries_matching

from .demand import demand_by_channel
from .models import DemandRecord, PageFeedback


def search_evidence(story):
    """Logged searches sharing words with the story; zero-result ones flagged (and listed first)."""
    rows = list(queries_matching(story.story))
    return sorted(rows, key=lambda row: (not row["zero_result"], -row["count"]))


def form_evidence(story):
    """[{"slug", "form", "starts", "completions", "completion_rate", "drop_off_page", ...}]."""
    rows = []
    for slug in story.form_slug_list:
        form = get_form(slug)
        if form is None:
            rows.append({"slug": slug, "form": None})
            continue
        rows.append({"slug": slug, "form": form, **form_analytics(form)})
    return rows


def feedback_summary(pages):
    """{"useful", "not_useful", "satisfaction" (0-1 or None), "comments": latest 10}."""
    feedback = PageFeedback.objects.filter(page__in=pages)
    counts = feedback.aggregate(
        yes=Count("pk", filter=Q(useful=True)), no=Count("pk", filter=Q(useful=False))
    )
    total = counts["yes"] + counts["no"]
    return {
        "useful": counts["yes"],
        "not_useful": counts["no"],
        "satisfaction": round(counts["yes"] / total, 3) if total else None,
        "comments": list(feedback.exclude(comment="").select_related("page")[:10]),
    }


STOP_WORDS = {
    "and",
    "the",
    "for",
    "how",
    "can",
    "get",
    "what",
    "with",
    "that",
    "this",
    "you",
    "your",
    "our",
    "want",
    "from",
    "who",
    "not",
    "are",
    "was",
    "wasn",
}


def _words(text):
    words = set()
    for word in re.findall(r"[a-z]+", text.lower()):
        if word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if len(word) >= 3 and word not in STOP_WORDS:
            words.add(word)
    return words


def matching_services(story):
    """Demand services in the story's unit that share a word with the story."""
    story_words = _words(story.story)
    services = (
        DemandRecord.objects.filter(delivery_unit_id=story.delivery_unit_id)
        .values_list("service", flat=True)
        .distinct()
    )
    return sorted(s for s in services if _words(s) & story_words)


def demand_evidence(story):
    services = matching_services(story)
    if not services:
        return {"services": [], "by_channel": {}}
    words = [s.lower() for s in services]
    return {"services": services, "by_channel": demand_by_channel(service_words=words)}


def story_evidence(story):
    pages = story.pages.all()
    return {
        "searches": search_evidence(story),
        "forms": form_evidence(story),
        "feedback": feedback_summary(pages),
        "demand": demand_evidence(story),
    }
