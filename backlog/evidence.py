"""The evidence beside a story: what residents searched, how linked forms are used, what they
said about linked pages, and how they contacted us. Other apps are asked only through their api.

A search counts as evidence for a story only for a reason a product owner can check, and each
row says which:

- **clicked**: a resident who searched it chose one of the story's pages or forms (any
  language) from the results;
- **phrase**: it found nothing and holds one of the story's key phrases, word for word after
  stemming ("falling" for "falls");
- **attached**: a product owner attached it by hand (and may detach it).

Beside the searches: what residents wrote in "tell us what you were looking for" on a search
page that found little, when it holds one of the story's key phrases (``told_us_evidence``).

Searches that merely share a word with the story ("help") are not evidence: they are offered
separately, as candidates to attach.
"""

import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from wagtail.models import Page

from eforms.api import form_analytics, get_form, start_url
from search.api import (
    feedback_with,
    logged_query,
    queries_clicking,
    queries_matching,
    query_rows,
    zero_result_queries_with,
)

from .demand import demand_by_channel
from .models import AttachedQuery, DemandRecord, PageFeedback, StoryChange

CANDIDATE_LIMIT = 10


class AttachError(ValueError):
    pass


def delivering_urls(story):
    """{path: title} of the story's pages (with their translations) and forms, in every language."""
    urls = {}
    for page in story.pages.all():
        for version in Page.objects.filter(translation_key=page.translation_key):
            url = version.get_url()
            if url:
                urls[url] = version.title
    for slug in story.form_slug_list:
        for code, _name in settings.LANGUAGES:
            form = get_form(slug, code)
            if form is not None:
                urls[start_url(form)] = form.title
    return urls


def search_evidence(story):
    """Searches that are evidence for the story, each with why; found-nothing ones first.

    [{"query", "count", "zero_result", "clicks", "reasons": [{"kind", ...}], "attachment"}]
    """
    rows = {}

    def row_for(found):
        row = rows.setdefault(found["query"], {**found, "reasons": [], "attachment": None})
        row["zero_result"] = row["zero_result"] or found["zero_result"]
        return row

    urls = delivering_urls(story)
    for found in queries_clicking(urls):
        row = row_for(found)
        for path, times in sorted(found["chosen"].items()):
            row["reasons"].append(
                {"kind": "clicked", "url": path, "title": urls.get(path, path), "times": times}
            )
    for found in zero_result_queries_with(story.key_phrase_list):
        row_for(found)["reasons"].append({"kind": "phrase", "phrase": found["phrase"]})
    attachments = {a.query: a for a in story.attached_queries.select_related("attached_by")}
    logged = {row["query"]: row for row in query_rows(attachments)}
    for query, attachment in attachments.items():
        found = logged.get(query) or {"query": query, "count": 0, "zero_result": False, "clicks": 0}
        row = row_for(found)
        row["reasons"].append(
            {"kind": "attached", "by": attachment.attached_by, "at": attachment.attached_at}
        )
        row["attachment"] = attachment
    return sorted(
        rows.values(), key=lambda row: (not row["zero_result"], -row["count"], row["query"])
    )


def candidate_searches(story, evidence):
    """Logged searches sharing a word with the story that are not evidence yet: to attach or not."""
    shown = {row["query"] for row in evidence}
    found = [row for row in queries_matching(story.story) if row["query"] not in shown]
    return found[:CANDIDATE_LIMIT]


@transaction.atomic
def attach_query(story, user, text):
    """Attach a logged search to the story as evidence, recorded in its history."""
    query = logged_query(text)
    if not query:
        raise AttachError("Enter the search to attach")
    if not query_rows([query]):
        raise AttachError(f"Nobody has searched for “{query}”: attach a search from the log")
    try:
        with transaction.atomic():
            attachment = AttachedQuery.objects.create(story=story, query=query, attached_by=user)
    except IntegrityError:
        raise AttachError(f"“{query}” is already attached to this story") from None
    StoryChange.objects.create(
        story=story, user=user, reason="Attached a search", changes={"searches": [None, query]}
    )
    return attachment


@transaction.atomic
def detach_query(story, user, query):
    """Take a search attached by hand off the story (recorded in its history)."""
    deleted, _ = story.attached_queries.filter(query=query).delete()
    if deleted:
        StoryChange.objects.create(
            story=story, user=user, reason="Detached a search", changes={"searches": [query, None]}
        )
    return bool(deleted)


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
        .order_by("service")  # not the model's ordering, which would repeat each service
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


def told_us_evidence(story):
    """What residents wrote in "tell us what you were looking for" after a search found little,
    when it (or the search) holds one of the story's key phrases, stemmed. Newest first;
    already stripped of emails, phone numbers and postcodes by search."""
    return feedback_with(story.key_phrase_list)


def story_evidence(story):
    pages = story.pages.all()
    searches = search_evidence(story)
    return {
        "searches": searches,
        "told_us": told_us_evidence(story),
        "candidate_searches": candidate_searches(story, searches),
        "forms": form_evidence(story),
        "feedback": feedback_summary(pages),
        "demand": demand_evidence(story),
    }
