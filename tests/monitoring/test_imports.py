"""Reading a queue machine's CSV file of service times (`monitoring.imports`) and the import
page: comma or semicolon, with or without a byte-order mark, services by slug or name, every
kind of bad value as its line and column, all or nothing, and a template that cannot be imported
as it is."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from feedback.survey.imports import MAX_ERRORS_SHOWN, MAX_IMPORT_ROWS
from monitoring import imports
from monitoring.imports import parse_observations, template_csv
from monitoring.models import ObservationMethod, ServiceObservation
from tests.factories import make_published_charter

HEADER = "service,arrived_at,completed_at,duration_minutes,method,note"


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


class Service:
    """What the parser needs of a service: its slug and its name (no database)."""

    def __init__(self, slug: str, name: str) -> None:
        self.slug, self.name = slug, name
        self.pk = slug


SERVICES = [Service("poli-umum", "Poli Umum"), Service("kia-kb", "KIA dan KB")]
DAY = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


def local(hour: int, minute: int) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def csv_bytes(*lines: str, header: str = HEADER, bom: bool = False, delimiter: str = ",") -> bytes:
    text = "\n".join([header, *lines]) + "\n"
    if delimiter != ",":
        text = text.replace(",", delimiter)
    return ("\ufeff" if bom else "").encode() + text.encode()


def errors_of(parsed: imports.ParsedFile) -> list[tuple[int, str]]:
    return [(error.line, error.column) for error in parsed.errors]


# --- Good files --------------------------------------------------------------------------------


def test_a_good_file_gives_its_observations() -> None:
    parsed = parse_observations(
        csv_bytes(
            f"poli-umum,{DAY} 08:15,{DAY} 08:47,,,",
            f"KIA dan KB,{DAY}T09:02,,25,exit_interview,Ibu hamil",
            f"  kia-KB ,{DAY}T09:30:00+07:00,{DAY} 10:00,,queue MACHINE,",
        ),
        SERVICES,
    )

    assert parsed.is_valid, parsed.errors
    first, second, third = parsed.rows
    assert (first.service, first.arrived_at, first.completed_at) == (SERVICES[0], local(8, 15), local(8, 47))
    assert first.method == ObservationMethod.QUEUE_MACHINE  # the default of the import
    assert (second.service, second.duration_minutes, second.completed_at) == (SERVICES[1], 25, None)
    assert (second.method, second.note) == (ObservationMethod.EXIT_INTERVIEW, "Ibu hamil")
    assert third.arrived_at == datetime.datetime.fromisoformat(f"{DAY}T09:30:00+07:00")
    assert third.method == ObservationMethod.QUEUE_MACHINE  # its label, in capitals or not
    assert parsed.day_span() == (local(8, 0).date(), local(8, 0).date())


def test_a_file_with_only_the_duration_column() -> None:
    parsed = parse_observations(
        csv_bytes(f"poli-umum,{DAY} 08:15,12", header="service,arrived_at,duration_minutes"), SERVICES
    )

    assert parsed.is_valid
    assert parsed.rows[0].duration_minutes == 12


def test_a_semicolon_file_with_a_byte_order_mark_and_day_first_dates() -> None:
    day = timezone.localdate() - datetime.timedelta(days=1)
    content = csv_bytes(f"poli-umum,{day:%d/%m/%Y} 08.15,{day:%d/%m/%Y} 8:40,,,", bom=True, delimiter=";")

    parsed = parse_observations(content, SERVICES)

    assert parsed.is_valid, parsed.errors
    assert (parsed.rows[0].arrived_at, parsed.rows[0].completed_at) == (local(8, 15), local(8, 40))


def test_blank_lines_are_skipped_and_excel_numbers_are_read() -> None:
    parsed = parse_observations(csv_bytes("", f"poli-umum,{DAY} 08:15,,25.0,,", ",,,,,", ""), SERVICES)

    assert parsed.is_valid
    assert [row.duration_minutes for row in parsed.rows] == [25]


# --- Errors, as line and column ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        (f"poli-gigi,{DAY} 08:15,,5,,", "service", "“poli-gigi” is not a service of the charter"),
        (f",{DAY} 08:15,,5,,", "service", "Enter the service"),
        ("poli-umum,,,5,,", "arrived_at", "Enter the date and time"),
        ("poli-umum,kemarin pagi,,5,,", "arrived_at", "“kemarin pagi” is not a date and time"),
        (f"poli-umum,{DAY},,5,,", "arrived_at", "is not a date and time"),
        (f"poli-umum,{DAY} 25:00,,5,,", "arrived_at", "is not a date and time"),
        ("poli-umum,1999-12-31 08:00,,5,,", "arrived_at", "Enter a date from 2000 to 2099."),
        ("poli-umum,0001-01-01T01:00+14:00,,5,,", "arrived_at", "is not a date and time"),
        (f"poli-umum,{DAY} 08:15,{DAY} 08:00,,,", "completed_at", "cannot be completed before the user arrived"),
        (f"poli-umum,{DAY} 08:15,,,,", "completed_at", "Enter the completion time or the duration"),
        (f"poli-umum,{DAY} 08:15,{DAY} 08:30,15,,", "duration_minutes", "not both"),
        (f"poli-umum,{DAY} 08:15,,lima,,", "duration_minutes", "“lima” is not a number of minutes"),
        (f"poli-umum,{DAY} 08:15,,-3,,", "duration_minutes", "is not a number of minutes"),
        (f"poli-umum,{DAY} 08:15,,{'9' * 5000},,", "duration_minutes", "from 0 to 129,600"),
        (f"poli-umum,{DAY} 08:15,,200000,,", "duration_minutes", "from 0 to 129,600"),
        ("poli-umum,2020-01-01 08:15,2026-01-01 08:15,,,", "completed_at", "more than 90 days"),
        ("poli-umum,2098-01-01 08:15,,5,,", "arrived_at", "later than now"),
        (f"poli-umum,{DAY} 08:15,,5,telepati,", "method", "“telepati” is not a method"),
        (f"poli-umum,{DAY} 08:15,,5,,{'x' * 301}", "note", "at most 300 are allowed"),
    ],
)
def test_each_wrong_value_is_reported_with_its_line_and_column(line: str, column: str, message: str) -> None:
    parsed = parse_observations(csv_bytes(f"poli-umum,{DAY} 07:00,,5,,", line), SERVICES)

    assert not parsed.is_valid
    assert errors_of(parsed) == [(3, column)]
    assert str(parsed.errors[0]).startswith(f"line 3, column {column}: ")
    assert message in str(parsed.errors[0])
    assert parsed.rows == []  # all or nothing


def test_every_wrong_row_is_listed_not_only_the_first() -> None:
    parsed = parse_observations(
        csv_bytes(f"x,{DAY} 08:15,,5,,", f"poli-umum,{DAY} 08:15,,5,,", "poli-umum,jam 8,,oops,,"), SERVICES
    )

    assert errors_of(parsed) == [(2, "service"), (4, "arrived_at"), (4, "duration_minutes")]


def test_a_quoted_note_over_two_lines_keeps_the_line_numbers() -> None:
    parsed = parse_observations(
        csv_bytes(f'poli-umum,{DAY} 08:15,,5,,"dua\nbaris"', f"poli-umum,{DAY} 08:15,,x,,"), SERVICES
    )

    assert errors_of(parsed) == [(4, "duration_minutes")]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("service,arrived,completed_at", "unknown columns: arrived."),
        ("service,arrived_at,arrived_at,duration_minutes", "columns given twice: arrived_at."),
        ("arrived_at,completed_at", "missing columns: service."),
        ("service,arrived_at,note", "missing column: completed_at or duration_minutes."),
    ],
)
def test_a_wrong_header_is_reported_on_line_1(header: str, message: str) -> None:
    parsed = parse_observations(csv_bytes(f"poli-umum,{DAY} 08:15,,", header=header), SERVICES)

    assert errors_of(parsed)[0] == (1, "")
    assert message in str(parsed.errors[0])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\xff\xfes\x00e\x00", "The file is not UTF-8 text."),
        (HEADER.encode() + b"\n", "The file has no observation under its header line."),
        (b"x" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
        (csv_bytes(f"poli-umum,{DAY} 08:15,,5,,catatan,lebih"), "more values than columns"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(content: bytes, message: str) -> None:
    parsed = parse_observations(content, SERVICES)

    assert not parsed.is_valid
    assert message in str(parsed.errors[0])


def test_too_many_rows_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "MAX_IMPORT_ROWS", 2)

    parsed = parse_observations(csv_bytes(*[f"poli-umum,{DAY} 08:15,,5,,"] * 3), SERVICES)

    assert [str(error) for error in parsed.errors] == [
        "The file has more than 2 observations: split it into smaller files."
    ]
    assert MAX_IMPORT_ROWS == 10_000  # the survey import's limit, one constant for both


def test_many_errors_are_counted_but_only_the_first_shown() -> None:
    parsed = parse_observations(csv_bytes(*[f"x,{DAY} 08:15,,5,,"] * (MAX_ERRORS_SHOWN + 5)), SERVICES)

    assert parsed.error_count == MAX_ERRORS_SHOWN + 5
    assert len(parsed.shown_errors) == MAX_ERRORS_SHOWN


# --- The template ------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_the_template_cannot_be_imported_as_it_is(delimiter: str) -> None:
    content = template_csv(SERVICES, delimiter=delimiter, today=timezone.localdate())

    parsed = parse_observations(content, SERVICES)

    assert content.startswith("\ufeff".encode())
    assert errors_of(parsed) == [(2, "note"), (3, "note")]
    assert "example row of the template" in str(parsed.errors[0])


def test_the_template_without_its_example_notes_is_a_good_file() -> None:
    content = template_csv(SERVICES, today=timezone.localdate()).decode("utf-8-sig")
    cleaned = content.replace("Example: delete this row before importing.", "")

    parsed = parse_observations(cleaned.encode(), SERVICES)

    assert parsed.is_valid, parsed.errors
    assert [row.service for row in parsed.rows] == SERVICES


def test_the_indonesian_template_is_refused_too() -> None:
    with translation.override("id"):
        content = template_csv(SERVICES, today=timezone.localdate())

    assert errors_of(parse_observations(content, SERVICES)) == [(2, "note"), (3, "note")]


# --- The page ----------------------------------------------------------------------------------


def upload(content: bytes) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("antrean.csv", content, content_type="text/csv")}


@pytest.fixture
def services(published_charter: Any) -> list[Any]:
    return list(published_charter.services.order_by("position", "id"))


@pytest.mark.django_db
def test_a_good_file_is_imported_and_its_days_are_listed(
    editor_client: Client, editor: Any, facility: Any, services: list[Any]
) -> None:
    content = csv_bytes(
        f"{services[0].slug},{DAY} 08:15,{DAY} 08:47,,,",
        f"{services[1].name},{DAY} 09:00,,25,observed,",
        delimiter=";",
        bom=True,
    )

    response = editor_client.post(reverse("manage:observation_import", args=[facility.slug]), upload(content))

    assert response.status_code == 302
    assert response["Location"] == reverse("manage:observations", args=[facility.slug]) + f"?from={DAY}&to={DAY}"
    saved = list(ServiceObservation.objects.order_by("arrived_at"))
    assert [(o.service, o.duration_minutes, o.method) for o in saved] == [
        (services[0], 32, ObservationMethod.QUEUE_MACHINE),
        (services[1], 25, ObservationMethod.OBSERVED),
    ]
    assert {(o.facility, o.recorded_by) for o in saved} == {(facility, editor)}
    assert "2 observations were saved." in editor_client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_file_with_one_wrong_row_saves_nothing_and_lists_it(
    editor_client: Client, facility: Any, services: list[Any]
) -> None:
    content = csv_bytes(f"{services[0].slug},{DAY} 08:15,,5,,", f"{services[0].slug},{DAY} 08:15,,5,,", "x,,,,,")

    response = editor_client.post(reverse("manage:observation_import", args=[facility.slug]), upload(content))

    assert response.status_code == 200
    assert not ServiceObservation.objects.exists()
    content = response.content.decode()
    assert "2 problems were found. Nothing was saved." in content
    assert "line 4, column service: “x” is not a service of the charter" in content
    assert "line 4, column arrived_at: Enter the date and time" in content


@pytest.mark.django_db
def test_a_nul_character_in_a_note_is_refused_with_its_line_not_a_server_error(
    editor_client: Client, facility: Any, services: list[Any]
) -> None:
    # Found by tests/fuzz: PostgreSQL refuses NUL in a text column, so saving such a row failed
    # with a server error. The file is refused whole and says on which line.
    content = csv_bytes(f"{services[0].slug},{DAY} 08:15,,5,,antre\x00an")

    response = editor_client.post(reverse("manage:observation_import", args=[facility.slug]), upload(content))

    assert response.status_code == 200
    assert not ServiceObservation.objects.exists()
    assert "line 2: the line holds a NUL character" in response.content.decode()


@pytest.mark.django_db
def test_a_service_of_another_facility_is_not_found(
    editor_client: Client, facility: Any, services: list[Any], other_facility: Any
) -> None:
    elsewhere = make_published_charter(other_facility, services=1).services.get()
    content = csv_bytes(f"{elsewhere.slug},{DAY} 08:15,,5,,")

    response = editor_client.post(reverse("manage:observation_import", args=[facility.slug]), upload(content))

    assert response.status_code == 200
    assert "column service" in response.content.decode()
    assert not ServiceObservation.objects.exists()


@pytest.mark.django_db
def test_no_file_is_an_error_next_to_the_field(editor_client: Client, facility: Any, services: list[Any]) -> None:
    response = editor_client.post(reverse("manage:observation_import", args=[facility.slug]), {})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Choose the CSV file to import."]


@pytest.mark.django_db
@pytest.mark.parametrize("sep", ["", "semicolon"])
def test_the_template_download(editor_client: Client, facility: Any, services: list[Any], sep: str) -> None:
    path = reverse("manage:observation_import_template", args=[facility.slug])

    response = editor_client.get(path, {"sep": sep} if sep else {})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"observations-template-{facility.slug}" in response["Content-Disposition"]
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header == (";" if sep else ",").join(f'"{name}"' for name in HEADER.split(","))
    assert services[0].slug in response.content.decode("utf-8-sig")
