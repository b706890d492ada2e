"""The staff's reports on cases: deadlines in working days, the inbox's filters, the figures and
the exports, checked against cases whose numbers are worked out by hand."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from typing import Any

import pytest
from django.utils import timezone, translation

from charter_site.spreadsheets import FORMULA_STARTS, safe_cell, to_csv, to_xlsx
from charters.models import Facility
from feedback import reports, services
from feedback.models import Case, CaseStatus, FacilityHoliday, FeedbackKind, Rating
from tests.factories import CaseFactory, CharterFactory, FacilityFactory, ServiceStandardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    # Labels are compared in the source language; the site's default is Bahasa Indonesia.
    with translation.override("en"):
        yield


TZ = timezone.get_fixed_timezone(7 * 60)  # Asia/Jakarta, the site's zone

# August 2026: Monday 17 is Independence Day, a national holiday.
FRI_14_AUG = datetime.date(2026, 8, 14)
TUE_18_AUG = datetime.date(2026, 8, 18)
WED_19_AUG = datetime.date(2026, 8, 19)


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


# --- Deadlines in working days -----------------------------------------------------------------


def test_a_deadline_skips_the_weekend_and_a_national_holiday(facility: Any) -> None:
    # Friday 14 August + 2 working days: not Sat, Sun, nor Mon 17 (Independence Day) → Wednesday 19.
    assert services.due_date_for(facility, "light", FRI_14_AUG) == WED_19_AUG


def test_a_deadline_skips_the_facilitys_own_day_off(facility: Any) -> None:
    FacilityHoliday.objects.create(facility=facility, date=TUE_18_AUG, name="Cuti bersama")
    assert services.due_date_for(facility, "light", FRI_14_AUG) == datetime.date(2026, 8, 20)


def test_due_soon_means_due_by_the_next_working_day(facility: Any) -> None:
    deadlines = reports.deadlines_for(facility, today=FRI_14_AUG)
    assert deadlines.soon_until == TUE_18_AUG  # over the weekend and the holiday
    assert deadlines.state(Case(status=CaseStatus.RECEIVED, due_date=TUE_18_AUG)) == reports.DUE_SOON
    assert deadlines.state(Case(status=CaseStatus.IN_PROGRESS, due_date=FRI_14_AUG)) == reports.DUE_SOON
    assert deadlines.state(Case(status=CaseStatus.RECEIVED, due_date=WED_19_AUG)) == ""
    assert deadlines.state(Case(status=CaseStatus.REOPENED, due_date=FRI_14_AUG - datetime.timedelta(1))) == (
        reports.OVERDUE
    )


def test_an_answered_or_finished_case_is_never_overdue(facility: Any) -> None:
    deadlines = reports.deadlines_for(facility, today=FRI_14_AUG)
    for status in (CaseStatus.ANSWERED, CaseStatus.CLOSED, CaseStatus.REJECTED):
        assert deadlines.state(Case(status=status, due_date=datetime.date(2026, 8, 1))) == ""


def test_due_soon_moves_with_the_facilitys_own_day_off(facility: Any) -> None:
    FacilityHoliday.objects.create(facility=facility, date=TUE_18_AUG, name="Cuti bersama")
    deadlines = reports.deadlines_for(facility, today=FRI_14_AUG)
    assert deadlines.soon_until == WED_19_AUG
    assert deadlines.state(Case(status=CaseStatus.RECEIVED, due_date=WED_19_AUG)) == reports.DUE_SOON


def test_working_days_left_count_down_and_then_up_as_overdue(facility: Any) -> None:
    deadlines = reports.deadlines_for(facility, today=FRI_14_AUG)
    assert deadlines.working_days_left(Case(due_date=WED_19_AUG)) == 2
    assert deadlines.working_days_left(Case(due_date=FRI_14_AUG)) == 0
    assert deadlines.working_days_left(Case(due_date=datetime.date(2026, 8, 12))) == -2


# --- The inbox's filters -----------------------------------------------------------------------


def _codes(queryset: Any) -> list[str]:
    return list(queryset.values_list("code", flat=True))


def _filter(facility: Any, user: Any = None, today: datetime.date = FRI_14_AUG, **filters: Any) -> list[str]:
    deadlines = reports.deadlines_for(facility, today=today)
    return _codes(reports.filter_cases(reports.facility_cases(facility), filters, user=user, deadlines=deadlines))


def test_filters_by_status_and_by_open(facility: Any) -> None:
    received = CaseFactory(facility=facility)
    reopened = CaseFactory(facility=facility, status=CaseStatus.REOPENED)
    closed = CaseFactory(facility=facility, status=CaseStatus.CLOSED)
    assert _filter(facility, status=CaseStatus.CLOSED) == [closed.code]
    assert set(_filter(facility, status=reports.OPEN)) == {received.code, reopened.code}
    assert len(_filter(facility)) == 3


def test_filters_by_kind_and_by_service_name_across_charter_versions(facility: Any) -> None:
    charter = CharterFactory(facility=facility)
    old = ServiceStandardFactory(charter=charter, name="Poli Umum", slug="poli-umum-lama")
    new = ServiceStandardFactory(charter=charter, name="Poli Umum", slug="poli-umum")
    other = ServiceStandardFactory(charter=charter, name="Imunisasi", slug="imunisasi")
    first = CaseFactory(facility=facility, service=old)
    second = CaseFactory(facility=facility, service=new, kind=FeedbackKind.SUGGESTION)
    CaseFactory(facility=facility, service=other)
    assert set(_filter(facility, service="Poli Umum")) == {first.code, second.code}
    assert _filter(facility, service="Poli Umum", kind=FeedbackKind.SUGGESTION) == [second.code]
    assert reports.service_names(facility) == ["Imunisasi", "Poli Umum"]


def test_filters_by_deadline(facility: Any) -> None:
    overdue = CaseFactory(facility=facility, due_date=datetime.date(2026, 8, 13))
    soon = CaseFactory(facility=facility, status=CaseStatus.IN_PROGRESS, due_date=TUE_18_AUG)
    CaseFactory(facility=facility, due_date=WED_19_AUG)
    CaseFactory(facility=facility, status=CaseStatus.ANSWERED, due_date=datetime.date(2026, 8, 13))
    assert _filter(facility, deadline=reports.OVERDUE) == [overdue.code]
    assert _filter(facility, deadline=reports.DUE_SOON) == [soon.code]


def test_filters_by_assignee(facility: Any, editor: Any, head: Any) -> None:
    mine = CaseFactory(facility=facility, assignee=editor)
    theirs = CaseFactory(facility=facility, assignee=head)
    nobodys = CaseFactory(facility=facility)
    assert _filter(facility, editor, assignee=reports.ME) == [mine.code]
    assert _filter(facility, editor, assignee=reports.NOBODY) == [nobodys.code]
    assert _filter(facility, editor, assignee=str(head.pk)) == [theirs.code]


def test_search_finds_the_code_as_typed_the_description_and_the_name(facility: Any) -> None:
    case = CaseFactory(facility=facility, description="Obat habis di apotek", name="Sulastri")
    CaseFactory(facility=facility, description="Ruang tunggu panas", name="Budi")
    typed = case.code.replace("-", "").lower()
    assert _filter(facility, q=typed) == [case.code]
    assert _filter(facility, q=case.code[4:8]) == [case.code]
    assert _filter(facility, q="apotek") == [case.code]
    assert _filter(facility, q="sulas") == [case.code]


def test_sorts_by_received_due_date_and_status(facility: Any) -> None:
    old = CaseFactory(facility=facility, received_at=at(datetime.date(2026, 8, 3)), due_date=datetime.date(2026, 8, 20))
    new = CaseFactory(
        facility=facility,
        status=CaseStatus.CLOSED,
        received_at=at(datetime.date(2026, 8, 10)),
        due_date=datetime.date(2026, 8, 17),
    )
    middle = CaseFactory(
        facility=facility,
        status=CaseStatus.REOPENED,
        received_at=at(datetime.date(2026, 8, 5)),
        due_date=datetime.date(2026, 8, 25),
    )
    assert _filter(facility) == [new.code, middle.code, old.code]
    assert _filter(facility, sort="oldest") == [old.code, middle.code, new.code]
    assert _filter(facility, sort="due") == [new.code, old.code, middle.code]
    assert _filter(facility, sort="status") == [middle.code, old.code, new.code]  # reopened, received, closed


def test_counts_per_status_come_from_one_query(facility: Any, django_assert_num_queries: Any) -> None:
    CaseFactory(facility=facility)
    CaseFactory(facility=facility)
    CaseFactory(facility=facility, status=CaseStatus.REOPENED)
    CaseFactory(facility=facility, status=CaseStatus.REJECTED)
    CaseFactory(facility=FacilityFactory())
    with django_assert_num_queries(1):
        counts = reports.status_counts(facility)
    assert counts["all"] == 4
    assert counts[reports.OPEN] == 3
    assert counts[CaseStatus.RECEIVED] == 2
    assert counts[CaseStatus.REJECTED] == 1
    assert counts[CaseStatus.ANSWERED] == 0


def test_facilities_carry_their_case_counts(facility: Any, other_facility: Any) -> None:
    today = timezone.localdate()
    soon = reports.national_soon_until(today)
    CaseFactory(facility=facility, due_date=today - datetime.timedelta(days=3))
    CaseFactory(facility=facility, due_date=soon)
    CaseFactory(facility=facility, due_date=soon + datetime.timedelta(days=10))
    CaseFactory(facility=facility, status=CaseStatus.CLOSED, due_date=today - datetime.timedelta(days=3))
    CaseFactory(facility=other_facility, due_date=today - datetime.timedelta(days=3))

    rows = {f.slug: f for f in reports.with_case_counts(Facility.objects.order_by("slug"), today)}
    soko = rows["pkm-soko"]
    assert (soko.open_cases, soko.overdue_cases, soko.due_soon_cases) == (3, 1, 1)
    rengel = rows["pkm-rengel"]
    assert (rengel.open_cases, rengel.overdue_cases, rengel.due_soon_cases) == (1, 1, 0)


# --- Figures, computed by hand -----------------------------------------------------------------

AUG = (datetime.date(2026, 8, 1), datetime.date(2026, 8, 31))
SEP_1 = datetime.date(2026, 9, 1)


@pytest.fixture
def august(facility: Any) -> dict[str, Case]:
    """Seven cases. In August, answered: A (2 working days, 48 h, in time), B (Fri → Wed over
    the weekend and Independence Day: 2 working days, 120 h, late), C (same day, 6 h, in time);
    unanswered: D (overdue on 1 September), E (not yet due), G (rejected). F came in July."""
    charter = CharterFactory(facility=facility)
    poli = ServiceStandardFactory(charter=charter, name="Poli Umum", slug="poli-umum")
    poli_old = ServiceStandardFactory(charter=charter, name="Poli Umum", slug="poli-umum-lama")
    imunisasi = ServiceStandardFactory(charter=charter, name="Imunisasi", slug="imunisasi")
    d = datetime.date
    return {
        "A": CaseFactory(
            facility=facility,
            status=CaseStatus.ANSWERED,
            service=poli,
            received_at=at(d(2026, 8, 3)),
            first_reply_at=at(d(2026, 8, 5)),
            due_date=d(2026, 8, 10),
        ),
        "B": CaseFactory(
            facility=facility,
            status=CaseStatus.CLOSED,
            service=poli_old,
            received_at=at(FRI_14_AUG),
            first_reply_at=at(WED_19_AUG),
            due_date=TUE_18_AUG,
            rating=Rating.SATISFIED,
        ),
        "C": CaseFactory(
            facility=facility,
            kind=FeedbackKind.SUGGESTION,
            status=CaseStatus.ANSWERED,
            service=imunisasi,
            received_at=at(d(2026, 8, 4), 10),
            first_reply_at=at(d(2026, 8, 4), 16),
            due_date=d(2026, 8, 11),
        ),
        "D": CaseFactory(facility=facility, received_at=at(d(2026, 8, 24)), due_date=d(2026, 8, 31)),
        "E": CaseFactory(
            facility=facility, kind=FeedbackKind.QUESTION, received_at=at(d(2026, 8, 27)), due_date=d(2026, 9, 2)
        ),
        "F": CaseFactory(
            facility=facility, status=CaseStatus.IN_PROGRESS, received_at=at(d(2026, 7, 10)), due_date=d(2026, 7, 17)
        ),
        "G": CaseFactory(
            facility=facility,
            kind=FeedbackKind.COMPLIMENT,
            status=CaseStatus.REJECTED,
            received_at=at(d(2026, 8, 20)),
            due_date=d(2026, 8, 24),
        ),
    }


def test_figures_of_the_period(facility: Any, august: dict[str, Case]) -> None:
    figures = reports.figures(facility, *AUG, today=SEP_1)
    total = figures.total
    assert total.received == 6  # all but F
    assert total.open_now == 3  # D, E, F
    assert total.overdue_now == 2  # D, F
    assert (total.answered_in_time, total.answered_late, total.unanswered_late) == (2, 1, 1)  # A C / B / D
    assert total.share_in_time == 0.5
    assert total.percent_in_time == 50
    assert total.median_reply_days == 2  # of 2, 2, 0
    assert total.median_reply_hours == 48  # of 48, 120, 6


def test_figures_by_kind(facility: Any, august: dict[str, Case]) -> None:
    rows = {row.label: row for row in reports.figures(facility, *AUG, today=SEP_1).by_kind}
    assert list(rows) == ["Complaint", "Suggestion", "Compliment", "Question"]
    complaint = rows["Complaint"]
    assert (complaint.received, complaint.open_now, complaint.overdue_now) == (3, 2, 2)
    assert complaint.percent_in_time == 33  # A in time; B late; D unanswered past its date
    assert complaint.median_reply_days == 2
    assert rows["Suggestion"].median_reply_days == 0
    assert rows["Suggestion"].percent_in_time == 100
    assert rows["Question"].percent_in_time is None  # nothing answered nor late yet
    assert rows["Question"].median_reply_days is None


def test_figures_by_service_join_the_versions_of_a_service_by_name(facility: Any, august: dict[str, Case]) -> None:
    rows = {row.label: row for row in reports.figures(facility, *AUG, today=SEP_1).by_service}
    assert list(rows) == ["Imunisasi", "Poli Umum", "No service given"]
    assert rows["Poli Umum"].received == 2
    assert rows["Poli Umum"].percent_in_time == 50
    assert rows["Poli Umum"].median_reply_hours == 84  # (48 + 120) / 2
    assert rows["No service given"].received == 3  # D, E, G


def test_figures_of_an_empty_period(facility: Any, august: dict[str, Case]) -> None:
    figures = reports.figures(facility, datetime.date(2025, 1, 1), datetime.date(2025, 1, 31), today=SEP_1)
    assert figures.total.received == 0
    assert figures.total.open_now == 3  # open now, whatever the period
    assert figures.total.median_reply_days is None
    assert figures.total.percent_in_time is None


def test_figures_take_a_bounded_number_of_queries(
    facility: Any, august: dict[str, Case], django_assert_num_queries: Any
) -> None:
    for _ in range(5):
        CaseFactory(
            facility=facility, received_at=at(datetime.date(2026, 8, 12)), first_reply_at=at(datetime.date(2026, 8, 13))
        )
    with django_assert_num_queries(3):  # the counts by kind and service, holidays, reply times
        reports.figures(facility, *AUG, today=SEP_1)


def test_figures_leave_other_facilities_out(facility: Any, other_facility: Any, august: dict[str, Case]) -> None:
    CaseFactory(facility=other_facility, received_at=at(datetime.date(2026, 8, 12)))
    assert reports.figures(facility, *AUG, today=SEP_1).total.received == 6


def test_totals_by_facility_are_each_facilitys_figures_in_one_query(
    facility: Any, other_facility: Any, august: dict[str, Case], django_assert_num_queries: Any
) -> None:
    CaseFactory(
        facility=other_facility, received_at=at(datetime.date(2026, 8, 12)), due_date=datetime.date(2026, 8, 14)
    )
    with django_assert_num_queries(1):
        totals = reports.totals_by_facility([facility.pk, other_facility.pk], *AUG, today=SEP_1)
    for place in (facility, other_facility):
        own = reports.figures(place, *AUG, today=SEP_1).total
        counts = ("received", "open_now", "overdue_now", "answered_in_time", "answered_late", "unanswered_late")
        assert [getattr(totals[place.pk], name) for name in counts] == [getattr(own, name) for name in counts]
    assert (totals[facility.pk].percent_in_time, totals[other_facility.pk].percent_in_time) == (50, 0)


# --- Exports -----------------------------------------------------------------------------------


def test_csv_has_a_bom_a_header_and_one_row_per_case_without_contact_details(
    facility: Any, august: dict[str, Case]
) -> None:
    content = to_csv(reports.export_sheet(reports.facility_cases(facility).order_by("received_at"), "Cases"))
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][0] == "Tracking code"
    assert len(rows) == 8
    b = next(row for row in rows if row[0] == august["B"].code)
    assert b[1] == "2026-08-14 09:00"
    assert b[5] == "Poli Umum"
    assert b[7] == "2026-08-18"
    assert b[9] == "no"  # answered after the due date
    assert b[12] == "Satisfied"
    assert next(row for row in rows if row[0] == august["D"].code)[9] == "-"
    text = content.decode("utf-8-sig")
    assert "Budi" not in text and "081234567890" not in text and "budi@example.org" not in text


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_cell_that_a_spreadsheet_would_run_gets_a_quote(start: str) -> None:
    assert safe_cell(f'{start}HYPERLINK("http://x")') == f'\'{start}HYPERLINK("http://x")'
    assert safe_cell("Poli Umum") == "Poli Umum"


def test_csv_guards_a_service_name_against_formula_injection(facility: Any) -> None:
    service = ServiceStandardFactory(charter=CharterFactory(facility=facility), name="=cmd|' /C calc'!A0")
    CaseFactory(facility=facility, service=service)
    content = to_csv(reports.export_sheet(reports.facility_cases(facility), "Cases"))
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1][5] == "'=cmd|' /C calc'!A0"


def test_csv_quotes_every_cell_so_a_semicolon_spreadsheet_finds_no_formula(facility: Any) -> None:
    """Issue 13: "ok;=cmd…" came out unquoted, and a spreadsheet reading `;` as the separator (as
    Indonesian Excel does) split it into a formula cell. Every cell is quoted now, and a formula
    start after a separator inside the text is guarded like one at the start."""
    service = ServiceStandardFactory(charter=CharterFactory(facility=facility), name="ok;=cmd|' /C calc'!A0")
    CaseFactory(facility=facility, service=service)
    content = to_csv(reports.export_sheet(reports.facility_cases(facility), "Cases")).decode("utf-8-sig")

    assert "\"ok;'=cmd|' /C calc'!A0\"" in content  # quoted, and the cell after the ";" is text
    for delimiter in (",", ";"):
        cells = [cell for row in csv.reader(io.StringIO(content), delimiter=delimiter) for cell in row]
        assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS) and cell != "-"], delimiter


def _xlsx_parts(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml")}


def test_xlsx_holds_the_codes_as_text_dates_as_numbers_and_no_formula(facility: Any, august: dict[str, Case]) -> None:
    service = ServiceStandardFactory(charter=august["A"].service.charter, name="=1+1", slug="formula")
    CaseFactory(facility=facility, service=service)
    parts = _xlsx_parts(to_xlsx(reports.export_sheet(reports.facility_cases(facility), "Cases")))
    strings = parts["xl/sharedStrings.xml"]
    for case in august.values():
        assert case.code in strings
    assert "=1+1" in strings  # written as a string…
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert "<f>" not in sheet  # …and no cell is a formula
    assert "Budi" not in strings and "budi@example.org" not in strings
    # 14 August 2026 09:00 is day 46248 of Excel's calendar, stored as a number with a date format.
    assert "<v>46248.375</v>" in sheet
