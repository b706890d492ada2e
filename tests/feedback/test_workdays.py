"""Deadlines in working days: weekends, Indonesia's public holidays and the facility's own days off
do not count."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from feedback import services
from feedback.models import Case, ComplaintClass, FacilityHoliday, FeedbackKind, FeedbackSettings
from feedback.workdays import WorkingCalendar, calendar_for, national_holidays

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
    calendar = WorkingCalendar()
    assert not calendar.is_working_day(nyepi)
    # Wednesday + 1 jumps the Thursday; Friday 13 March + 5: 16, 17, 18, (19 Nyepi), 20, 23.
    assert calendar.add_working_days(D("2026-03-18"), 1) == D("2026-03-20")
    assert calendar.add_working_days(D("2026-03-13"), 5) == D("2026-03-23")


def test_independence_day_on_a_monday_is_skipped() -> None:
    assert D("2026-08-17") in national_holidays(2026)
    assert WorkingCalendar().add_working_days(D("2026-08-14"), 1) == D("2026-08-18")


def test_a_deadline_runs_into_the_next_year_with_its_holidays() -> None:
    # Christmas Day (Friday) and New Year's Day 2027 (Friday) both fall out.
    assert WorkingCalendar().add_working_days(D("2026-12-24"), 5) == D("2027-01-04")


def test_working_days_between_counts_only_working_days() -> None:
    calendar = WorkingCalendar()
    assert calendar.working_days_between(FRIDAY, D("2026-07-10")) == 5
    assert calendar.working_days_between(D("2026-03-13"), D("2026-03-20")) == 4  # Nyepi
    assert calendar.working_days_between(FRIDAY, D("2026-07-05")) == 0  # the weekend
    assert calendar.working_days_between(FRIDAY, FRIDAY) == 0
    assert calendar.working_days_between(FRIDAY, D("2026-07-01")) == 0


def test_working_days_between_undoes_add_working_days() -> None:
    calendar = WorkingCalendar()
    for start in (D("2026-03-13"), D("2026-08-14"), FRIDAY):
        for days in (1, 2, 5, 14, 60):
            assert calendar.working_days_between(start, calendar.add_working_days(start, days)) == days


@pytest.mark.django_db
def test_a_facility_holiday_is_skipped_for_that_facility_only(facility: Any, other_facility: Any) -> None:
    FacilityHoliday.objects.create(facility=facility, date=D("2026-07-06"), name="Cuti bersama")
    assert calendar_for(facility.pk).add_working_days(FRIDAY, 2) == D("2026-07-08")
    assert calendar_for(other_facility.pk).add_working_days(FRIDAY, 2) == D("2026-07-07")
    assert calendar_for(facility.pk).working_days_between(FRIDAY, D("2026-07-10")) == 4


@pytest.mark.django_db
def test_due_date_for_uses_the_facility_norm(facility: Any) -> None:
    FeedbackSettings.for_facility(facility)
    FeedbackSettings.objects.filter(facility=facility).update(normative_days=3)
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
def test_the_day_received_is_the_facility_s_local_day(facility: Any) -> None:
    # 00:30 on Friday in Jakarta is still Thursday in UTC.
    moment = datetime.datetime(2026, 7, 3, 0, 30, tzinfo=JAKARTA)
    assert moment.astimezone(datetime.UTC).date() == D("2026-07-02")
    case = _submitted_at(facility, moment, kind=FeedbackKind.QUESTION)
    assert case.due_date == D("2026-07-07")


@pytest.mark.django_db
def test_a_complaint_before_nyepi_and_a_facility_holiday(facility: Any) -> None:
    FacilityHoliday.objects.create(facility=facility, date=D("2026-03-20"), name="Cuti bersama Idul Fitri")
    case = _submitted_at(facility, datetime.datetime(2026, 3, 13, 9, 0, tzinfo=JAKARTA))
    # 16, 17, 18, (19 Nyepi), (20 facility), (21-22 weekend and Idul Fitri), 23, 24.
    assert case.due_date == D("2026-03-24")
