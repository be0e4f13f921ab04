"""Operations on A/B tests: start one, assign and count visitors, end it and publish the winner."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core import pagecache

from . import assignment, stats

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from wagtail.models import Page, Revision

    from webteam.models import AbTest
from wagtail.models import Page

from webteam.models import AbTest, AbTestParticipant, AbTestVariant

LABELS = "ABCDEFGH"
RUNNING_ELSEWHERE = (
    "Another test is already running on this page. End it before starting a new one."
)


class VariantResult(TypedDict):
    label: str
    visitors: int
    conversions: int
    rate: float
    interval: tuple[float, float]  # 95% Wilson interval of the rate


class AbTestResults(TypedDict):
    variants: list[VariantResult]
    verdict: stats.Verdict


def create_test(
    page: Page,
    name: str,
    goal_type: str,
    variant_revisions: Sequence[Revision],
    control_share: int = 50,
    **fields: Any,
) -> AbTest:
    """A draft test with A (the live page) and one variant per draft revision, all or nothing."""

    if not variant_revisions:
        raise ValidationError("Make at least one variant from a draft of the page.")
    if len(variant_revisions) >= len(LABELS):
        raise ValidationError(f"A test can have at most {len(LABELS) - 1} variants.")
    for revision in variant_revisions:
        if int(revision.object_id) != page.pk:
            raise ValidationError("Each variant must be a draft of the page under test.")
    with transaction.atomic():
        test = AbTest.objects.create(
            page=page, name=name, goal_type=goal_type, control_share=control_share, **fields
        )
        AbTestVariant.objects.create(test=test, label="A")
        for label, revision in zip(LABELS[1:], variant_revisions, strict=False):
            AbTestVariant.objects.create(test=test, label=label, revision=revision)
    return test


def start_test(test: AbTest) -> AbTest:
    """Start a draft test: the page must be published and no other test may be running on it."""

    page = Page.objects.get(pk=test.page_id)  # fresh: the caller's copy may predate a publish
    if not page.live or page.live_revision_id is None:
        raise ValidationError(
            "Publish the page before testing it: version A is the published page."
        )
    if test.variants.exclude(revision=None).count() == 0:
        raise ValidationError("Make at least one variant from a draft of the page.")
    if test.status != AbTest.DRAFT:
        raise ValidationError("Only a draft test can be started.")
    if AbTest.objects.filter(page=page, status=AbTest.RUNNING).exclude(pk=test.pk).exists():
        raise ValidationError(RUNNING_ELSEWHERE)
    test.status, test.started_at = AbTest.RUNNING, timezone.now()
    try:
        with transaction.atomic():
            test.save(update_fields=["status", "started_at"])
    except IntegrityError as clash:  # two editors starting at once: the database constraint decides
        raise ValidationError(RUNNING_ELSEWHERE) from clash
    return test


def labels_for(test: AbTest) -> list[str]:
    return list(test.variants.order_by("label").values_list("label", flat=True))


def assign(test: AbTest, request: HttpRequest) -> tuple[str, str | None]:
    """(label, visitor_id or None). Visitors who may not take part see A and get no id."""
    if not assignment.may_take_part(request):
        return "A", None
    visitor_id: str = request.COOKIES.get(assignment.VISITOR_COOKIE) or assignment.new_visitor_id()
    label: str = assignment.choose_label(visitor_id, test.pk, test.control_share, labels_for(test))
    return label, visitor_id


def _visitor_hash(test: AbTest, visitor_id: str) -> str:
    return hashlib.sha256(f"signpost-ab:{test.pk}:{visitor_id}".encode()).hexdigest()


def participate(test: AbTest, visitor_id: str) -> str:
    """The visitor's label; the first time they see a running test they are counted once."""

    label: str = assignment.choose_label(visitor_id, test.pk, test.control_share, labels_for(test))
    if test.status != AbTest.RUNNING:
        return label
    with transaction.atomic():
        _, created = AbTestParticipant.objects.get_or_create(
            test=test, visitor_hash=_visitor_hash(test, visitor_id), defaults={"label": label}
        )
        if created:
            test.variants.filter(label=label).update(visitors=F("visitors") + 1)
    return label


def convert(test: AbTest, visitor_id: str) -> str | None:
    """Count a conversion for the visitor's own variant, once, and only if they were counted as a visitor."""

    if test.status != AbTest.RUNNING:
        return None
    with transaction.atomic():
        participant = (
            AbTestParticipant.objects.select_for_update()
            .filter(test=test, visitor_hash=_visitor_hash(test, visitor_id), converted=False)
            .first()
        )
        if participant is None:
            return None
        participant.converted = True
        participant.save(update_fields=["converted"])
        test.variants.filter(label=participant.label).update(conversions=F("conversions") + 1)
    return participant.label


def running_tests_with_goal(
    goal_type: str, target: str | None = None, goal_page: Page | None = None
) -> QuerySet[AbTest]:

    tests = AbTest.objects.filter(status=AbTest.RUNNING, goal_type=goal_type)
    if goal_page is not None:
        tests = tests.filter(goal_page_id=goal_page.pk)
    if target is not None:
        tests = tests.filter(goal_target=target)
    return tests


GOAL_PHRASES = {
    "reach-page": "reached the goal page",
    "start-form": "started the form",
    "complete-form": "completed the form",
    "use-action": "used the step\u2019s action",
    "click-search-result": "clicked a search result",
}


def results(test: AbTest) -> AbTestResults:
    """Each variant's counts, rate and 95% interval, plus the verdict."""
    variants = list(test.variants.order_by("label"))
    arms = [stats.Arm(v.label, v.visitors, v.conversions) for v in variants]
    rows: list[VariantResult] = [
        {
            "label": arm.label,
            "visitors": arm.visitors,
            "conversions": arm.conversions,
            "rate": arm.rate,
            "interval": stats.wilson_interval(arm.conversions, arm.visitors),
        }
        for arm in arms
    ]
    verdict: stats.Verdict = stats.verdict(
        arms, test.minimum_detectable_effect, GOAL_PHRASES.get(test.goal_type, "reached the goal")
    )
    return {"variants": rows, "verdict": verdict}


def end_tests_for_page(page: Page) -> int:
    """An urgent edit was published: running tests on the page no longer compare what they say."""

    ended = AbTest.objects.filter(page_id=page.pk, status=AbTest.RUNNING).update(
        status=AbTest.CANCELLED, ended_at=timezone.now()
    )
    pagecache.purge_model(AbTest)  # an update sends no signal
    return ended


def publish_winner(test: AbTest, user: User | None = None) -> stats.Verdict:
    """End the test and publish the winning version in one step (A needs no publishing)."""

    verdict = results(test)["verdict"]
    if not verdict.decided or not verdict.winner:
        raise ValidationError(verdict.message)
    with transaction.atomic():
        test.status, test.ended_at, test.winner = AbTest.FINISHED, timezone.now(), verdict.winner
        test.save(update_fields=["status", "ended_at", "winner"])
        if verdict.winner != "A":
            revision = test.variants.get(label=verdict.winner).revision
            if revision is None:  # its draft was deleted since (the variant keeps its counts)
                raise ValidationError(
                    f"Version {verdict.winner}'s draft no longer exists, so it can't be published."
                )
            revision.publish(user=user)
    return verdict
