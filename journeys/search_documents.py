"""How journeys and persona pages become search documents."""

from bs4 import BeautifulSoup
from django.db.models import prefetch_related_objects

from core.public_pages import PublicPages
from search.api import SearchDocument, register

from .models import JourneyPage, PersonaPage


def _text(html):
    return BeautifulSoup(html or "", "html.parser").get_text(" ", strip=True)


def journey_document_id(page):
    return f"page:{page.pk}"


def journey_to_document(page, public_pages=None):
    page = page.specific
    if not page.live:
        return None
    url = (public_pages or PublicPages()).url(page)
    if url is None:  # behind a view restriction: not for everyone, so not findable
        return None
    steps = []
    for step in page.steps:
        value = step.value
        steps.append(value["title"])
        steps.append(_text(value["body"].source if value.get("body") else ""))
        for substep in value.get("substeps") or []:
            steps.extend([substep["title"], _text(substep["body"].source)])
    return SearchDocument(
        id=journey_document_id(page),
        kind="journey",
        locale=page.locale.language_code,
        title=page.title,
        url=url,
        summary=page.summary,
        body=" ".join(part for part in [page.who_for, *steps, page.what_happens_next] if part),
        questions=page.question_list,
        personas=[p.slug for p in page.personas.all()],
        topics=[t.name for t in page.topics.all()],
        delivery_unit=page.delivery_unit.slug if page.delivery_unit_id else "",
        last_updated=page.last_published_at,
        live=True,
    )


def persona_page_to_document(page, public_pages=None):
    page = page.specific
    if not page.live:
        return None
    url = (public_pages or PublicPages()).url(page)
    if url is None:
        return None
    persona = page.persona
    summary = page.intro or persona.description
    # The summary once: the demo's intro is the persona's description, and a result showing
    # the same sentence twice (summary, then body) reads as a mistake.
    parts = [persona.description, *persona.kinds_of_help_list]
    body = " ".join(dict.fromkeys(part for part in parts if part and part != summary))
    return SearchDocument(
        id=journey_document_id(page),
        kind="persona",
        locale=page.locale.language_code,
        # What residents call it ("I want to report something or pay for something"), never
        # the team's name for the persona ("Report & transact").
        title=page.resident_title,
        url=url,
        summary=summary,
        body=body,
        personas=[persona.slug],
        delivery_unit=page.delivery_unit.slug if page.delivery_unit_id else "",
        last_updated=page.last_published_at,
    )


def journey_documents(pages):
    """``journey_to_document`` for a batch: restrictions and site roots read once."""
    prefetch_related_objects(pages, "locale", "delivery_unit", "personas", "topics")
    public_pages = PublicPages()
    return [journey_to_document(page, public_pages) for page in pages]


def persona_page_documents(pages):
    prefetch_related_objects(pages, "locale", "delivery_unit", "persona")
    public_pages = PublicPages()
    return [persona_page_to_document(page, public_pages) for page in pages]


def register_documents():

    register(
        JourneyPage,
        journey_to_document,
        document_id=journey_document_id,
        queryset=lambda: (
            JourneyPage.objects.live()
            .select_related("locale", "delivery_unit")
            .prefetch_related("personas", "topics")
        ),
        to_documents=journey_documents,
    )
    register(
        PersonaPage,
        persona_page_to_document,
        document_id=journey_document_id,
        queryset=lambda: PersonaPage.objects.live().select_related("locale", "persona"),
        to_documents=persona_page_documents,
    )
