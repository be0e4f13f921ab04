"""Import another publisher's Open Referral UK records without losing what Signpost already holds.

Three rules make a partner's feed safe to pull every night:

- **Merge, never wipe.** A list the record leaves out (a ``/services`` list page has no
  locations or schedules) keeps what Signpost holds; a list given empty clears it. Ids are
  kept, so a phone number keeps its id through export and re-import.
- **Compare, then write only what differs.** An unchanged record costs a read of the service,
  its organisation, its locations and each child table, and no writes, so ``last_modified``
  (and a ``modified_after`` consumer) only moves when something really changed.
- **One record, one transaction.** Any failure (a bad value, a database refusal, a lock that
  outlasts three tries) becomes one line of the report with the record's id and the run goes
  on. Fixable values are fixed or left out with a warning instead (see ``import_values``).

Fields HSDS has and Signpost has no place for yet are counted in the report, never dropped
without a word.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import DatabaseError, OperationalError, models, transaction

from core.references import batched_reference_updates

from . import page_dependencies
from .import_values import RecordRejected, ValueReader
from .models import (
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from .postcodes import locate_postcode

logger = logging.getLogger(__name__)

CHARITY_SCHEME = "GB-CHC"
COMPANY_SCHEME = "GB-COH"
LOCK_RETRIES = 3

# Keys that only say which record a child belongs to: the nesting already says so.
_LINK_KEYS = {
    "service_id",
    "organization_id",
    "location_id",
    "link_id",
    "link_type",
    "link_entity",
    "contact_id",
    "service_at_location_id",
    "taxonomy_term_id",
    "taxonomy_id",
}
_SERVICE_KEYS = {
    "id",
    "organization",
    "name",
    "description",
    "url",
    "email",
    "status",
    "fees",
    "fees_description",
    "accreditations",
    "alert",
    "minimum_age",
    "maximum_age",
    "eligibility_description",
    "application_process",
    "wait_time",
    "required_documents",
    "funding",
    "assured_date",
    "assurer_email",
    "last_modified",
    "schedules",
    "service_areas",
    "service_at_locations",
    "languages",
    "cost_options",
    "contacts",
    "phones",
    "attributes",
}
_ORGANIZATION_KEYS = {
    "id",
    "name",
    "description",
    "email",
    "website",
    "parent_organization_id",
    "organization_identifiers",
    "last_modified",
    "services",
}
_LOCATION_KEYS = {
    "id",
    "location_type",
    "name",
    "description",
    "latitude",
    "longitude",
    "external_identifier",
    "external_identifier_type",
    "addresses",
    "accessibility",
    "transportation",
}
_ADDRESS_KEYS = {
    "id",
    "address_1",
    "address_2",
    "city",
    "state_province",
    "postal_code",
    "country",
    "address_type",
}
_SAL_KEYS = {"id", "description", "location", "schedules", "service"}
# The columns each child table compares and writes; its id and service are handled apart.
_CHILD_FIELDS: dict[type[models.Model], list[str]] = {
    ServiceAtLocation: ["location_id", "description", "sort_order"],
    Schedule: [
        "service_at_location_id",
        "freq",
        "interval",
        "byday",
        "bymonthday",
        "opens_at",
        "closes_at",
        "dtstart",
        "valid_from",
        "valid_to",
        "description",
        "attending_type",
        "notes",
        "sort_order",
    ],
    Phone: ["number", "extension", "description", "sort_order"],
    RequiredDocument: ["document", "uri", "sort_order"],
    Funding: ["source", "sort_order"],
    Contact: ["name", "title", "department", "email", "sort_order"],
    CostOption: [
        "option",
        "amount",
        "currency",
        "amount_description",
        "valid_from",
        "valid_to",
        "sort_order",
    ],
    ServiceArea: ["name", "description", "uri", "sort_order"],
    Language: ["name", "code", "sort_order"],
}


def _keys(model: type[models.Model], *extra: str) -> set[str]:
    """The record keys a child table keeps: its columns as HSDS names them, and its id."""
    columns = {name for name in _CHILD_FIELDS[model] if name != "sort_order"}
    return {"id", *extra} | {name for name in columns if not name.endswith("_id")}


_SCHEDULE_KEYS = _keys(Schedule)
_CHILD_KEYS = {
    "phones": _keys(Phone),
    "required_documents": _keys(RequiredDocument),
    "funding": _keys(Funding),
    "contacts": _keys(Contact),
    "cost_options": _keys(CostOption),
    "service_areas": _keys(ServiceArea, "service_area"),
    "languages": _keys(Language),
}


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)


def record_kind(data: object) -> str:
    """What a record in a file is: a service, an organisation (perhaps with its services), or a
    service-at-location (the ``/service_at_locations`` shape, with its service nested)."""
    if not isinstance(data, dict):
        return "service"
    if isinstance(data.get("service"), dict):
        return "service_at_location"
    service_only = {"organization", "organization_id", "status", "service_at_locations", "url"}
    organization_only = {"services", "organization_identifiers", "website", "logo", "legal_status"}
    if not (service_only & data.keys()) and organization_only & data.keys():
        return "organization"
    return "service"


@dataclass
class ImportReport:
    """What one run did, record by record, in words a partner's data owner can act on."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    not_kept: Counter[str] = field(default_factory=Counter)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def summary(self) -> str:
        return (
            f"Created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"rejected {len(self.rejected)}."
        )

    def lines(self) -> list[str]:
        lines = [self.summary]
        lines += [f"  Rejected {label}: {reason}" for label, reason in self.rejected]
        lines += [f"  Warning {label}: {message}" for label, message in self.warnings]
        if self.not_kept:
            lines.append("Not kept, because Signpost has no place for them yet:")
            lines += [
                f"  {name} ({count} time{'s' if count != 1 else ''})"
                for name, count in sorted(self.not_kept.items())
            ]
        return lines


class Importer:
    """Imports ORUK records one at a time; ``finish`` links parents that arrived late."""

    def __init__(self, feed: str = "file") -> None:
        # Every record this run creates belongs to ``feed``; it may change only the feed's own.
        self.feed = feed
        self.report = ImportReport()
        self._pending_term_parents: dict[uuid.UUID, uuid.UUID] = {}
        self._pending_organization_parents: dict[uuid.UUID, uuid.UUID] = {}

    def import_all(self, records: Iterable[object]) -> ImportReport:
        """Import every record, then ``finish``. Wagtail's reference index ("Usage" in the
        admin) is updated in the background once per few hundred records, not once per save."""
        with batched_reference_updates() as references:
            for position, record in enumerate(records, start=1):
                self.import_record(record, position)
                references.enqueue_if_full()
            self.finish()
        return self.report

    # --- one record ---------------------------------------------------------------------------

    def import_record(self, data: object, position: int | None = None) -> str | None:
        """Import one record of any kind; returns its outcome, or None when it was rejected."""
        kind = record_kind(data)
        if kind == "organization":
            return self.import_organization(data, position)
        if kind == "service_at_location":
            return self._isolated(data, position, self._upsert_service_at_location)
        return self.import_service(data, position)

    def import_service(self, data: object, position: int | None = None) -> str | None:
        return self._isolated(data, position, self._upsert_service)

    def import_organization(self, data: object, position: int | None = None) -> str | None:
        """An organisation, then each of its services as a record of its own."""
        outcome = self._isolated(data, position, self._upsert_organization_record)
        if outcome is None or not isinstance(data.get("services"), list):
            return outcome
        for index, service in enumerate(data["services"]):
            if isinstance(service, dict) and not (
                service.get("organization_id") or service.get("organization")
            ):
                service = {**service, "organization_id": data.get("id")}
            self._isolated(service, f"{position or 1}.services[{index}]", self._upsert_service)
        return outcome

    def _isolated(self, data: object, position: object, upsert) -> str | None:
        label = str(data.get("id")) if isinstance(data, dict) and data.get("id") else None
        label = label or f"record {position}"
        for attempt in range(1, LOCK_RETRIES + 1):
            reader = ValueReader(label)
            try:
                with transaction.atomic():
                    outcome = upsert(data, reader)
            except RecordRejected as error:
                return self._reject(label, str(error))
            except OperationalError as error:
                if attempt < LOCK_RETRIES and _transient(error):
                    time.sleep(0.2 * attempt)
                    continue
                return self._reject(
                    label, f"the database could not store it ({_first_line(error)})"
                )
            except DatabaseError as error:
                return self._reject(label, f"the database refused it ({_first_line(error)})")
            except Exception as error:  # one record never stops the rest of the feed
                logger.exception("Open Referral UK record %s could not be imported", label)
                return self._reject(label, f"it could not be read ({type(error).__name__})")
            self.report.count(outcome)
            self.report.warnings += [(label, message) for message in reader.warnings]
            return outcome
        return None  # pragma: no cover - the loop always returns

    def _reject(self, label: str, reason: str) -> None:
        self.report.rejected.append((label, reason))
        return None

    def finish(self) -> None:
        """Link terms and organisations to parents that arrived later in the feed.

        Then forget the cached pages that show the directory: the sync's bulk writes send no
        signals."""
        for term_id, parent_id in self._pending_term_parents.items():
            if TaxonomyTerm.objects.filter(pk=parent_id).exists():
                TaxonomyTerm.objects.filter(pk=term_id).update(parent_id=parent_id)
        for organization_id, parent_id in self._pending_organization_parents.items():
            if Organization.objects.filter(pk=parent_id).exists():
                Organization.objects.filter(pk=organization_id).update(
                    parent_organization_id=parent_id
                )
            else:
                self.report.warnings.append(
                    (
                        str(organization_id),
                        f"parent_organization_id {parent_id} is not in this feed or Signpost, "
                        "so it was left out",
                    )
                )
        page_dependencies.purge_all()

    # --- services -----------------------------------------------------------------------------

    def _upsert_service(self, data: object, reader: ValueReader) -> str:
        if not isinstance(data, dict):
            raise RecordRejected("the record is not a JSON object")
        if "_fetch_error" in data:
            raise RecordRejected(f"could not be fetched: {data['_fetch_error']}")
        self._count_not_kept("service", data, _SERVICE_KEYS | _LINK_KEYS)
        service_id = reader.uuid(data.get("id"), "id")
        service = Service.objects.filter(pk=service_id).first()
        if service is not None and service.feed != self.feed:
            raise RecordRejected(
                f"service {service_id} belongs to {_owner(service.feed)}, so this feed can't change it"
            )
        organization = self._service_organization(data, reader)
        values = self._service_values(data, reader, organization)
        last_modified = reader.datetime(data, "last_modified")

        created = service is None
        if created:
            service = Service(pk=service_id, feed=self.feed, **values)
            if last_modified is not None:
                service.last_modified = last_modified
            service.save(touch=last_modified is None)
        changed = created or any(getattr(service, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(service, name, value)

        changed |= self._sync_parts(service, data, reader, fresh=created)
        if created:
            if "attributes" in data:
                service.save(touch=False)  # commits the categories, which wait for a save
            return "created"
        if last_modified is not None and service.last_modified != last_modified:
            service.last_modified = last_modified
            changed = True
        if not changed:
            return "unchanged"
        service.save(touch=last_modified is None)
        return "updated"

    def _service_values(
        self, data: dict, reader: ValueReader, organization: Organization
    ) -> dict[str, object]:
        status = str(data.get("status") or Service.Status.ACTIVE).strip().lower()
        if status not in Service.Status.values:
            raise RecordRejected(
                f"status \u201c{data.get('status')}\u201d is not one of "
                f"{', '.join(Service.Status.values)}"
            )
        name = reader.text(data, "name", required=True, field=_field(Service, "name"))
        fees_key = "fees_description" if data.get("fees_description") else "fees"
        values = {
            "organization_id": organization.pk,
            "name": name,
            "description": reader.text(data, "description", markup=True) or name,
            "url": reader.url(data, "url"),
            "email": reader.email(data, "email"),
            "status": status,
            "fees_description": reader.text(
                data, fees_key, field=_field(Service, "fees_description"), markup=True
            ),
            "accreditations": reader.text(
                data, "accreditations", field=_field(Service, "accreditations")
            ),
            "alert": reader.text(data, "alert", field=_field(Service, "alert"), markup=True),
            "minimum_age": reader.age(data, "minimum_age"),
            "maximum_age": reader.age(data, "maximum_age"),
            "eligibility_description": reader.text(data, "eligibility_description", markup=True),
            "application_process": reader.text(data, "application_process", markup=True),
            "wait_time": reader.text(data, "wait_time", field=_field(Service, "wait_time")),
            "last_verified": reader.date(data, "assured_date"),
            "assurer_email": reader.email(data, "assurer_email"),
        }
        if (
            values["minimum_age"] is not None
            and values["maximum_age"] is not None
            and values["minimum_age"] > values["maximum_age"]
        ):
            raise RecordRejected("minimum_age is more than maximum_age")
        return values

    def _sync_parts(
        self, service: Service, data: dict, reader: ValueReader, *, fresh: bool
    ) -> bool:
        """Bring each child list the record gives in line with it; leave the others alone.
        A ``fresh`` service has no parts yet, so there is nothing to read first."""
        changed = False
        links_given = "service_at_locations" in data
        link_items = _items(data, "service_at_locations")
        links, link_schedule_items = self._links(service, link_items, reader, fresh=fresh)
        if links_given:
            changed |= self._sync(ServiceAtLocation, service, links, fresh=fresh)
        link_ids = (
            {row["id"] for row in links}
            if links_given or fresh
            else set(ServiceAtLocation.objects.filter(service=service).values_list("pk", flat=True))
        )
        changed |= self._sync_schedules(
            service, data, link_schedule_items, link_ids, reader, fresh=fresh
        )
        for key, model, build in (
            ("phones", Phone, self._phone),
            ("contacts", Contact, self._contact),
            ("cost_options", CostOption, self._cost_option),
            ("service_areas", ServiceArea, self._service_area),
            ("languages", Language, self._language),
            ("required_documents", RequiredDocument, self._required_document),
            ("funding", Funding, self._funding),
        ):
            if key not in data:
                continue
            rows = []
            for index, item in enumerate(_items(data, key)):
                self._count_not_kept(key, item, _CHILD_KEYS[key] | _LINK_KEYS)
                row = build(item, reader, f"{key}[{index}].")
                if row is not None:
                    rows.append({**row, "sort_order": len(rows)})
            changed |= self._sync(model, service, rows, fresh=fresh)
        if "attributes" in data:
            changed |= self._sync_terms(service, _items(data, "attributes"), reader)
        return changed

    def _sync(
        self,
        model: type[models.Model],
        service: Service,
        rows: list[dict],
        *,
        scope: set[uuid.UUID | None] | None = None,
        fresh: bool = False,
    ) -> bool:
        """Make ``service``'s rows of ``model`` exactly ``rows``, writing only the rows that
        differ; with ``scope``, only the schedules of those locations (None: the service's own)
        are replaced. A row id that belongs to another service rejects the record."""
        fields = _CHILD_FIELDS[model]
        if fresh and not rows:
            return False
        existing_query = model.objects.filter(service=service)
        existing = {} if fresh else {row.pk: row for row in existing_query}
        if fresh or scope is None:
            in_scope = set(existing)
        else:
            # Schedules: the service's own (None) and those of the locations the record lists.
            in_scope = {pk for pk, row in existing.items() if row.service_at_location_id in scope}
        wanted = {row["id"] for row in rows}
        new, updated = [], []
        reordered_only = True
        for values in rows:
            row = existing.get(values["id"])
            if row is None:
                new.append(
                    model(pk=values["id"], service=service, **{f: values[f] for f in fields})
                )
                continue
            differing = [f for f in fields if getattr(row, f) != values[f]]
            if differing:
                reordered_only &= differing == ["sort_order"]
                for f in fields:
                    setattr(row, f, values[f])
                updated.append(row)
        stale = in_scope - wanted
        if stale:
            model.objects.filter(pk__in=stale).delete()
        if new:
            clash = model.objects.filter(pk__in=[row.pk for row in new]).first()
            if clash is not None:
                raise RecordRejected(
                    f"{model._meta.verbose_name} {clash.pk} already belongs to another service"
                )
            model.objects.bulk_create(new)
        if updated:
            model.objects.bulk_update(updated, fields)
        # Taking the feed's order is not a change anyone else needs to hear about.
        return bool(stale or new or (updated and not reordered_only))

    # --- service-at-locations and schedules ---------------------------------------------------

    def _links(
        self, service: Service, items: list[dict], reader: ValueReader, *, fresh: bool = False
    ) -> tuple[list[dict], dict[uuid.UUID, list[dict]]]:
        existing = (
            {}
            if fresh or not items
            else {
                link.pk: link.location_id
                for link in ServiceAtLocation.objects.filter(service=service)
            }
        )
        rows: list[dict] = []
        schedules: dict[uuid.UUID, list[dict]] = {}
        for index, item in enumerate(items):
            where = f"service_at_locations[{index}]."
            self._count_not_kept("service_at_location", item, _SAL_KEYS | _LINK_KEYS)
            link_id = reader.uuid(item.get("id"), f"{where}id")
            location_id = self._link_location(item, reader, where, existing.get(link_id))
            if location_id is None:
                reader.warn(
                    f"{where[:-1]} {link_id} gives no location Signpost knows, so it was left out"
                )
                continue
            rows.append(
                {
                    "id": link_id,
                    "location_id": location_id,
                    "description": reader.text(
                        item,
                        "description",
                        where=where,
                        field=_field(ServiceAtLocation, "description"),
                        markup=True,
                    ),
                    "sort_order": len(rows),
                }
            )
            if "schedules" in item:
                schedules[link_id] = _items(item, "schedules", where=where)
        return rows, schedules

    def _link_location(
        self, item: dict, reader: ValueReader, where: str, known: uuid.UUID | None
    ) -> uuid.UUID | None:
        if isinstance(item.get("location"), dict):
            return self._upsert_location(item["location"], reader, f"{where}location.").pk
        if item.get("location_id"):
            location_id = reader.uuid(item["location_id"], f"{where}location_id")
            if Location.objects.filter(pk=location_id).exists():
                return location_id
            return None
        return known

    def _sync_schedules(
        self,
        service: Service,
        data: dict,
        link_items: dict[uuid.UUID, list[dict]],
        link_ids: set[uuid.UUID],
        reader: ValueReader,
        *,
        fresh: bool = False,
    ) -> bool:
        """Schedules of the service and of each of its locations share one table; each list the
        record gives replaces only its own part of it."""
        scopes: set[uuid.UUID | None] = set()
        rows: list[dict] = []
        seen: set[uuid.UUID] = set()
        groups: list[tuple[str, uuid.UUID | None, list[dict]]] = []
        if "schedules" in data:
            scopes.add(None)
            groups.append(("schedules", None, _items(data, "schedules")))
        for link_id, items in link_items.items():
            scopes.add(link_id)
            groups.append((f"service_at_locations[{link_id}].schedules", link_id, items))
        if not groups:
            return False
        for prefix, link_id, items in groups:
            for index, item in enumerate(items):
                where = f"{prefix}[{index}]."
                self._count_not_kept("schedule", item, _SCHEDULE_KEYS | _LINK_KEYS)
                row = self._schedule(item, reader, where, link_id, link_ids)
                if row["id"] in seen:
                    reader.warn(f"{where[:-1]} repeats schedule {row['id']}, which is kept once")
                    continue
                seen.add(row["id"])
                rows.append({**row, "sort_order": len(rows)})
        return self._sync(Schedule, service, rows, scope=scopes, fresh=fresh)

    def _schedule(
        self,
        item: dict,
        reader: ValueReader,
        where: str,
        link_id: uuid.UUID | None,
        link_ids: set[uuid.UUID],
    ) -> dict:
        if link_id is None and item.get("service_at_location_id"):
            link_id = reader.uuid(item["service_at_location_id"], f"{where}service_at_location_id")
            if link_id not in link_ids:
                raise RecordRejected(
                    f"{where[:-1]} names a service_at_location that is not in this service"
                )
        freq = str(item.get("freq") or Schedule.Frequency.WEEKLY).strip().upper()
        if freq not in Schedule.Frequency.values:
            raise RecordRejected(
                f"{where}freq \u201c{item.get('freq')}\u201d is not WEEKLY or MONTHLY"
            )
        return {
            "id": reader.uuid(item.get("id"), f"{where}id"),
            "service_at_location_id": link_id,
            "freq": freq,
            "interval": reader.whole_number(item, "interval", where=where, default=1),
            "byday": reader.byday(item, where=where),
            "bymonthday": reader.bymonthday(item, where=where),
            "opens_at": reader.time(item, "opens_at", where=where),
            "closes_at": reader.time(item, "closes_at", where=where),
            "dtstart": reader.date(item, "dtstart", where=where),
            "valid_from": reader.date(item, "valid_from", where=where),
            "valid_to": reader.date(item, "valid_to", where=where),
            "description": reader.text(
                item, "description", where=where, field=_field(Schedule, "description")
            ),
            "attending_type": reader.text(
                item, "attending_type", where=where, field=_field(Schedule, "attending_type")
            ),
            "notes": reader.text(item, "notes", where=where, field=_field(Schedule, "notes")),
        }

    def _upsert_service_at_location(self, data: dict, reader: ValueReader) -> str:
        """A ``/service_at_locations/{id}`` record: its service (merged), then the link itself,
        without touching the service's other locations."""
        self._count_not_kept("service_at_location", data, _SAL_KEYS | _LINK_KEYS)
        nested = data["service"]
        link_id = reader.uuid(data.get("id"), "id")
        outcome = self._upsert_service(
            {key: value for key, value in nested.items() if key != "service_at_locations"}, reader
        )
        service = Service.objects.get(pk=reader.uuid(nested.get("id"), "service.id"))
        link = ServiceAtLocation.objects.filter(pk=link_id).first()
        if link is not None and link.service_id != service.pk:
            raise RecordRejected(
                f"service at location {link_id} already belongs to another service"
            )
        location_id = self._link_location(data, reader, "", link.location_id if link else None)
        if location_id is None:
            reader.warn(
                "the service_at_location gives no location Signpost knows, so only its service was imported"
            )
            return outcome
        description = reader.text(
            data, "description", field=_field(ServiceAtLocation, "description"), markup=True
        )
        link_changed = False
        if link is None:
            ServiceAtLocation.objects.create(
                pk=link_id,
                service=service,
                location_id=location_id,
                description=description,
                sort_order=ServiceAtLocation.objects.filter(service=service).count(),
            )
            link_changed = True
        elif (link.location_id, link.description) != (location_id, description):
            link.location_id, link.description = location_id, description
            link.save(update_fields=["location", "description"])
            link_changed = True
        if "schedules" in data:
            link_ids = set(
                ServiceAtLocation.objects.filter(service=service).values_list("pk", flat=True)
            )
            link_changed |= self._sync_schedules(
                service, {}, {link_id: _items(data, "schedules")}, link_ids, reader
            )
        if link_changed and outcome == "unchanged":
            service.save(touch=not nested.get("last_modified"))
            return "updated"
        return outcome

    # --- organisations ------------------------------------------------------------------------

    def _service_organization(self, data: dict, reader: ValueReader) -> Organization:
        nested = data.get("organization")
        if nested is not None and not isinstance(nested, dict):
            raise RecordRejected("organization must be an object")
        org_id = data.get("organization_id") or (nested or {}).get("id")
        if not org_id:
            raise RecordRejected("the service has no organization_id")
        org_id = reader.uuid(org_id, "organization_id")
        if nested and nested.get("name"):
            self._count_not_kept("organization", nested, _ORGANIZATION_KEYS | _LINK_KEYS)
            return self._upsert_organization(
                {**nested, "id": str(org_id)}, reader, "organization."
            )[0]
        organization = Organization.objects.filter(pk=org_id).first()
        if organization is None:
            raise RecordRejected(
                f"organization {org_id} is not known and the record does not include it"
            )
        return organization

    def _upsert_organization_record(self, data: object, reader: ValueReader) -> str:
        if not isinstance(data, dict):
            raise RecordRejected("the record is not a JSON object")
        self._count_not_kept("organization", data, _ORGANIZATION_KEYS | _LINK_KEYS)
        organization, outcome = self._upsert_organization(data, reader, "")
        return outcome

    def _upsert_organization(
        self, data: dict, reader: ValueReader, where: str
    ) -> tuple[Organization, str]:
        org_id = reader.uuid(data.get("id"), f"{where}id")
        organization = Organization.objects.filter(pk=org_id).first()
        if organization is not None and organization.feed != self.feed:
            if not where:  # an organisation record of its own: nothing else in it to import
                raise RecordRejected(
                    f"organization {org_id} belongs to {_owner(organization.feed)}, "
                    "so this feed can't change it"
                )
            reader.warn(
                f"organization {org_id} belongs to {_owner(organization.feed)}, so its details "
                "were left as they are"
            )
            return organization, "unchanged"
        created = organization is None
        organization = organization or Organization(pk=org_id, feed=self.feed)
        name = reader.text(
            data, "name", where=where, required=True, field=_field(Organization, "name")
        )
        values: dict[str, object] = {
            "name": name,
            "description": reader.text(data, "description", where=where, markup=True) or name,
            "email": reader.email(data, "email", where=where),
            "website": reader.url(data, "website", where=where),
        }
        if "organization_identifiers" in data:
            values["charity_number"], values["company_number"] = self._identifiers(
                data, reader, where
            )
        if "parent_organization_id" in data:
            values["parent_organization_id"] = self._parent_organization(
                data, reader, where, org_id
            )
        changed = created or any(
            getattr(organization, name) != value for name, value in values.items()
        )
        for key, value in values.items():
            setattr(organization, key, value)
        if not organization.provider_type:
            organization.provider_type = (
                Organization.ProviderType.REGISTERED_CHARITY
                if organization.charity_number
                else Organization.ProviderType.COMMUNITY_GROUP
            )
        if organization.charity_number and changed:
            clash = (
                Organization.objects.filter(charity_number=organization.charity_number)
                .exclude(pk=organization.pk)
                .first()
            )
            if clash is not None:
                raise RecordRejected(
                    f"charity number {organization.charity_number} already belongs to "
                    f"{clash.name} ({clash.pk})"
                )
        last_modified = reader.datetime(data, "last_modified")
        if last_modified is not None and organization.last_modified != last_modified:
            organization.last_modified = last_modified
            changed = True
        if not changed:
            return organization, "unchanged"
        organization.save(touch=last_modified is None)
        return organization, "created" if created else "updated"

    def _identifiers(self, data: dict, reader: ValueReader, where: str) -> tuple[str, str]:
        charity = company = ""
        for index, item in enumerate(_items(data, "organization_identifiers", where=where)):
            scheme = str(item.get("identifier_scheme") or "").strip().upper()
            value = reader.text(
                item, "identifier", where=f"{where}organization_identifiers[{index}]."
            )
            if scheme == CHARITY_SCHEME:
                charity = "".join(value.split()).upper()[:20]
            elif scheme == COMPANY_SCHEME:
                company = "".join(value.split()).upper()[:20]
            elif value:
                self.report.not_kept[f"organization_identifiers ({scheme or 'no scheme'})"] += 1
        return charity, company

    def _parent_organization(
        self, data: dict, reader: ValueReader, where: str, org_id: uuid.UUID
    ) -> uuid.UUID | None:
        if not data.get("parent_organization_id"):
            return None
        parent_id = reader.uuid(data["parent_organization_id"], f"{where}parent_organization_id")
        if parent_id == org_id:
            return None
        if Organization.objects.filter(pk=parent_id).exists():
            return parent_id
        self._pending_organization_parents[org_id] = parent_id
        return None

    # --- locations ----------------------------------------------------------------------------

    def _upsert_location(self, data: dict, reader: ValueReader, where: str) -> Location:
        self._count_not_kept("location", data, _LOCATION_KEYS | _LINK_KEYS)
        location_id = reader.uuid(data.get("id"), f"{where}id")
        location = Location.objects.filter(pk=location_id).first()
        if location is not None and location.feed != self.feed:
            reader.warn(
                f"{where}id {location_id} is a location belonging to {_owner(location.feed)}, "
                "so its details were left as they are"
            )
            return location
        created = location is None
        location = location or Location(pk=location_id, feed=self.feed)
        location_type = str(data.get("location_type") or Location.LocationType.PHYSICAL).lower()
        if location_type not in Location.LocationType.values:
            raise RecordRejected(
                f"{where}location_type \u201c{data.get('location_type')}\u201d is not physical, "
                "postal or virtual"
            )
        values: dict[str, object] = {
            "location_type": location_type,
            "name": reader.text(data, "name", where=where, field=_field(Location, "name"))
            or "Unnamed location",
            "description": reader.text(data, "description", where=where, markup=True),
            "transportation": reader.text(data, "transportation", where=where, markup=True),
            "external_identifier": reader.text(
                data,
                "external_identifier",
                where=where,
                field=_field(Location, "external_identifier"),
            ),
        }
        if "addresses" in data:
            values.update(self._address(data, reader, where, location_type))
        if "accessibility" in data:
            lines = []
            for index, item in enumerate(_items(data, "accessibility", where=where)):
                self._count_not_kept("accessibility", item, {"id", "description"} | _LINK_KEYS)
                line = reader.text(
                    item, "description", where=f"{where}accessibility[{index}].", markup=True
                )
                lines.append(" ".join(line.split()))
            values["accessibility"] = "\n".join(line for line in lines if line)
        latitude, longitude = reader.coordinates(data, where=where)
        if latitude is None:
            postcode = values.get("postal_code", location.postal_code)
            latitude, longitude = locate_postcode(postcode) or (None, None)
        values["latitude"], values["longitude"] = latitude, longitude

        changed = created or any(getattr(location, name) != value for name, value in values.items())
        if changed:
            for key, value in values.items():
                setattr(location, key, value)
            location.save()
        return location

    def _address(
        self, data: dict, reader: ValueReader, where: str, location_type: str
    ) -> dict[str, object]:
        addresses = _items(data, "addresses", where=where)
        if not addresses:
            return {
                "address_1": "",
                "address_2": "",
                "city": "",
                "state_province": "",
                "postal_code": "",
                "country": "GB",
                "address_type": Location.AddressType.PHYSICAL,
            }
        wanted = "postal" if location_type == "postal" else "physical"
        index = next(
            (i for i, item in enumerate(addresses) if item.get("address_type") == wanted), 0
        )
        if len(addresses) > 1:
            self.report.not_kept["location.addresses (after the first)"] += 1
            reader.warn(
                f"{where}addresses has {len(addresses)} addresses; Signpost keeps one, "
                f"so addresses[{index}] was kept"
            )
        address = addresses[index]
        here = f"{where}addresses[{index}]."
        self._count_not_kept("address", address, _ADDRESS_KEYS | _LINK_KEYS)
        country = reader.text(address, "country", where=here).upper() or "GB"
        if len(country) != 2:
            reader.warn(
                f"{here}country \u201c{country}\u201d is not a two-letter code, so GB was used"
            )
            country = "GB"
        address_type = str(address.get("address_type") or "physical").lower()
        if address_type not in Location.AddressType.values:
            reader.warn(
                f"{here}address_type \u201c{address_type}\u201d is not physical or postal, "
                "so physical was used"
            )
            address_type = Location.AddressType.PHYSICAL
        return {
            "address_1": reader.text(
                address, "address_1", where=here, field=_field(Location, "address_1")
            ),
            "address_2": reader.text(
                address, "address_2", where=here, field=_field(Location, "address_2")
            ),
            "city": reader.text(address, "city", where=here, field=_field(Location, "city")),
            "state_province": reader.text(
                address, "state_province", where=here, field=_field(Location, "state_province")
            ),
            "postal_code": reader.postcode(address, "postal_code", where=here, country=country),
            "country": country,
            "address_type": address_type,
        }

    # --- the other child tables ---------------------------------------------------------------

    def _phone(self, item: dict, reader: ValueReader, where: str) -> dict | None:
        return {
            "id": reader.uuid(item.get("id"), f"{where}id"),
            "number": reader.text(
                item, "number", where=where, required=True, field=_field(Phone, "number")
            ),
            "extension": reader.extension(item, where=where),
            "description": reader.text(
                item, "description", where=where, field=_field(Phone, "description")
            ),
        }

    def _contact(self, item: dict, reader: ValueReader, where: str) -> dict | None:
        return {
            "id": reader.uuid(item.get("id"), f"{where}id"),
            "name": reader.text(item, "name", where=where, field=_field(Contact, "name")),
            "title": reader.text(item, "title", where=where, field=_field(Contact, "title")),
            "department": reader.text(
                item, "department", where=where, field=_field(Contact, "department")
            ),
            "email": reader.email(item, "email", where=where),
        }

    def _cost_option(self, item: dict, reader: ValueReader, where: str) -> dict | None:
        currency = reader.text(item, "currency", where=where).upper() or "GBP"
        if len(currency) != 3:
            raise RecordRejected(f"{where}currency \u201c{currency}\u201d is not a currency code")
        return {
            "id": reader.uuid(item.get("id"), f"{where}id"),
            "option": reader.text(item, "option", where=where, field=_field(CostOption, "option")),
            "amount": reader.amount(item, where=where),
            "currency": currency,
            "amount_description": reader.text(
                item,
                "amount_description",
                where=where,
                field=_field(CostOption, "amount_description"),
            ),
            "valid_from": reader.date(item, "valid_from", where=where),
            "valid_to": reader.date(item, "valid_to", where=where),
        }

    def _service_area(self, item: dict, reader: ValueReader, where: str) -> dict | None:
        key = "name" if item.get("name") else "service_area"
        return {
            "id": reader.uuid(item.get("id"), f"{where}id"),
            "name": reader.text(item, key, where=where, field=_field(ServiceArea, "name"))
            or "Area",
            "description": reader.text(
                item, "description", where=where, field=_field(ServiceArea, "description")
            ),
            "uri": reader.url(item, "uri", where=where),
        }

    def _language(self, item: dict, reader: ValueReader, where: str) -> dict | None:
        name = reader.text(item, "name", where=where, field=_field(Language, "name"))
        code = reader.text(item, "code", where=where, field=_field(Language, "code"))
        if not (name or code):
            reader.warn(f"{where[:-1]} has no name or code, so it was left out")
            return None
        return {
            "id": reader.uuid(item.get("id"), f"{where}id"),
            "name": name or code,
            "code": code,
        }

    def _required_document(self, item: dict, reader: ValueReader, where: str) -> dict | None:
        document = reader.text(
            item, "document", where=where, field=_field(RequiredDocument, "document")
        )
        if not document:
            reader.warn(f"{where[:-1]} names no document, so it was left out")
            return None
        return {
            "id": reader.uuid(item.get("id"), f"{where}id"),
            "document": document,
            "uri": reader.url(item, "uri", where=where),
        }

    def _funding(self, item: dict, reader: ValueReader, where: str) -> dict | None:
        source = reader.text(item, "source", where=where, field=_field(Funding, "source"))
        if not source:
            reader.warn(f"{where[:-1]} names no source, so it was left out")
            return None
        return {"id": reader.uuid(item.get("id"), f"{where}id"), "source": source}

    # --- taxonomy -----------------------------------------------------------------------------

    def _sync_terms(self, service: Service, items: list[dict], reader: ValueReader) -> bool:
        wanted: list[uuid.UUID] = []
        for index, item in enumerate(items):
            where = f"attributes[{index}]."
            term = item.get("taxonomy_term")
            if isinstance(term, dict):
                wanted.append(self._term(term, reader, f"{where}taxonomy_term.").pk)
            elif item.get("taxonomy_term_id"):
                term_id = reader.uuid(item["taxonomy_term_id"], f"{where}taxonomy_term_id")
                if TaxonomyTerm.objects.filter(pk=term_id).exists():
                    wanted.append(term_id)
                else:
                    reader.warn(
                        f"{where}taxonomy_term_id {term_id} is not a term Signpost knows, "
                        "so it was left out"
                    )
            else:
                reader.warn(f"{where[:-1]} names no taxonomy term, so it was left out")
        current = set(TaxonomyTerm.objects.filter(services=service).values_list("pk", flat=True))
        if current == set(wanted):
            return False
        service.taxonomy_terms.set(wanted)
        return True

    def _term(self, data: dict, reader: ValueReader, where: str) -> TaxonomyTerm:
        term_id = reader.uuid(data.get("id"), f"{where}id")
        term = TaxonomyTerm.objects.filter(pk=term_id).first()
        if term is not None:
            return term
        name = reader.text(
            data, "name", where=where, required=True, field=_field(TaxonomyTerm, "name")
        )
        taxonomy_name = reader.text(data, "taxonomy", where=where)[:200] or "Imported"
        if data.get("taxonomy_id"):
            taxonomy, _ = Taxonomy.objects.get_or_create(
                pk=reader.uuid(data["taxonomy_id"], f"{where}taxonomy_id"),
                defaults={"name": taxonomy_name, "description": taxonomy_name},
            )
        else:
            taxonomy, _ = Taxonomy.objects.get_or_create(
                name=taxonomy_name, defaults={"description": taxonomy_name}
            )
        code = (
            reader.text(data, "code", where=where)
            or reader.text(data, "term", where=where)
            or f"term-{str(term_id)[:8]}"
        )
        if TaxonomyTerm.objects.filter(code=code).exists():
            code = f"{code}-{str(term_id)[:8]}"
        term = TaxonomyTerm.objects.create(
            pk=term_id,
            taxonomy=taxonomy,
            name=name,
            code=code[:100],
            description=reader.text(data, "description", where=where, markup=True),
            term_uri=reader.url(data, "term_uri", where=where),
        )
        if data.get("parent_id"):
            parent_id = reader.uuid(data["parent_id"], f"{where}parent_id")
            if TaxonomyTerm.objects.filter(pk=parent_id).exists():
                term.parent_id = parent_id
                term.save(update_fields=["parent"])
            else:
                self._pending_term_parents[term.pk] = parent_id
        return term

    # --- bookkeeping --------------------------------------------------------------------------

    def _count_not_kept(self, kind: str, data: dict, kept: set[str]) -> None:
        for key in data.keys() - kept:
            value = data[key]
            if value not in (None, "", [], {}):
                self.report.not_kept[f"{kind}.{key}"] += 1


def _items(data: dict, key: str, *, where: str = "") -> list[dict]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise RecordRejected(f"{where}{key} must be a list of objects")
    return value


def _owner(feed: str) -> str:
    return f"the feed “{feed}”" if feed else "the council (it was made in Signpost)"


def _transient(error: OperationalError) -> bool:
    text = str(error).lower()
    return any(word in text for word in ("locked", "deadlock", "could not serialize", "busy"))


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
