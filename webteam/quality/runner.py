"""Running every check over one page, and storing a nightly run's findings."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from wagtail.models import Page

from core.models import OwnedMixin
from webteam.models import ContentCheckResult, JargonTerm

from . import markup, text
from .content import journey_steps_without_action, read_page
from .findings import ERROR, SEVERITY_ORDER, WARNING, Finding


@dataclass
class CheckContext:
    """What the checks need from outside the page, loaded once per run."""

    jargon: dict = None
    title_counts: Counter = None
    today: datetime.date = field(default_factory=datetime.date.today)

    @classmethod
    def load(cls, today=None):
        titles = (
            Page.objects.live()
            .filter(depth__gt=1)
            .annotate(t=Lower("title"))
            .values_list("locale_id", "t")
        )
        return cls(
            jargon=dict(JargonTerm.objects.values_list("term", "alternative")),
            title_counts=Counter(titles),
            today=today or datetime.date.today(),
        )

    @classmethod
    def for_page(cls, page, today=None):
        """What checking one page needs, in two small queries rather than every live title.

        The editor's checks panel runs the checks each time the editor's work is saved, so it
        counts only the live pages that share this page's title (in its language).
        """
        title = (page.title or "").lower()
        others = (
            Page.objects.live()
            .filter(depth__gt=1, locale_id=page.locale_id)
            .exclude(pk=page.pk)
            .annotate(t=Lower("title"))
            .filter(t=title)
            .count()
        )
        # _duplicate_title subtracts the page itself when it is live, as the nightly count has it.
        itself = 1 if page.live and page.pk else 0
        return cls(
            jargon=dict(JargonTerm.objects.values_list("term", "alternative")),
            title_counts=Counter({(page.locale_id, title): others + itself}),
            today=today or datetime.date.today(),
        )


def check_text(html, jargon=None):
    """The pure checks over a page's markup and words."""
    words = markup.text_of(html)
    return [
        *text.check_readability(words),
        *text.check_long_sentences(words),
        *text.check_passive_voice(words),
        *text.check_jargon(words, jargon or {}),
        *markup.check_heading_order(html),
        *markup.check_link_text(html),
    ]


def check_page(page, context=None):
    """Every finding for one page (a specific page instance, saved or not), most severe first."""
    context = context or CheckContext.load()
    content = read_page(page)
    findings = check_text(content.html, context.jargon)
    findings += markup.check_image_alt(content.html, content.image_alts)
    findings += _broken_internal_links(content)
    findings += _ownership(page, context.today)
    findings += _duplicate_title(page, context.title_counts)
    findings += [
        Finding(
            "step-without-action",
            WARNING,
            f"The step \u201c{title}\u201d has no action. Give residents something to do at each step.",
        )
        for title in journey_steps_without_action(page)
    ]
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])


def _broken_internal_links(content):
    ids = markup.internal_link_ids(content.html)
    live = set(
        Page.objects.filter(pk__in=[i for i in ids if i], live=True).values_list("pk", flat=True)
    )
    broken = [i for i in ids if i not in live]
    broken += [p for p in content.chosen_pages if p is not None and not p.live]
    if not broken:
        return []
    return [
        Finding(
            "broken-internal-link",
            ERROR,
            f"{len(broken)} link{'s go' if len(broken) > 1 else ' goes'} to a page that is deleted or unpublished.",
        )
    ]


def _ownership(page, today):
    if not isinstance(page, OwnedMixin):
        return []
    findings = []
    if page.delivery_unit_id is None:
        findings.append(
            Finding(
                "no-owner",
                ERROR,
                "This page has no owning delivery unit. Choose who looks after it.",
            )
        )
    if page.review_by is None:
        findings.append(Finding("no-review-date", WARNING, "This page has no review-by date."))
    elif page.review_by < today:
        findings.append(
            Finding(
                "review-overdue",
                WARNING,
                f"This page was due for review on {page.review_by:%-d %B %Y}. Check it is still right, then set a new date.",
            )
        )
    return findings


def _duplicate_title(page, title_counts):
    key = (page.locale_id, (page.title or "").lower())
    others = title_counts.get(key, 0) - (1 if page.live and page.pk else 0)
    if others <= 0:
        return []
    return [
        Finding(
            "duplicate-title",
            WARNING,
            f"{others} other page{'s have' if others > 1 else ' has'} the title \u201c{page.title}\u201d. "
            "Residents can\u2019t tell them apart in search results.",
        )
    ]


def store_results(page, findings, checked_at=None):
    """Replace a page's stored findings with this run's, all or nothing."""

    checked_at = checked_at or timezone.now()
    with transaction.atomic():
        ContentCheckResult.objects.filter(page_id=page.pk).delete()
        ContentCheckResult.objects.bulk_create(
            [
                ContentCheckResult(
                    page_id=page.pk,
                    delivery_unit_id=getattr(page, "delivery_unit_id", None),
                    code=f.code,
                    severity=f.severity,
                    message=f.message[:500],
                    checked_at=checked_at,
                )
                for f in findings
            ]
        )
