"""Open Referral UK (HSDS 3.0) shapes: our records to JSON (``importer`` reads them back).

Optional fields are omitted rather than sent as null, as the profile asks. Records that HSDS
gives an id but Signpost stores inside another record (addresses, accessibility notes,
taxonomy links, organisation identifiers) get ids derived from their owner's, so exporting twice
gives the same JSON, and so does export → import → export.
"""

import datetime
import uuid
from decimal import Decimal

from .models import (
    Service,
)

HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/openreferraluk/uk-profile"
DERIVED_IDS = uuid.UUID("0d6a8a44-5b52-4c36-9d87-7d1b1a5f3c10")  # namespace for derived ids

CHARITY_SCHEME = "GB-CHC"
COMPANY_SCHEME = "GB-COH"


def derived_id(*parts):
    return str(uuid.uuid5(DERIVED_IDS, ":".join(str(part) for part in parts)))


def _put(data, key, value):
    """Set an optional field only when it has a value."""
    if value is None or value == "":
        return
    if isinstance(value, datetime.datetime):
        value = value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    elif isinstance(value, datetime.date | datetime.time):
        value = value.isoformat()
    elif isinstance(value, Decimal):
        value = float(value)
    data[key] = value


# --- Our records -> JSON -------------------------------------------------------------------------


def taxonomy_json(taxonomy):
    data = {"id": str(taxonomy.pk), "name": taxonomy.name, "description": taxonomy.description}
    _put(data, "uri", taxonomy.uri)
    _put(data, "version", taxonomy.version)
    return data


def term_json(term):
    data = {"id": str(term.pk), "name": term.name, "description": term.description or term.name}
    _put(data, "parent_id", str(term.parent_id) if term.parent_id else None)
    data["taxonomy"] = term.taxonomy.name
    data["taxonomy_id"] = str(term.taxonomy_id)
    _put(data, "term_uri", term.term_uri)
    data["code"] = term.code
    return data


def organization_json(organization):
    """The organisation's one-to-one fields (organization_list.json)."""
    data = {
        "id": str(organization.pk),
        "name": organization.name,
        "description": organization.description,
    }
    _put(data, "email", organization.email)
    _put(data, "website", organization.website)
    _put(
        data,
        "parent_organization_id",
        str(organization.parent_organization_id) if organization.parent_organization_id else None,
    )
    return data


def organization_identifiers_json(organization):
    """Charity and company numbers as HSDS organisation identifiers."""
    identifiers = []
    for scheme, kind, value in (
        (CHARITY_SCHEME, "Charity number", organization.charity_number),
        (COMPANY_SCHEME, "Company number", organization.company_number),
    ):
        if value:
            identifiers.append(
                {
                    "id": derived_id(organization.pk, scheme),
                    "organization_id": str(organization.pk),
                    "identifier_scheme": scheme,
                    "identifier_type": kind,
                    "identifier": value,
                }
            )
    return identifiers


def organization_full_json(organization, *, services=()):
    data = organization_json(organization)
    data["organization_identifiers"] = organization_identifiers_json(organization)
    data["services"] = [
        service_json(service, full=True, with_organization=False) for service in services
    ]
    return data


def location_json(location, *, full=True):
    data = {"id": str(location.pk), "location_type": location.location_type}
    _put(data, "name", location.name)
    _put(data, "description", location.description)
    _put(data, "transportation", location.transportation)
    _put(data, "latitude", location.latitude)
    _put(data, "longitude", location.longitude)
    if location.external_identifier:
        data["external_identifier"] = location.external_identifier
        data["external_identifier_type"] = "UPRN"
    if not full:
        return data
    addresses = []
    if location.address_1 and location.postal_code:
        address = {
            "id": derived_id(location.pk, "address"),
            "location_id": str(location.pk),
            "address_1": location.address_1,
            "city": location.city or "",
            "state_province": location.state_province or "",
            "postal_code": location.postal_code,
            "country": location.country,
            "address_type": location.address_type,
        }
        _put(address, "address_2", location.address_2)
        addresses.append(address)
    data["addresses"] = addresses
    data["accessibility"] = [
        {
            "id": derived_id(location.pk, "accessibility", index),
            "location_id": str(location.pk),
            "description": line,
        }
        for index, line in enumerate(location.accessibility_list)
    ]
    return data


def schedule_json(schedule):
    data = {"id": str(schedule.pk), "service_id": str(schedule.service_id)}
    _put(
        data,
        "service_at_location_id",
        str(schedule.service_at_location_id) if schedule.service_at_location_id else None,
    )
    _put(data, "valid_from", schedule.valid_from)
    _put(data, "valid_to", schedule.valid_to)
    _put(data, "dtstart", schedule.dtstart)
    _put(data, "freq", schedule.freq)
    _put(data, "interval", schedule.interval)
    _put(data, "byday", schedule.byday)
    _put(data, "bymonthday", schedule.bymonthday)
    _put(data, "opens_at", schedule.opens_at)
    _put(data, "closes_at", schedule.closes_at)
    _put(data, "description", schedule.description)
    _put(data, "attending_type", schedule.attending_type)
    _put(data, "notes", schedule.notes)
    return data


def _service_fields(service):
    data = {
        "id": str(service.pk),
        "organization_id": str(service.organization_id),
        "name": service.name,
    }
    _put(data, "description", service.description)
    _put(data, "url", service.url)
    _put(data, "email", service.email)
    data["status"] = service.status
    _put(data, "fees", service.fees_description)
    _put(data, "accreditations", service.accreditations)
    _put(data, "minimum_age", service.minimum_age)
    _put(data, "maximum_age", service.maximum_age)
    _put(data, "eligibility_description", service.eligibility_description)
    _put(data, "application_process", service.application_process)
    _put(data, "wait_time", service.wait_time)
    _put(data, "assured_date", service.last_verified)
    _put(data, "assurer_email", service.assurer_email)
    _put(data, "alert", service.alert)
    _put(data, "last_modified", service.last_modified)
    return data


def service_json(service, *, full=False, with_organization=True):
    """A service: one-to-one fields (service_list.json), or fully nested (service.json)."""
    data = _service_fields(service)
    if with_organization:
        data["organization"] = organization_json(service.organization)
    if not full:
        return data
    if with_organization:
        # A partner re-importing this feed must not lose charity numbers (the full service's
        # nested organisation may carry them, in the profile's schema).
        data["organization"]["organization_identifiers"] = organization_identifiers_json(
            service.organization
        )
    data["schedules"] = [schedule_json(s) for s in service.schedules.all()]
    data["service_areas"] = [
        _compact(
            {
                "id": str(a.pk),
                "service_id": str(service.pk),
                "name": a.name,
                "description": a.description,
                "uri": a.uri,
            }
        )
        for a in service.service_areas.all()
    ]
    data["service_at_locations"] = [
        _compact(
            {
                "id": str(link.pk),
                "service_id": str(service.pk),
                "location_id": str(link.location_id),
                "description": link.description,
                "location": location_json(link.location),
            }
        )
        for link in service.service_at_locations.all()
    ]
    data["languages"] = [
        _compact(
            {
                "id": str(lang.pk),
                "service_id": str(service.pk),
                "name": lang.name,
                "code": lang.code,
            }
        )
        for lang in service.languages.all()
    ]
    data["cost_options"] = [
        _cost_option_json(option, service) for option in service.cost_options.all()
    ]
    data["contacts"] = [
        _compact(
            {
                "id": str(contact.pk),
                "service_id": str(service.pk),
                "name": contact.name,
                "title": contact.title,
                "department": contact.department,
                "email": contact.email,
            }
        )
        for contact in service.contacts.all()
    ]
    data["phones"] = [
        _compact(
            {
                "id": str(phone.pk),
                "service_id": str(service.pk),
                "number": phone.number,
                "extension": phone.extension,
                "description": phone.description,
            }
        )
        for phone in service.phones.all()
    ]
    data["required_documents"] = [
        _compact(
            {
                "id": str(document.pk),
                "service_id": str(service.pk),
                "document": document.document,
                "uri": document.uri,
            }
        )
        for document in service.required_documents.all()
    ]
    data["funding"] = [
        {"id": str(funding.pk), "service_id": str(service.pk), "source": funding.source}
        for funding in service.funding.all()
    ]
    data["attributes"] = [
        {
            "id": derived_id(service.pk, "term", term.pk),
            "link_id": str(service.pk),
            "link_type": "service",
            "taxonomy_term_id": str(term.pk),
            "taxonomy_term": term_json(term),
        }
        for term in sorted(service.taxonomy_terms.all(), key=lambda t: str(t.pk))
    ]
    return data


def _cost_option_json(option, service):
    data = {"id": str(option.pk), "service_id": str(service.pk)}
    _put(data, "option", option.option)
    _put(data, "amount", option.amount)
    _put(data, "currency", option.currency if option.amount is not None else None)
    _put(data, "amount_description", option.amount_description)
    _put(data, "valid_from", option.valid_from)
    _put(data, "valid_to", option.valid_to)
    return data


def _compact(data):
    return {key: value for key, value in data.items() if value is not None and value != ""}


def service_at_location_json(link, *, full=False, distance_km=None):
    data = {
        "id": str(link.pk),
        "service_id": str(link.service_id),
        "location_id": str(link.location_id),
    }
    _put(data, "description", link.description)
    data["location"] = location_json(link.location, full=full)
    data["service"] = service_json(link.service, full=full)
    if distance_km is not None:
        data["distance"] = round(distance_km * 1000)  # metres, as `proximity` is given
    return data


def full_service_queryset():
    """Published services with everything service_json(full=True) reads, in a handful of queries."""
    return (
        Service.objects.live()
        .select_related("organization")
        .prefetch_related(
            "schedules",
            "service_areas",
            "service_at_locations__location",
            "languages",
            "cost_options",
            "contacts",
            "phones",
            "required_documents",
            "funding",
            "taxonomy_terms__taxonomy",
        )
    )
