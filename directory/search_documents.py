"""How services become search documents for the site search (see search/registry.py)."""

from .api import service_url
from .models import Service


def service_document_id(service):
    return f"service:{service.pk}"


def service_queryset():
    return Service.objects.select_related("organization", "owner").prefetch_related(
        "personas", "taxonomy_terms", "service_at_locations__location"
    )


def service_to_document(service):
    from search.registry import SearchDocument

    if service.status != Service.Status.ACTIVE:
        return None
    location = None
    for link in service.service_at_locations.all():
        if link.location.point is not None:
            location = link.location.point
            break
    return SearchDocument(
        id=service_document_id(service),
        kind="service",
        locale="en-gb",
        title=service.name,
        url=service_url(service),
        summary=service.description[:300],
        body="\n".join(part for part in (service.description, service.eligibility_description, service.organization.name) if part),
        personas=sorted({persona.slug for persona in service.personas.all()}),
        topics=[term.code for term in service.taxonomy_terms.all()] + [term.name for term in service.taxonomy_terms.all()],
        delivery_unit=service.owner.slug if service.owner_id else "",
        location=location,
        last_updated=service.last_modified,
    )


def register_documents():
    from search import registry

    registry.register(Service, service_to_document, document_id=service_document_id, queryset=service_queryset)
    if hasattr(registry, "register_geocoder"):
        from .postcodes import locate_postcode

        registry.register_geocoder(locate_postcode)
