"""Reading a CSV file of paper questionnaires (`feedback.survey.imports`) and the import page:
comma or semicolon, with or without a byte-order mark, services by slug or name, profile values
as codes or labels, every kind of bad value with its line and column, and all or nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from feedback.models import ResponseChannel, SurveyPeriod, SurveyResponse
from feedback.survey import imports as survey_import
from feedback.survey.imports import EXAMPLE_COMMENT, parse_questionnaires
from tests.factories import make_published_charter

HEADER = "service,visited_on,u1,u2,u3,u4,u5,u6,u7,u8,u9,age_group,sex,education,occupation,comment"


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


class Service:
    """What the parser needs of a service: its slug and its name (no database)."""

    def __init__(self, slug: str, name: str) -> None:
        self.slug, self.name = slug, name


SERVICES = [Service("poli-umum", "Poli Umum"), Service("kia-kb", "KIA dan KB")]


def today() -> datetime.date:
    return timezone.localdate()


def line(
    service: str = "poli-umum", day: str | None = None, scores: str = "4,3,4,4,3,4,4,3,3", rest: str = ",,,,"
) -> str:
    """A data line: service, date (today), u1…u9, then `rest`: the profile and the comment."""
    return f"{service},{today().isoformat() if day is None else day},{scores},{rest}"


def csv_bytes(*lines: str, header: str = HEADER, bom: bool = False, delimiter: str = ",") -> bytes:
    text = "\n".join([header, *lines]) + "\n"
    if delimiter != ",":
        text = text.replace(",", delimiter)
    return ("\ufeff" if bom else "").encode() + text.encode()


def errors_of(parsed: survey_import.ParsedFile) -> list[tuple[int, str]]:
    return [(error.line, error.column) for error in parsed.errors]


# --- Reading ------------------------------------------------------------------------------------


def test_a_comma_separated_file_gives_every_questionnaire() -> None:
    parsed = parse_questionnaires(
        csv_bytes(
            line(rest="30_39,female,senior,homemaker,Pelayanan cepat"), line("kia-kb", scores="1,2,3,4,1,2,3,4,1")
        ),
        SERVICES,
    )
    assert parsed.is_valid, parsed.errors
    first, second = parsed.answers
    assert first.service is SERVICES[0] and second.service is SERVICES[1]
    assert first.visited_on == today()
    assert [first.scores[f"u{n}"] for n in range(1, 10)] == [4, 3, 4, 4, 3, 4, 4, 3, 3]
    assert dict(first.profile) == {
        "age_group": "30_39",
        "sex": "female",
        "education": "senior",
        "occupation": "homemaker",
    }
    assert first.comment == "Pelayanan cepat"
    assert dict(second.profile) == {"age_group": "", "sex": "", "education": "", "occupation": ""}


def test_a_semicolon_separated_file_with_a_byte_order_mark_as_excel_writes_it() -> None:
    content = csv_bytes(line(rest="30_39,female,senior,homemaker,Antre; tapi cepat"), bom=True, delimiter=";")
    content = content.replace(b"Antre; tapi cepat", b'"Antre; tapi cepat"')
    parsed = parse_questionnaires(content, SERVICES)
    assert parsed.is_valid, parsed.errors
    assert parsed.answers[0].comment == "Antre; tapi cepat"
    assert parsed.answers[0].scores["u1"] == 4


def test_crlf_line_ends_and_trailing_empty_rows_are_fine() -> None:
    content = (HEADER + "\r\n" + line() + "\r\n" + ",,,,,,,,,,,,,,,\r\n\r\n").encode()
    parsed = parse_questionnaires(content, SERVICES)
    assert parsed.is_valid and len(parsed.answers) == 1


@pytest.mark.parametrize("written", ["poli-umum", "POLI-UMUM", "Poli Umum", "  poli   umum ", "POLI UMUM"])
def test_the_service_is_its_slug_or_its_exact_name_in_any_case(written: str) -> None:
    parsed = parse_questionnaires(csv_bytes(line(f'"{written}"')), SERVICES)
    assert parsed.is_valid and parsed.answers[0].service is SERVICES[0]


def test_an_empty_service_is_not_given() -> None:
    parsed = parse_questionnaires(csv_bytes(line("")), SERVICES)
    assert parsed.is_valid and parsed.answers[0].service is None


@pytest.mark.parametrize(
    ("written", "profile"),
    [
        ("60_plus,male,bachelor,farmer", ("60_plus", "male", "bachelor", "farmer")),
        ("60 or older,Male,Bachelor's degree (S1/D4),Farmer or fisher", ("60_plus", "male", "bachelor", "farmer")),
        ("UNDISCLOSED,prefer not to say,Prefer Not To Say,undisclosed", ("undisclosed",) * 4),
        ("Not given,,,", ("", "", "", "")),
    ],
)
def test_profile_values_are_codes_or_labels_in_any_case(written: str, profile: tuple[str, ...]) -> None:
    parsed = parse_questionnaires(csv_bytes(line(rest=written + ",")), SERVICES)
    assert parsed.is_valid, parsed.errors
    assert tuple(parsed.answers[0].profile.values()) == profile


def test_profile_labels_in_indonesian_are_accepted() -> None:
    with translation.override("id"):
        female = str(survey_import.PROFILE_FIELDS[1][1].FEMALE.label)
    parsed = parse_questionnaires(csv_bytes(line(rest=f",{female},,,")), SERVICES)
    assert parsed.is_valid and parsed.answers[0].profile["sex"] == "female"


def test_a_skipped_question_stays_empty() -> None:
    parsed = parse_questionnaires(csv_bytes(line(scores="4,,4,4,3,4,4,,3")), SERVICES)
    assert parsed.is_valid
    assert parsed.answers[0].scores["u2"] is None and parsed.answers[0].scores["u8"] is None


def test_dates_in_iso_or_day_first_and_whole_numbers_as_spreadsheets_write_them() -> None:
    day = today() - datetime.timedelta(days=3)
    parsed = parse_questionnaires(
        csv_bytes(line(day=day.strftime("%d/%m/%Y"), scores="4.0,3,4,4,3,4,4,3,3"), line(day=day.strftime("%d-%m-%Y"))),
        SERVICES,
    )
    assert parsed.is_valid, parsed.errors
    assert [answers.visited_on for answers in parsed.answers] == [day, day]
    assert parsed.answers[0].scores["u1"] == 4


def test_columns_in_another_order_and_optional_columns_left_out() -> None:
    header = "u9,u8,u7,u6,u5,u4,u3,u2,u1,visited_on,SERVICE"
    parsed = parse_questionnaires(csv_bytes(f"1,2,3,4,4,4,4,4,4,{today().isoformat()},kia-kb", header=header), SERVICES)
    assert parsed.is_valid, parsed.errors
    answers = parsed.answers[0]
    assert (answers.scores["u1"], answers.scores["u9"], answers.service) == (4, 1, SERVICES[1])
    assert answers.comment == "" and answers.profile["sex"] == ""


def test_a_quoted_comment_over_several_lines_keeps_the_line_numbers_right() -> None:
    content = csv_bytes(line(rest=',,,,"Dua\nbaris"'), line(scores="5,3,4,4,3,4,4,3,3"))
    parsed = parse_questionnaires(content, SERVICES)
    assert errors_of(parsed) == [(4, "u1")]


# --- Errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "column", "words"),
    [
        (line("poli-gigi"), "service", "not a service"),
        (line(day="2026-02-30"), "visited_on", "not a date"),
        (line(day="kemarin"), "visited_on", "not a date"),
        (line(day=""), "visited_on", "date of the visit"),
        (line(day=(timezone.localdate() + datetime.timedelta(days=1)).isoformat()), "visited_on", "future"),
        (line(day=(timezone.localdate() - datetime.timedelta(days=400)).isoformat()), "visited_on", "12 months"),
        (line(scores="4,3,5,4,3,4,4,3,3"), "u3", "not a score"),
        (line(scores="4,3,4,4,3,4,4,3,0"), "u9", "not a score"),
        (line(scores="4,3,4,4,baik,4,4,3,3"), "u5", "not a score"),
        (line(scores="4,3,4,4,3.5,4,4,3,3"), "u5", "not a score"),
        (line(scores=",,,,,,,,"), "u1", "at least one"),
        (line(rest="tua,,,,"), "age_group", "allowed values"),
        (line(rest=",pria?,,,"), "sex", "allowed values"),
        (line(rest=",,S3,,"), "education", "allowed values"),
        (line(rest=",,,astronaut,"), "occupation", "allowed values"),
        (line(rest=",,,," + "x" * 1001), "comment", "at most 1000"),
    ],
)
def test_each_bad_value_is_reported_with_its_line_and_column(bad: str, column: str, words: str) -> None:
    parsed = parse_questionnaires(csv_bytes(line(), bad), SERVICES)
    assert not parsed.is_valid and parsed.answers == []
    assert errors_of(parsed) == [(3, column)]
    assert str(parsed.errors[0]).startswith(f"line 3, column {column}: ")
    assert words in str(parsed.errors[0])


def test_every_bad_row_is_reported_and_nothing_is_kept() -> None:
    parsed = parse_questionnaires(csv_bytes(line(), line("x"), line(), line(scores="9,9,4,4,3,4,4,3,3")), SERVICES)
    assert errors_of(parsed) == [(3, "service"), (5, "u1"), (5, "u2")]
    assert parsed.answers == []


def test_only_the_first_fifty_errors_are_shown_with_the_count() -> None:
    parsed = parse_questionnaires(csv_bytes(*[line("x")] * 60), SERVICES)
    assert parsed.error_count == 60
    assert len(parsed.shown_errors) == survey_import.MAX_ERRORS_SHOWN == 50


def test_a_row_with_more_values_than_columns_is_refused() -> None:
    parsed = parse_questionnaires(csv_bytes(line(rest=",,,,Cepat, ramah")), SERVICES)
    assert errors_of(parsed) == [(2, "")]
    assert "more values than columns" in str(parsed.errors[0])


def test_missing_columns_are_named() -> None:
    parsed = parse_questionnaires(csv_bytes("poli-umum,2026-01-01,4,4", header="service,visited_on,u1,u2"), SERVICES)
    assert errors_of(parsed) == [(1, "")]
    assert "missing columns: u3, u4, u5, u6, u7, u8, u9" in str(parsed.errors[0])


def test_unknown_columns_are_refused_so_that_a_misspelt_one_loses_nothing() -> None:
    parsed = parse_questionnaires(csv_bytes(line(), header=HEADER.replace("education", "educaton")), SERVICES)
    assert errors_of(parsed) == [(1, "")]
    assert "unknown columns: educaton" in str(parsed.errors[0])


def test_a_column_given_twice_is_refused() -> None:
    parsed = parse_questionnaires(csv_bytes(line() + ",4", header=HEADER + ",u1"), SERVICES)
    assert "columns given twice: u1" in str(parsed.errors[0])


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf\r\n\r\n", "empty"),
        (HEADER.encode() + b"\n", "no questionnaire"),
        (HEADER.encode() + b"\n,,,,\n", "no questionnaire"),
        ("service,visited_on\nPoli Umum,2026-01-01\n".encode("utf-16"), "not UTF-8"),
        ("service;comment\nPoli Umum;Pelayanan ramah sekali — terima kasih\n".encode("cp1252"), "not UTF-8"),
    ],
)
def test_files_that_cannot_be_read_are_refused_whole(content: bytes, words: str) -> None:
    parsed = parse_questionnaires(content, SERVICES)
    assert not parsed.is_valid
    assert words in str(parsed.errors[0])


def test_a_file_over_2_mb_is_refused() -> None:
    parsed = parse_questionnaires(b"x" * (survey_import.MAX_IMPORT_BYTES + 1), SERVICES)
    assert "larger than 2 MB" in str(parsed.errors[0])


def test_more_than_10000_questionnaires_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(survey_import, "MAX_IMPORT_ROWS", 3)
    assert parse_questionnaires(csv_bytes(*[line()] * 3), SERVICES).is_valid
    parsed = parse_questionnaires(csv_bytes(*[line()] * 4), SERVICES)
    assert "more than 10,000" in str(parsed.errors[0])


def test_the_real_limit_is_10000_rows() -> None:
    assert survey_import.MAX_IMPORT_ROWS == 10_000
    content = csv_bytes(*[line()] * 10_001)
    assert len(content) < survey_import.MAX_IMPORT_BYTES
    assert "more than 10,000" in str(parse_questionnaires(content, SERVICES).errors[0])


# --- The page -----------------------------------------------------------------------------------


def import_url(facility: Any) -> str:
    return reverse("manage:survey_import", args=[facility.slug])


def upload(content: bytes, name: str = "hasil.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.mark.django_db
def test_a_valid_file_is_imported_whole(editor_client: Client, facility: Any, head: Any, editor: Any) -> None:
    charter = make_published_charter(facility, services=2, head=head)
    first, second = charter.services.order_by("position")
    content = csv_bytes(line(first.slug), line(f'"{second.name.upper()}"'), line(""))

    response = editor_client.post(import_url(facility), {"file": upload(content)})

    assert response.status_code == 302
    saved = SurveyResponse.objects.filter(facility=facility).order_by("id")
    assert [r.service_id for r in saved] == [first.pk, second.pk, None]
    assert {r.channel for r in saved} == {ResponseChannel.IMPORT}
    assert {r.entered_by for r in saved} == {editor}
    assert all(r.device == "" for r in saved)
    page = editor_client.get(response["Location"])
    html = page.content.decode()
    assert "3 questionnaires were imported." in html
    day = today().isoformat()
    assert reverse("manage:survey_report", args=[facility.slug]) + f"?from={day}&amp;to={day}" in html


@pytest.mark.django_db
def test_after_an_import_the_link_opens_the_survey_period_holding_the_visits(
    editor_client: Client, facility: Any
) -> None:
    start = today() - datetime.timedelta(days=30)
    SurveyPeriod.objects.create(facility=facility, name="Semester", start=start, end=today(), population=100)
    response = editor_client.post(import_url(facility), {"file": upload(csv_bytes(line("")))})
    assert response["Location"].endswith(f"?from={start.isoformat()}&to={today().isoformat()}")


@pytest.mark.django_db
def test_a_file_with_one_bad_row_saves_nothing_and_says_where(editor_client: Client, facility: Any) -> None:
    content = csv_bytes(line(""), line("", scores="4,3,4,4,7,4,4,3,3"), line(""))

    response = editor_client.post(import_url(facility), {"file": upload(content)})

    assert response.status_code == 200
    assert not SurveyResponse.objects.exists()
    errors = response.context["parsed"].errors
    assert [(e.line, e.column) for e in errors] == [(3, "u5")]
    assert 'data-line="3" data-column="u5"' in response.content.decode()
    assert "line 3, column u5:" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_character_in_a_comment_is_refused_with_its_line_not_a_server_error(
    editor_client: Client, facility: Any
) -> None:
    # Found by tests/fuzz: PostgreSQL refuses NUL in a text column, so saving such a row failed
    # with a server error. The file is refused whole and says on which line.
    content = csv_bytes(line(""), line("", rest=",,,,Ramah\x00sekali"))

    response = editor_client.post(import_url(facility), {"file": upload(content)})

    assert response.status_code == 200
    assert not SurveyResponse.objects.exists()
    assert "line 3: the line holds a NUL character" in str(response.context["parsed"].errors[0])


@pytest.mark.django_db
def test_no_file_or_a_too_big_one_is_refused_next_to_the_field(editor_client: Client, facility: Any) -> None:
    response = editor_client.post(import_url(facility), {})
    assert response.status_code == 200 and "file" in response.context["form"].errors
    big = upload(b"x" * (survey_import.MAX_IMPORT_BYTES + 1))
    response = editor_client.post(import_url(facility), {"file": big})
    assert "larger than 2 MB" in response.context["form"].errors["file"][0]
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db
def test_the_page_lists_the_services_and_the_allowed_values(
    editor_client: Client, facility: Any, published_charter: Any
) -> None:
    html = editor_client.get(import_url(facility)).content.decode()
    for service in published_charter.services.all():
        assert f"<code>{service.slug}</code>" in html
    assert "<code>undisclosed</code>" in html and "<code>civil_servant</code>" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "delimiter"), [("", ","), ("?sep=semicolon", ";")])
def test_the_template_has_the_header_and_two_example_rows_that_import_once_rewritten(
    editor_client: Client, facility: Any, published_charter: Any, query: str, delimiter: str
) -> None:
    response = editor_client.get(reverse("manage:survey_import_template", args=[facility.slug]) + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == delimiter.join(f'"{name}"' for name in HEADER.split(","))  # every cell quoted
    assert len(lines) == 3
    services = list(published_charter.services.all())
    # Imported as downloaded, the examples would add two made-up respondents: refused.
    parsed = parse_questionnaires(content, services)
    assert not parsed.is_valid and parsed.answers == []
    assert [(e.line, e.column) for e in parsed.errors] == [(2, "comment"), (3, "comment")]
    # The rows themselves are right: with a comment of the staff's own, both import.
    rewritten = content.decode("utf-8-sig")
    for language in ("en", "id"):
        with translation.override(language):
            rewritten = rewritten.replace(str(EXAMPLE_COMMENT), "Dari kotak saran")
    rewritten = rewritten.encode()
    parsed = parse_questionnaires(rewritten, services)
    assert parsed.is_valid, parsed.errors
    assert len(parsed.answers) == 2
