"""Every published charter as open data: the record behind `/f/<facility>/charter.json`, the
national catalogue (`/open-data/charters.json`, paginated) and its CSV (one row per service).

The field names are stable and documented by the JSON Schema in `docs/charter.schema.json`
(README, *Open data*); values are codes, not translated labels, fees are numbers of rupiah and
durations a value with its unit, so that anyone can compare facilities without reading Indonesian.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from charter_site.spreadsheets import safe_cell

from .models import Charter, ParticipantGroup, ServiceStandard
from .models.service import TEXT_COMPONENTS

SCHEMA_VERSION = "1"
CSV_FACILITY_FIELDS = ("facility_slug", "facility_name", "district", "regency", "province")
CSV_CHARTER_FIELDS = ("version", "effective_date", "review_due_date", "charter_url")
CSV_SERVICE_FIELDS = (
    "service_slug",
    "service_name",
    "category",
    "requirements",
    "procedure",
    "duration_value",
    "duration_unit",
    "fee_free",
    "fee_amount_idr",
    "opening_hours",
    "methods",
    *(component.field for component in TEXT_COMPONENTS),
)
CSV_HEADER = (*CSV_FACILITY_FIELDS, *CSV_CHARTER_FIELDS, *CSV_SERVICE_FIELDS)


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def _hours(service: ServiceStandard) -> list[dict[str, Any]]:
    """The opening hours, weekdays as ISO 8601 numbers them (1 Monday … 7 Sunday)."""
    return [
        {"weekday": slot.weekday + 1, "opens": slot.opens.strftime("%H:%M"), "closes": slot.closes.strftime("%H:%M")}
        for slot in sorted(service.schedule_slots.all(), key=lambda slot: (slot.weekday, slot.opens))
    ]


def service_record(service: ServiceStandard) -> dict[str, Any]:
    """One service with its 14 components (reads its prefetched rows)."""
    return {
        "slug": service.slug,
        "name": service.name,
        "category": service.category,
        "description": service.description,
        "requirements": [requirement.text for requirement in service.requirements.all()],
        "procedure": [step.text for step in service.steps.all()],
        "duration": {
            "value": service.duration_value,
            "unit": service.duration_unit or None,
            "note": service.duration_note,
        },
        "fee": {
            "free": service.fee_is_free,
            "amount_idr": None if service.fee_is_free else service.fee_amount,
            "note": service.fee_note,
            "legal_basis": service.fee_legal_basis,
        },
        "opening_hours": _hours(service),
        "opening_hours_note": service.schedule_note,
        "methods": list(service.methods),
        **{component.field: getattr(service, component.field) for component in TEXT_COMPONENTS},
    }


def charter_record(charter: Charter, absolute: Callable[[str], str]) -> dict[str, Any]:
    """A published charter with its facility, agreement and services; `absolute(path)` makes the
    page's address absolute."""
    facility = charter.facility
    summary = charter.agreement_summary()
    return {
        "schema_version": SCHEMA_VERSION,
        "facility": {
            "slug": facility.slug,
            "name": facility.name,
            "kind": facility.kind,
            "address": facility.address,
            "village": facility.village,
            "district": facility.district,
            "regency": facility.regency,
            "province": facility.province,
            "phone": facility.phone,
            "whatsapp": facility.whatsapp,
            "email": facility.email,
            "website": facility.website,
            "head_name": facility.head_name,
        },
        "url": absolute(facility.get_absolute_url()),
        "version": charter.version,
        "effective_date": _date(charter.effective_date),
        "review_due_date": _date(charter.review_due_date),
        "published_at": charter.published_at.isoformat() if charter.published_at else None,
        "pledge": charter.pledge,
        "complaint_working_days": {value: days for value, _label, days in charter.complaint_norms.rows()},
        "agreement": {
            "agreed_at": charter.agreed_at.isoformat() if charter.agreed_at else None,
            "approved_at": charter.approved_at.isoformat() if charter.approved_at else None,
            "participants": summary["total"],
            "participants_by_group": {
                group.value: count for group, (_label, count) in zip(ParticipantGroup, summary["groups"], strict=True)
            },
            "meetings": [_date(day) for day in summary["dates"]],
        },
        "services": [service_record(service) for service in charter.services.all()],
    }


def csv_rows(records: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    """The CSV's rows, one per service, after its header."""
    yield list(CSV_HEADER)
    for record in records:
        facility = record["facility"]
        head = [facility["slug"], facility["name"], facility["district"], facility["regency"], facility["province"]]
        head += [record["version"], record["effective_date"], record["review_due_date"], record["url"]]
        for service in record["services"]:
            hours = "; ".join(f"{h['weekday']} {h['opens']}-{h['closes']}" for h in service["opening_hours"])
            yield [
                *head,
                service["slug"],
                service["name"],
                service["category"],
                "; ".join(service["requirements"]),
                " | ".join(service["procedure"]),
                service["duration"]["value"],
                service["duration"]["unit"],
                service["fee"]["free"],
                service["fee"]["amount_idr"],
                hours,
                ";".join(service["methods"]),
                *(service[component.field] for component in TEXT_COMPONENTS),
            ]


class Echo:
    """A file that hands back what is written: `csv.writer` writing into a streamed response."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    """Numbers as numbers, booleans as true/false, text guarded against spreadsheet formulas."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return safe_cell(value)


def csv_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The CSV, UTF-8 with a byte-order mark (Excel reads it as such), every text field quoted."""
    writer = csv.writer(Echo(), quoting=csv.QUOTE_NONNUMERIC)
    yield "\ufeff"
    for row in csv_rows(records):
        yield writer.writerow(
            [cell if isinstance(cell, int) and not isinstance(cell, bool) else _cell(cell) for cell in row]
        )


def published(charters: QuerySet[Charter], absolute: Callable[[str], str]) -> Iterator[dict[str, Any]]:
    """The records of `charters` (with their content prefetched), in chunks."""
    for charter in charters.iterator(chunk_size=100):
        yield charter_record(charter, absolute)
