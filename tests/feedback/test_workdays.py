"""Deadlines in working days: weekends, Indonesia's public holidays, the government's collective
leave days (cuti bersama) and the facility's own days off do not count; Saturdays count where the
facility serves on Saturdays."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from charters.models import ComplaintClass
from feedback import services
from feedback.models import Case, FacilityHoliday, FeedbackKind, FeedbackSettings
from feedback.workdays import (
    WorkingCalendar,
    calendar_for,
    calendars_for,
    national_holiday_names,
    national_holidays,
)
from tests.factories import make_published_charter

D = datetime.date.fromisoformat
FRIDAY = D("2026-07-03")  # no public holiday in the two weeks after it
JAKARTA = timezone.get_fixed_timezone(7 * 60)


def test_friday_plus_two_working_days_is_tuesday() -> None:
    assert WorkingCalendar().add_working_days(FRIDAY, 2) == D("2026-07-07")


def test_the_start_day_itself_never_counts() -> None:
    calendar = WorkingCalendar()
    assert calendar.add_working_days(D("2026-07-06"), 1) == D("2026-07-07")  # Monday → Tuesday
    assert calendar.add_working_days(D("2026-07-04"), 1) == D("2026-07-06")  # Saturday → Monday
    assert calendar.add_working_days(FRIDAY, 0) == FRIDAY


def test_nyepi_on_a_thursday_is_skipped() -> None:
    nyepi = D("2026-03-19")
    assert nyepi.weekday() == 3 and nyepi in national_holidays(2026)
    assert not WorkingCalendar().is_working_day(nyepi)


def test_the_cuti_bersama_set_by_decree_are_not_working_days() -> None:
    # Days of the joint decrees for 2025 and 2026, as the `holidays` package lists them.
    cuti_bersama = {
        D("2025-08-18"): "Cuti Bersama Hari Kemerdekaan Republik Indonesia",  # a Monday
        D("2025-12-26"): "Cuti Bersama Hari Raya Natal",  # a Friday
        D("2026-03-18"): "Cuti Bersama Hari Suci Nyepi",  # a Wednesday
        D("2026-12-24"): "Cuti Bersama Hari Raya Natal",  # a Thursday
    }
    calendar = WorkingCalendar()
    for day, name in cuti_bersama.items():
        assert day.weekday() < 5 and day in national_holidays(day.year)
        assert not calendar.is_working_day(day)
        assert national_holiday_names(day.year)[day] == name
    assert national_holiday_names(2026, "en")[D("2026-12-24")] == "Christmas Joint Holiday"
    assert national_holiday_names(2026)[D("2026-12-25")] == "Hari Raya Natal"  # the public holidays stay


def test_a_deadline_skips_nyepi_eid_and_their_cuti_bersama() -> None:
    calendar = WorkingCalendar()
    # (18 cuti bersama Nyepi), (19 Nyepi), (20 cuti bersama Idul Fitri), (21-22 Idul Fitri, weekend),
    # (23-24 cuti bersama Idul Fitri): Tuesday + 1 is the Wednesday a week later.
    assert calendar.add_working_days(D("2026-03-17"), 1) == D("2026-03-25")
    # Friday 13 March + 5: 16, 17, 25, 26, 27.
    assert calendar.add_working_days(D("2026-03-13"), 5) == D("2026-03-27")


def test_a_deadline_skips_christmas_and_its_cuti_bersama() -> None:
    # Tuesday 22 December + 2: 23, (24 cuti bersama), (25 Christmas), (26-27 weekend), 28.
    assert WorkingCalendar().add_working_days(D("2026-12-22"), 2) == D("2026-12-28")
    assert WorkingCalendar(saturday=True).add_working_days(D("2026-12-22"), 2) == D("2026-12-26")


def test_independence_day_on_a_monday_is_skipped() -> None:
    assert D("2026-08-17") in national_holidays(2026)
    assert WorkingCalendar().add_working_days(D("2026-08-14"), 1) == D("2026-08-18")


def test_a_deadline_runs_into_the_next_year_with_its_holidays() -> None:
    # Christmas Day (Friday) and New Year's Day 2027 (Friday) both fall out.
    assert WorkingCalendar().add_working_days(D("2026-12-24"), 5) == D("2027-01-04")


def test_working_days_between_counts_only_working_days() -> None:
    calendar = WorkingCalendar()
    assert calendar.working_days_between(FRIDAY, D("2026-07-10")) == 5
    assert calendar.working_days_between(D("2026-03-13"), D("2026-03-20")) == 2  # Nyepi and cuti bersama
    assert calendar.working_days_between(FRIDAY, D("2026-07-05")) == 0  # the weekend
    assert calendar.working_days_between(FRIDAY, FRIDAY) == 0
    assert calendar.working_days_between(FRIDAY, D("2026-07-01")) == 0


def test_working_days_between_undoes_add_working_days() -> None:
    calendar = WorkingCalendar()
    saturdays = WorkingCalendar(saturday=True)
    for start in (D("2026-03-13"), D("2026-08-14"), D("2026-12-22"), FRIDAY):
        for days in (1, 2, 5, 14, 60):
            assert calendar.working_days_between(start, calendar.add_working_days(start, days)) == days
            assert saturdays.working_days_between(start, saturdays.add_working_days(start, days)) == days


def test_saturday_counts_only_where_the_facility_serves_on_saturdays() -> None:
    assert WorkingCalendar().add_working_days(FRIDAY, 2) == D("2026-07-07")  # Tuesday
    assert WorkingCalendar(saturday=True).add_working_days(FRIDAY, 2) == D("2026-07-06")  # Monday
    assert WorkingCalendar(saturday=True).working_days_between(FRIDAY, D("2026-07-10")) == 6


def test_a_holiday_on_a_saturday_and_every_sunday_stay_days_off() -> None:
    calendar = WorkingCalendar(saturday=True)
    idul_fitri = D("2026-03-21")
    assert idul_fitri.weekday() == 5 and idul_fitri in national_holidays(2026)
    assert not calendar.is_working_day(idul_fitri)
    assert calendar.is_working_day(D("2026-07-04"))
    assert not calendar.is_working_day(D("2026-07-05"))


@pytest.mark.django_db
def test_a_facility_holiday_is_skipped_for_that_facility_only(facility: Any, other_facility: Any) -> None:
    FacilityHoliday.objects.create(facility=facility, date=D("2026-07-06"), name="Hari jadi kabupaten")
    assert calendar_for(facility.pk).add_working_days(FRIDAY, 2) == D("2026-07-08")
    assert calendar_for(other_facility.pk).add_working_days(FRIDAY, 2) == D("2026-07-07")
    assert calendar_for(facility.pk).working_days_between(FRIDAY, D("2026-07-10")) == 4


@pytest.mark.django_db
def test_calendar_for_reads_the_saturday_rule_and_the_days_off_in_one_query(
    facility: Any, other_facility: Any, django_assert_num_queries: Any
) -> None:
    FeedbackSettings.for_facility(facility)
    FeedbackSettings.objects.filter(facility=facility).update(saturday_is_working_day=True)
    for day in ("2026-07-04", "2026-07-06"):
        FacilityHoliday.objects.create(facility=facility, date=D(day), name="Libur daerah")
    with django_assert_num_queries(1):
        calendar = calendar_for(facility.pk)
    assert calendar.saturday is True and calendar.extra == {D("2026-07-04"), D("2026-07-06")}
    # (4 the facility's day off, 5 Sunday, 6 the facility's day off), 7, 8.
    assert calendar.add_working_days(FRIDAY, 2) == D("2026-07-08")
    # Without settings nor days off of its own: Monday to Friday.
    with django_assert_num_queries(1):
        calendar = calendar_for(other_facility.pk)
    assert calendar.saturday is False and calendar.extra == frozenset()


@pytest.mark.django_db
def test_calendars_for_reads_several_facilities_in_one_query(
    facility: Any, other_facility: Any, django_assert_num_queries: Any
) -> None:
    FeedbackSettings.for_facility(facility)
    FeedbackSettings.objects.filter(facility=facility).update(saturday_is_working_day=True)
    FacilityHoliday.objects.create(facility=facility, date=D("2026-07-06"), name="Libur daerah")
    FacilityHoliday.objects.create(facility=other_facility, date=D("2026-07-07"), name="Hari jadi")
    with django_assert_num_queries(1):
        calendars = calendars_for([facility.pk, other_facility.pk])
    assert (calendars[facility.pk].saturday, calendars[facility.pk].extra) == (True, {D("2026-07-06")})
    assert (calendars[other_facility.pk].saturday, calendars[other_facility.pk].extra) == (False, {D("2026-07-07")})


@pytest.mark.django_db
def test_due_date_for_uses_the_norm_of_the_charter_in_force(facility: Any) -> None:
    make_published_charter(facility, normative_days=3, effective_date=FRIDAY - datetime.timedelta(days=30))
    assert services.due_date_for(facility, ComplaintClass.NORMATIVE, FRIDAY) == D("2026-07-08")
    assert services.due_date_for(facility, ComplaintClass.LIGHT, FRIDAY) == D("2026-07-07")
    assert services.due_date_for(facility, ComplaintClass.SIMPLE, FRIDAY) == FRIDAY + datetime.timedelta(days=20)


def _submitted_at(facility: Any, moment: datetime.datetime, kind: str = FeedbackKind.COMPLAINT) -> Case:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return services.submit_case(facility, kind=kind, description="Antrean di loket lama sekali.")


@pytest.mark.django_db
def test_a_complaint_sent_on_friday_is_due_five_working_days_later(facility: Any) -> None:
    case = _submitted_at(facility, datetime.datetime(2026, 7, 3, 10, 0, tzinfo=JAKARTA))
    # Mon 6, Tue 7, Wed 8, Thu 9, Fri 10: the weekend does not count.
    assert case.due_date == D("2026-07-10")
    case.refresh_from_db()
    assert case.due_date == D("2026-07-10")


@pytest.mark.django_db
def test_a_question_sent_on_friday_is_due_on_tuesday(facility: Any) -> None:
    case = _submitted_at(facility, datetime.datetime(2026, 7, 3, 15, 0, tzinfo=JAKARTA), kind=FeedbackKind.QUESTION)
    assert case.complaint_class == ComplaintClass.LIGHT
    assert case.due_date == D("2026-07-07")


@pytest.mark.django_db
def test_a_question_sent_on_friday_is_due_on_monday_where_saturday_is_a_working_day(facility: Any) -> None:
    FeedbackSettings.for_facility(facility)
    FeedbackSettings.objects.filter(facility=facility).update(saturday_is_working_day=True)
    case = _submitted_at(facility, datetime.datetime(2026, 7, 3, 15, 0, tzinfo=JAKARTA), kind=FeedbackKind.QUESTION)
    assert case.complaint_class == ComplaintClass.LIGHT
    case.refresh_from_db()
    assert case.due_date == D("2026-07-06")


@pytest.mark.django_db
def test_the_day_received_is_the_facility_s_local_day(facility: Any) -> None:
    # 00:30 on Friday in Jakarta is still Thursday in UTC.
    moment = datetime.datetime(2026, 7, 3, 0, 30, tzinfo=JAKARTA)
    assert moment.astimezone(datetime.UTC).date() == D("2026-07-02")
    case = _submitted_at(facility, moment, kind=FeedbackKind.QUESTION)
    assert case.due_date == D("2026-07-07")


@pytest.mark.django_db
def test_a_complaint_before_nyepi_its_cuti_bersama_and_a_facility_holiday(facility: Any) -> None:
    FacilityHoliday.objects.create(facility=facility, date=D("2026-03-26"), name="Hari jadi kabupaten")
    case = _submitted_at(facility, datetime.datetime(2026, 3, 13, 9, 0, tzinfo=JAKARTA))
    # 16, 17, (18 cuti bersama, 19 Nyepi, 20 cuti bersama, 21-22 Idul Fitri and the weekend,
    # 23-24 cuti bersama), 25, (26 the facility's), 27, (28-29 weekend), 30.
    assert case.due_date == D("2026-03-30")
