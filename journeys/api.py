"""What other apps may ask of journeys. Keep this small: it is journeys' public surface."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from eforms.api import Signpost

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from wagtail.models import Page

    from eforms.models import FormDefinition
    from personas.models import Persona

    from .models import JourneyPage
from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField
from django.db.models.functions import Cast
from wagtail.models import ReferenceIndex

from core import fragments

from .models import JourneyPage, PersonaPage

MAX_SIGNPOSTS = 5


class StepLink(TypedDict):
    number: int
    title: str
    logic: str
    current: bool  # the step that links to the page being shown


class JourneyNavigation(TypedDict):
    """The step-by-step sidebar of one journey a page is part of."""

    journey: JourneyPage
    url: str | None
    steps: list[StepLink]


def persona_page_urls(
    personas: Iterable[Persona], request: HttpRequest | None = None
) -> dict[int, str | None]:
    """Map persona id -> URL of its live persona page."""

    pages = PersonaPage.objects.live().filter(persona__in=personas)
    return {page.persona_id: page.get_url(request) for page in pages}


def _signpost(journey: JourneyPage, request: HttpRequest | None) -> Signpost:
    return {"title": journey.title, "url": journey.get_url(request), "summary": journey.summary}


def signposts_for_journey(
    journey: JourneyPage, request: HttpRequest | None = None, limit: int = MAX_SIGNPOSTS
) -> list[Signpost]:
    """ "You might also need": the editors' choices first, then journeys sharing topics,
    then journeys sharing personas, never the journey itself or a page twice."""

    chosen_ids = [j.pk for j in journey.related_journeys.all()]
    chosen = list(JourneyPage.objects.live().filter(pk__in=chosen_ids, locale=journey.locale))
    seen = {journey.pk, *(j.pk for j in chosen)}
    results = list(chosen)
    live = JourneyPage.objects.live().filter(locale=journey.locale).exclude(pk__in=seen)
    topic_ids = [tag.pk for tag in journey.topics.all()]
    if topic_ids and len(results) < limit:
        by_topic = live.filter(tagged_items__tag_id__in=topic_ids).distinct().order_by("title")
        for other in by_topic:
            if other.pk not in seen:
                results.append(other)
                seen.add(other.pk)
    if len(results) < limit:
        persona_ids = [persona.pk for persona in journey.personas.all()]
        for other in live.filter(personas__in=persona_ids).distinct().order_by("title"):
            if other.pk not in seen:
                results.append(other)
                seen.add(other.pk)
    return [_signpost(j, request) for j in results[:limit]]


def signposts_for_form(
    form: FormDefinition | str, request: HttpRequest | None = None, limit: int = MAX_SIGNPOSTS
) -> list[Signpost]:
    """Signposts for a form's confirmation page: the journeys that embed the form come
    first, then their own signposts, all in the form's language.

    Remembered (core.fragments) per form, language and host: working them out parses every
    journey that embeds the form, some thirty statements on each confirmation page.
    """
    slug = getattr(form, "slug", form)
    locale_id = getattr(form, "locale_id", None)
    host = request.get_host() if request is not None else ""
    return fragments.remember(
        "form-signposts",
        [slug, locale_id, host, limit],
        lambda: _signposts_for_form(slug, locale_id, request, limit),
    )


def _signposts_for_form(
    slug: str, locale_id: int | None, request: HttpRequest | None, limit: int
) -> list[Signpost]:
    embedding = journeys_embedding_form(slug, locale_id)
    results: list[Signpost] = []
    seen: set[str | None] = set()
    for journey in embedding:
        for item in [_signpost(journey, request), *signposts_for_journey(journey, request, limit)]:
            if item["url"] not in seen:
                seen.add(item["url"])
                results.append(item)
    return results[:limit]


def _actions(journey: JourneyPage) -> Iterator[Any]:
    for step in journey.steps:
        yield from step.value["actions"]


PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def journeys_embedding_form(form_slug: str, locale_id: int | None = None) -> list[JourneyPage]:
    """The live journeys with a step that starts the form, in title order (in one language
    when ``locale_id`` is given).

    A step names its form by slug in a ChoiceBlock, which Wagtail's reference index does not
    record. So the database narrows the candidates instead, to journeys whose stored (live)
    steps contain the quoted slug, and only those are parsed and checked exactly. A plain slug is
    written the same way in the JSON of every database we support; anything else falls back to
    checking every live journey.
    """

    candidates = JourneyPage.objects.live().order_by("title")
    if locale_id is not None:
        candidates = candidates.filter(locale_id=locale_id)
    if PLAIN_SLUG.fullmatch(form_slug or ""):
        candidates = candidates.filter(steps__icontains=f'"{form_slug}"')
    return [
        journey
        for journey in candidates
        if any(a.block_type == "eform" and a.value["form"] == form_slug for a in _actions(journey))
    ]


PAGE_LINK = re.compile(r'<a\b[^>]*\blinktype="page"[^>]*>')
LINK_ID = re.compile(r'\bid="(\d+)"')


def page_ids_linked_from(html: str | None) -> set[int]:
    """Ids of the pages a piece of Wagtail rich text links to."""
    return {
        int(m.group(1)) for tag in PAGE_LINK.findall(html or "") for m in [LINK_ID.search(tag)] if m
    }


def _step_page_ids(step: Mapping[str, Any]) -> set[int]:
    ids = page_ids_linked_from(step["body"].source if step.get("body") else "")
    for substep in step.get("substeps") or []:
        ids |= page_ids_linked_from(substep["body"].source)
    for action in step["actions"]:
        if action.block_type == "journey_link" and action.value.get("journey") is not None:
            ids.add(action.value["journey"].pk)
    return ids


def _live_journeys_referring_to(page: Page) -> QuerySet[JourneyPage]:
    """Live journeys in the page's language whose steps refer to the page, by Wagtail's reference index.

    Wagtail records the page links in rich text and the page chooser blocks of every saved
    page (``ReferenceIndex``). It re-reads the page from the database to do so, and a page's
    row holds its live content: saving a draft only adds a revision. So the index lists what
    the live journeys link to, never what a draft does, and this is one query however many
    journeys there are. The index keeps itself up to date on save, publish and delete, through
    Wagtail's task queue, which the background worker runs (``manage.py worker``): a moment
    after the editor publishes. ``load_demo`` builds it once at the end; after loading content
    any other way (``loaddata``, raw SQL), run ``manage.py rebuild_references_index``.
    """

    journey_ids = (
        ReferenceIndex.get_references_to(page)
        .filter(
            content_type=ContentType.objects.get_for_model(JourneyPage),
            model_path__startswith="steps.",
        )
        .annotate(journey_id=Cast("object_id", IntegerField()))
        .values("journey_id")
    )
    journeys: QuerySet[JourneyPage] = (
        JourneyPage.objects.live()
        .filter(pk__in=journey_ids, locale_id=page.locale_id)
        .exclude(pk=page.pk)
    )
    return journeys


def journeys_containing(page: Page) -> list[JourneyPage]:
    """The live journeys a page is part of, in tree order: a step links to it, in its text
    (body or substeps) or with a "link to another journey" action.

    The reference index narrows the journeys to those whose steps link to the page at all
    (it also records links this doesn't count, such as a self-check answer's journey), and
    each of those is checked exactly, so the answer is the same as checking every journey.
    """
    return [
        journey
        for journey in _live_journeys_referring_to(page)
        if any(page.pk in _step_page_ids(step.value) for step in journey.steps)
    ]


def step_by_step_for(page: Page, request: HttpRequest | None = None) -> list[JourneyNavigation]:
    """The sidebar model for a page that is part of a journey: titles and links of the steps,
    with the step linking to this page marked as current."""
    navigation: list[JourneyNavigation] = []
    for journey in journeys_containing(page):
        steps: list[StepLink] = []
        for number, step in enumerate(journey.steps, start=1):
            current = page.pk in _step_page_ids(step.value)
            steps.append(
                {
                    "number": number,
                    "title": step.value["title"],
                    "logic": step.value["logic"],
                    "current": current,
                }
            )
        navigation.append({"journey": journey, "url": journey.get_url(request), "steps": steps})
    return navigation
