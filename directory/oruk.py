"""Open Referral UK (HSDS 3.0) shapes: our records to JSON, and another publisher's JSON to records.

Optional fields are omitted rather than sent as null, as the profile asks. Records that HSDS
gives an id but Signpost stores inside another record (addresses, accessibility notes,
taxonomy links, organisation identifiers) get ids derived from their owner's, so exporting twice
gives the same JSON, and so does export → import → export.
"""

import datetime
import uuid
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from .models import (
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
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


def organization_full_json(organization, *, services=()):
    data = organization_json(organization)
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
    data["organization_identifiers"] = identifiers
    data["services"] = [
        service_json(service, full=True, with_organization=False) for service in services
    ]
    return data


def location_json(location, *, full=True):
    data = {"id": str(location.pk), "location_type": location.location_type}
    _put(data, "name", location.name)
    _put(data, "description", location.description)
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
            "address_type": "postal"
            if location.location_type == Location.LocationType.POSTAL
            else "physical",
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
                "description": phone.description,
            }
        )
        for phone in service.phones.all()
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
            "taxonomy_terms__taxonomy",
        )
    )


# --- Another publisher's JSON -> our records ---------------------------------------------------


class RecordRejected(ValueError):
    """One record can't be imported; the message says why in terms a data owner understands."""


class Importer:
    """Upserts full ORUK services by id. Each service is all-or-nothing (one transaction)."""

    def __init__(self):
        self.created = 0
        self.updated = 0
        self.unchanged = 0
        self.rejected = []  # (id or position, reason)
        self._pending_parents = {}  # term id -> parent term id not yet seen

    def import_service(self, data, position=None):
        label = data.get("id") if isinstance(data, dict) else None
        try:
            with transaction.atomic():
                outcome = self._upsert_service(data)
        except RecordRejected as error:
            self.rejected.append((label or f"record {position}", str(error)))
            return None
        setattr(self, outcome, getattr(self, outcome) + 1)
        return outcome

    def finish(self):
        """Link child terms to parents that arrived later in the feed."""
        for term_id, parent_id in self._pending_parents.items():
            if TaxonomyTerm.objects.filter(pk=parent_id).exists():
                TaxonomyTerm.objects.filter(pk=term_id).update(parent_id=parent_id)

    # Each helper raises RecordRejected for anything that would make a wrong or partial record.

    def _upsert_service(self, data):
        if not isinstance(data, dict):
            raise RecordRejected("the record is not a JSON object")
        if "_fetch_error" in data:
            raise RecordRejected(f"could not be fetched: {data['_fetch_error']}")
        service_id = _uuid(data.get("id"), "id")
        name = _text(data, "name", required=True)
        status = data.get("status") or Service.Status.ACTIVE
        if status not in Service.Status.values:
            raise RecordRejected(
                f"status \u201c{status}\u201d is not one of {', '.join(Service.Status.values)}"
            )
        organization = self._organization(data)

        before = None
        existing = Service.objects.filter(pk=service_id).first()
        if existing is not None:
            before = service_json(full_service_queryset().get(pk=service_id), full=True)
        service = existing or Service(pk=service_id)
        service.organization = organization
        service.name = name
        service.description = _text(data, "description") or name
        service.url = _text(data, "url")
        service.email = _text(data, "email")
        service.status = status
        service.fees_description = _text(data, "fees")
        service.accreditations = _text(data, "accreditations")
        service.alert = _text(data, "alert")
        service.minimum_age = _age(data, "minimum_age")
        service.maximum_age = _age(data, "maximum_age")
        if (
            service.minimum_age is not None
            and service.maximum_age is not None
            and service.minimum_age > service.maximum_age
        ):
            raise RecordRejected("minimum_age is more than maximum_age")
        service.eligibility_description = _text(data, "eligibility_description")
        service.last_verified = _date(data, "assured_date")
        service.assurer_email = _text(data, "assurer_email")
        modified = data.get("last_modified")
        if modified:
            parsed = parse_datetime(str(modified))
            if parsed is None:
                raise RecordRejected(f"last_modified \u201c{modified}\u201d is not a date and time")
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=datetime.UTC)
            service.last_modified = parsed
        service.save(touch=not modified)

        links = []
        for index, item in enumerate(_list(data, "service_at_locations")):
            location = self._location(item.get("location"), index)
            link_id = _uuid(item.get("id"), f"service_at_locations[{index}].id")
            links.append(
                ServiceAtLocation(
                    pk=link_id,
                    service=service,
                    location=location,
                    description=_text(item, "description"),
                    sort_order=index,
                )
            )
        link_ids = {link.pk for link in links}
        schedules = []
        for index, item in enumerate(_list(data, "schedules")):
            link_ref = item.get("service_at_location_id")
            link_uuid = (
                _uuid(link_ref, f"schedules[{index}].service_at_location_id") if link_ref else None
            )
            if link_uuid is not None and link_uuid not in link_ids:
                raise RecordRejected(
                    f"schedules[{index}] names a service_at_location that is not in this service"
                )
            freq = item.get("freq") or Schedule.Frequency.WEEKLY
            if freq not in Schedule.Frequency.values:
                raise RecordRejected(f"schedules[{index}].freq must be WEEKLY or MONTHLY")
            schedules.append(
                Schedule(
                    pk=_uuid(item.get("id"), f"schedules[{index}].id"),
                    service=service,
                    service_at_location_id=link_uuid,
                    freq=freq,
                    interval=int(item.get("interval") or 1),
                    byday=_text(item, "byday").upper(),
                    bymonthday=_text(item, "bymonthday"),
                    opens_at=_time(item, "opens_at", index),
                    closes_at=_time(item, "closes_at", index),
                    dtstart=_date(item, "dtstart"),
                    valid_from=_date(item, "valid_from"),
                    valid_to=_date(item, "valid_to"),
                    description=_text(item, "description"),
                    attending_type=_text(item, "attending_type"),
                    notes=_text(item, "notes"),
                    sort_order=index,
                )
            )
        phones = [
            Phone(
                pk=_uuid(item.get("id"), f"phones[{i}].id"),
                service=service,
                number=_text(item, "number", required=True),
                description=_text(item, "description"),
                sort_order=i,
            )
            for i, item in enumerate(_list(data, "phones"))
        ]
        contacts = [
            Contact(
                pk=_uuid(item.get("id"), f"contacts[{i}].id"),
                service=service,
                name=_text(item, "name"),
                title=_text(item, "title"),
                department=_text(item, "department"),
                email=_text(item, "email"),
                sort_order=i,
            )
            for i, item in enumerate(_list(data, "contacts"))
        ]
        costs = [
            CostOption(
                pk=_uuid(item.get("id"), f"cost_options[{i}].id"),
                service=service,
                option=_text(item, "option"),
                amount=_amount(item, i),
                currency=_text(item, "currency") or "GBP",
                amount_description=_text(item, "amount_description"),
                valid_from=_date(item, "valid_from"),
                valid_to=_date(item, "valid_to"),
                sort_order=i,
            )
            for i, item in enumerate(_list(data, "cost_options"))
        ]
        areas = [
            ServiceArea(
                pk=_uuid(item.get("id"), f"service_areas[{i}].id"),
                service=service,
                name=_text(item, "name") or _text(item, "service_area") or "Area",
                description=_text(item, "description"),
                uri=_text(item, "uri"),
                sort_order=i,
            )
            for i, item in enumerate(_list(data, "service_areas"))
        ]
        languages = [
            Language(
                pk=_uuid(item.get("id"), f"languages[{i}].id"),
                service=service,
                name=_text(item, "name") or _text(item, "code") or "Unknown",
                code=_text(item, "code"),
                sort_order=i,
            )
            for i, item in enumerate(_list(data, "languages"))
        ]
        terms = [
            self._term(item.get("taxonomy_term"), i)
            for i, item in enumerate(_list(data, "attributes"))
            if item.get("taxonomy_term")
        ]

        # Replace the service's parts wholesale: simpler and safer than matching them one by one.
        children = (
            (ServiceAtLocation, links),
            (Schedule, schedules),
            (Phone, phones),
            (Contact, contacts),
            (CostOption, costs),
            (ServiceArea, areas),
            (Language, languages),
        )
        for model, _rows in reversed(children):
            model.objects.filter(service=service).delete()
        for model, rows in children:
            clash = model.objects.filter(pk__in=[row.pk for row in rows]).first()
            if clash is not None:
                raise RecordRejected(
                    f"{model._meta.verbose_name} {clash.pk} already belongs to another service"
                )
            model.objects.bulk_create(rows)
        service.taxonomy_terms.set(terms)
        service.save(touch=False)

        if before is None:
            return "created"
        after = service_json(full_service_queryset().get(pk=service.pk), full=True)
        return "unchanged" if after == before else "updated"

    def _organization(self, data):
        nested = data.get("organization")
        org_id = data.get("organization_id") or (nested or {}).get("id")
        if not org_id:
            raise RecordRejected("the service has no organization_id")
        org_id = _uuid(org_id, "organization_id")
        organization = Organization.objects.filter(pk=org_id).first()
        if not nested:
            if organization is None:
                raise RecordRejected(
                    f"organization {org_id} is not known and the record does not include it"
                )
            return organization
        organization = organization or Organization(pk=org_id)
        organization.name = _text(nested, "name", required=True, where="organization.")
        organization.description = _text(nested, "description") or organization.name
        organization.email = _text(nested, "email")
        organization.website = _text(nested, "website")
        for identifier in _list(nested, "organization_identifiers"):
            scheme = identifier.get("identifier_scheme")
            if scheme == CHARITY_SCHEME:
                organization.charity_number = "".join(
                    str(identifier.get("identifier", "")).split()
                ).upper()
            elif scheme == COMPANY_SCHEME:
                organization.company_number = str(identifier.get("identifier", ""))
        if not organization.provider_type:
            organization.provider_type = (
                Organization.ProviderType.REGISTERED_CHARITY
                if organization.charity_number
                else Organization.ProviderType.COMMUNITY_GROUP
            )
        if organization.charity_number:
            clash = (
                Organization.objects.filter(charity_number=organization.charity_number)
                .exclude(pk=organization.pk)
                .first()
            )
            if clash is not None:
                raise RecordRejected(
                    f"charity number {organization.charity_number} already belongs to {clash.name} ({clash.pk})"
                )
        organization.save()
        return organization

    def _location(self, data, index):
        if not isinstance(data, dict):
            raise RecordRejected(f"service_at_locations[{index}] has no location")
        location_id = _uuid(data.get("id"), f"service_at_locations[{index}].location.id")
        location = Location.objects.filter(pk=location_id).first() or Location(pk=location_id)
        location_type = data.get("location_type") or Location.LocationType.PHYSICAL
        if location_type not in Location.LocationType.values:
            raise RecordRejected(
                f"location_type \u201c{location_type}\u201d is not physical, postal or virtual"
            )
        location.location_type = location_type
        location.name = _text(data, "name") or "Unnamed location"
        location.description = _text(data, "description")
        location.latitude = _coordinate(data, "latitude", 90)
        location.longitude = _coordinate(data, "longitude", 180)
        location.external_identifier = _text(data, "external_identifier")
        addresses = data.get("addresses") or []
        if addresses:
            address = addresses[0]
            location.address_1 = _text(address, "address_1")
            location.address_2 = _text(address, "address_2")
            location.city = _text(address, "city")
            location.state_province = _text(address, "state_province")
            location.postal_code = _text(address, "postal_code")
            location.country = (_text(address, "country") or "GB")[:2]
        else:
            location.address_1 = location.address_2 = location.city = location.state_province = (
                location.postal_code
            ) = ""
        location.accessibility = "\n".join(
            _text(item, "description")
            for item in (data.get("accessibility") or [])
            if _text(item, "description")
        )
        location.save()
        return location

    def _term(self, data, index):
        term_id = _uuid(data.get("id"), f"attributes[{index}].taxonomy_term.id")
        term = TaxonomyTerm.objects.filter(pk=term_id).first()
        if term is not None:
            return term
        name = _text(data, "name", required=True, where=f"attributes[{index}].taxonomy_term.")
        taxonomy_id = data.get("taxonomy_id")
        taxonomy_name = _text(data, "taxonomy") or "Imported"
        if taxonomy_id:
            taxonomy, _ = Taxonomy.objects.get_or_create(
                pk=_uuid(taxonomy_id, "taxonomy_id"),
                defaults={"name": taxonomy_name, "description": taxonomy_name},
            )
        else:
            taxonomy, _ = Taxonomy.objects.get_or_create(
                name=taxonomy_name, defaults={"description": taxonomy_name}
            )
        code = _text(data, "code") or _text(data, "term") or f"term-{str(term_id)[:8]}"
        if TaxonomyTerm.objects.filter(code=code).exists():
            code = f"{code}-{str(term_id)[:8]}"
        parent_id = data.get("parent_id")
        term = TaxonomyTerm.objects.create(
            pk=term_id,
            taxonomy=taxonomy,
            name=name,
            code=code[:100],
            description=_text(data, "description"),
            term_uri=_text(data, "term_uri"),
        )
        if parent_id:
            parent_uuid = _uuid(parent_id, "taxonomy_term.parent_id")
            if TaxonomyTerm.objects.filter(pk=parent_uuid).exists():
                term.parent_id = parent_uuid
                term.save(update_fields=["parent"])
            else:
                self._pending_parents[term.pk] = parent_uuid
        return term


def _uuid(value, where):
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise RecordRejected(f"{where} \u201c{value}\u201d is not a UUID") from None


def _list(data, key):
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise RecordRejected(f"{key} must be a list of objects")
    return value


def _text(data, key, *, required=False, where=""):
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise RecordRejected(f"{where}{key} is missing")
        return ""
    if not isinstance(value, str | int | float):
        raise RecordRejected(f"{where}{key} must be text")
    return str(value).strip()


def _age(data, key):
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value > 150:
        raise RecordRejected(f"{key} \u201c{value}\u201d is not an age")
    return int(value)


def _date(data, key):
    value = data.get(key)
    if not value:
        return None
    parsed = parse_date(str(value)[:10])
    if parsed is None:
        raise RecordRejected(f"{key} \u201c{value}\u201d is not a date (use YYYY-MM-DD)")
    return parsed


def _time(data, key, index):
    value = data.get(key)
    if not value:
        return None
    parsed = parse_time(str(value)[:8])
    if parsed is None:
        raise RecordRejected(
            f"schedules[{index}].{key} \u201c{value}\u201d is not a time (use HH:MM)"
        )
    return parsed


def _amount(data, index):
    value = data.get("amount")
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise RecordRejected(
            f"cost_options[{index}].amount \u201c{value}\u201d is not a number"
        ) from None


def _coordinate(data, key, limit):
    value = data.get(key)
    if value is None or value == "":
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not -limit <= value <= limit
    ):
        raise RecordRejected(f"location {key} \u201c{value}\u201d is not a coordinate")
    return float(value)
