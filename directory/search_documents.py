"""How services become search documents for the site search (see search/registry.py).

Each service is one English document; each translation of its words (a ``ServiceText`` in
another language) is one more document in that language's index, so a Polish search finds the
Polish words and links to the Polish page. Everything but the words comes from the service.
"""

from django.db.models.signals import post_save
from django.utils import translation
from wagtail.models import Locale

from search.api import SearchDocument, queue, register, register_geocoder

from .api import service_url
from .models import Service, ServiceText
from .postcodes import locate_postcode


def service_document_id(service):
    return f"service:{service.pk}"


def service_text_document_id(text):
    return f"service:{text.service_id}:{text.locale.language_code}"


def service_queryset():
    return Service.objects.select_related("organization", "owner").prefetch_related(
        "personas", "taxonomy_terms", "service_at_locations__location"
    )


def service_text_queryset():
    """Translations only: the English words are the service's own document."""
    return (
        ServiceText.objects.exclude(locale=Locale.get_default())
        .select_related("locale", "service__organization", "service__owner")
        .prefetch_related(
            "service__personas",
            "service__taxonomy_terms",
            "service__service_at_locations__location",
        )
    )


def _document(service, *, language_code, document_id, words):

    if service.status != Service.Status.ACTIVE or not service.live:
        return None
    location = None
    for link in service.service_at_locations.all():
        if link.location.point is not None:
            location = link.location.point
            break
    with translation.override(language_code):
        url = service_url(service)
    return SearchDocument(
        id=document_id,
        kind="service",
        locale=language_code,
        title=words.name,
        url=url,
        summary=words.description[:300],
        body="\n".join(
            part
            for part in (
                words.description,
                words.eligibility_description,
                service.organization.name,
            )
            if part
        ),
        personas=sorted({persona.slug for persona in service.personas.all()}),
        topics=_topics(service, language_code),
        delivery_unit=service.owner.slug if service.owner_id else "",
        location=location,
        last_updated=service.last_modified,
    )


def _topics(service, language_code):
    """Category codes, and their names in the document's language (and in English)."""
    terms = list(service.taxonomy_terms.all())
    with translation.override(language_code):
        names = [term.local_name for term in terms]
    return [term.code for term in terms] + sorted({*names, *(term.name for term in terms)})


def service_to_document(service):
    return _document(
        service,
        language_code=Locale.get_default().language_code,
        document_id=service_document_id(service),
        words=service,
    )


def service_text_to_document(text):
    if text.locale_id == Locale.get_default().pk:
        return None
    return _document(
        text.service,
        language_code=text.locale.language_code,
        document_id=service_text_document_id(text),
        words=text,
    )


def _queue_translations(sender, instance, raw=False, created=False, **kwargs):
    """A service's status, places and categories are in its translations' documents too
    (a service saved for the first time has no translations yet)."""
    if raw or created:
        return

    for text in (
        ServiceText.objects.filter(service=instance)
        .exclude(locale=Locale.get_default())
        .select_related("locale")
    ):
        queue(text)


def register_documents():

    register(
        Service, service_to_document, document_id=service_document_id, queryset=service_queryset
    )
    register(
        ServiceText,
        service_text_to_document,
        document_id=service_text_document_id,
        queryset=service_text_queryset,
    )
    post_save.connect(
        _queue_translations, sender=Service, dispatch_uid="directory-service-translations-search"
    )

    register_geocoder(locate_postcode)
