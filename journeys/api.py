"""What other apps may ask of journeys. Keep this small: it is journeys' public surface."""

import json
import re

MAX_SIGNPOSTS = 5


def persona_page_urls(personas, request=None):
    """Map persona id -> URL of its live persona page."""
    from .models import PersonaPage

    pages = PersonaPage.objects.live().filter(persona__in=personas)
    return {page.persona_id: page.get_url(request) for page in pages}


def _signpost(journey, request):
    return {"title": journey.title, "url": journey.get_url(request), "summary": journey.summary}


def signposts_for_journey(journey, request=None, limit=MAX_SIGNPOSTS):
    """"You might also need": the editors' choices first, then journeys sharing topics,
    then journeys sharing personas, never the journey itself or a page twice."""
    from .models import JourneyPage

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


def signposts_for_form(form, request=None, limit=MAX_SIGNPOSTS):
    """Signposts for a form's confirmation page: the journeys that embed the form come
    first, then their own signposts."""
    slug = getattr(form, "slug", form)
    embedding = journeys_embedding_form(slug)
    results, seen = [], set()
    for journey in embedding:
        for item in [_signpost(journey, request), *signposts_for_journey(journey, request, limit)]:
            if item["url"] not in seen:
                seen.add(item["url"])
                results.append(item)
    return results[:limit]


def _actions(journey):
    for step in journey.steps:
        yield from step.value["actions"]


def journeys_embedding_form(form_slug):
    from .models import JourneyPage

    return [
        journey
        for journey in JourneyPage.objects.live().order_by("title")
        if any(a.block_type == "eform" and a.value["form"] == form_slug for a in _actions(journey))
    ]


PAGE_LINK = re.compile(r'<a\b[^>]*\blinktype="page"[^>]*>')
LINK_ID = re.compile(r'\bid="(\d+)"')


def page_ids_linked_from(html):
    """Ids of the pages a piece of Wagtail rich text links to."""
    return {int(m.group(1)) for tag in PAGE_LINK.findall(html or "") for m in [LINK_ID.search(tag)] if m}


def _step_page_ids(step):
    ids = page_ids_linked_from(step["body"].source if step.get("body") else "")
    for substep in step.get("substeps") or []:
        ids |= page_ids_linked_from(substep["body"].source)
    for action in step["actions"]:
        if action.block_type == "journey_link" and action.value.get("journey") is not None:
            ids.add(action.value["journey"].pk)
    return ids


def journeys_containing(page):
    """The live journeys a page is part of: a step links to it (in its text or as an action).

    Computed from the journeys themselves on each request, so the step-by-step sidebar can
    never go stale. The raw JSON is checked first, so only candidate journeys are parsed.
    """
    from .models import JourneyPage

    marker = f'id=\\"{page.pk}\\"'
    found = []
    candidates = JourneyPage.objects.live().filter(locale_id=page.locale_id).exclude(pk=page.pk)
    for journey in candidates:
        raw = json.dumps(list(journey.steps.raw_data))
        if marker not in raw and f'"journey": {page.pk}' not in raw:
            continue
        if any(page.pk in _step_page_ids(step.value) for step in journey.steps):
            found.append(journey)
    return found


def step_by_step_for(page, request=None):
    """The sidebar model for a page that is part of a journey: titles and links of the steps,
    with the step linking to this page marked as current."""
    navigation = []
    for journey in journeys_containing(page):
        steps = []
        for number, step in enumerate(journey.steps, start=1):
            current = page.pk in _step_page_ids(step.value)
            steps.append({"number": number, "title": step.value["title"], "logic": step.value["logic"], "current": current})
        navigation.append({"journey": journey, "url": journey.get_url(request), "steps": steps})
    return navigation
