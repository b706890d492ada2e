"""The demo's satisfaction survey, replayed: three semesters of questionnaires at Puskesmas Soko
and two at Puskesmas Rengel, the population each served, and Soko's follow-up of its weak elements.

The answers are drawn from a fixed random seed, so every run gives the same figures. Web answers
are sent on the day of the visit; paper ones are entered by staff in weekly batches, through
`record_paper_responses` with the moment of each batch (`now=`).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from charters.models import AgreementDecision, Facility
from feedback.models import ResponseChannel, SurveyPeriod, SurveyResponse
from feedback.services import surveys
from feedback.survey import ikm
from feedback.survey.ikm import ELEMENTS

from ..data.survey import (
    AGE,
    COMMENTS,
    EDUCATION,
    OCCUPATION,
    SEMESTERS,
    SERVICE_WEIGHTS,
    SEX,
    SOKO_ANSWERS,
    SOKO_IMPROVEMENT,
)


@dataclass(frozen=True)
class PeriodPlan:
    start: date
    end: date
    population: int
    respondents: int  # for a whole semester; the running one gets its share so far


def semester(day: date) -> tuple[date, date, str]:
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30), f"Semester I {day.year}"
    return date(day.year, 7, 1), date(day.year, 12, 31), f"Semester II {day.year}"


def last_semesters(today: date, count: int) -> list[tuple[date, date, str]]:
    """The semester of `today` and the `count - 1` before it, oldest first."""
    found = [semester(today)]
    while len(found) < count:
        found.insert(0, semester(found[0][0] - timedelta(days=1)))
    return found


def pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([value for value, _weight in weighted], weights=[weight for _value, weight in weighted])[0]


def answer(rng: random.Random, chances: tuple[float, float, float, float], improvement: float) -> int:
    low, fair, good, best = chances
    moved = min(improvement, low + fair)  # from 1 and 2 to 3 and 4
    share = (low / (low + fair)) if low + fair else 0
    chances = (low - moved * share, fair - moved * (1 - share), good + moved * 0.6, best + moved * 0.4)
    return rng.choices([1, 2, 3, 4], weights=chances)[0]


def office_days(start: date, end: date) -> list[date]:
    """Monday to Saturday: a Puskesmas serves on Saturday mornings too."""
    return [
        start + timedelta(days=n) for n in range((end - start).days + 1) if (start + timedelta(days=n)).weekday() != 6
    ]


def questionnaires(
    rng: random.Random, facility: Facility, plan: PeriodPlan, today: date, improvement: dict[str, float]
) -> list[tuple[surveys.Answers, str]]:
    """(answers, channel) for the period's respondents so far."""
    services = list(
        facility.published_charter().services.exclude(agreement=AgreementDecision.DEFERRED).order_by("position")
    )
    weights = [SERVICE_WEIGHTS.get(service.slug, 1) for service in services]
    days = office_days(plan.start, min(plan.end, today))
    share = len(days) / len(office_days(plan.start, plan.end))
    found = []
    for _ in range(round(plan.respondents * share)):
        paper = rng.random() < 0.62
        profile = {
            "age_group": pick(rng, AGE),
            "sex": pick(rng, SEX),
            "education": pick(rng, EDUCATION),
            "occupation": pick(rng, OCCUPATION),
        }
        if paper and rng.random() < 0.05:  # a paper respondent who left the profile empty
            profile = {}
        scores = {e.field: answer(rng, SOKO_ANSWERS[e.code], improvement.get(e.code, 0)) for e in ELEMENTS}
        if paper and rng.random() < 0.02:
            scores[rng.choice(ELEMENTS).field] = None  # a question skipped on paper
        found.append(
            (
                surveys.Answers(
                    service=rng.choices(services, weights=weights)[0],
                    visited_on=rng.choice(days),
                    scores=scores,
                    profile=profile,
                    comment=rng.choice(COMMENTS) if rng.random() < 0.09 else "",
                ),
                ResponseChannel.PAPER if paper else ResponseChannel.WEB,
            )
        )
    return found


def moment(day: date, hour: float) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(int(hour), int(hour % 1 * 60))))


def record(
    facility: Facility, answers: list[tuple[surveys.Answers, str]], editor: Any, rng: random.Random, now: datetime
) -> int:
    """Web answers as sent on the day of the visit; paper ones entered by staff a few days later,
    in weekly batches, through the service the entry page uses.

    The web answers are built as `submit_response` builds them and saved in bulk: the public
    form's service saves one answer per request, which for hundreds of answers would only slow
    the seed down (its once-a-day device rule cannot refuse these random devices anyway)."""
    web = [a for a, channel in answers if channel == ResponseChannel.WEB]
    paper = [a for a, channel in answers if channel == ResponseChannel.PAPER]
    rows = [
        a.as_response(
            facility,
            channel=ResponseChannel.WEB,
            submitted_at=moment(a.visited_on, rng.uniform(8, 20)),
            device=hashlib.sha256(f"demo-{facility.pk}-{n}".encode()).hexdigest(),
        )
        for n, a in enumerate(web)
    ]
    SurveyResponse.objects.bulk_create(rows, batch_size=500)
    by_week: dict[date, list[surveys.Answers]] = {}
    for a in paper:
        by_week.setdefault(a.visited_on - timedelta(days=a.visited_on.weekday()), []).append(a)
    for week, batch in sorted(by_week.items()):
        entered = min(moment(week + timedelta(days=7), 10), now)
        surveys.record_paper_responses(facility, batch, editor, now=entered)
    return len(answers)


def nrr_of(facility: Facility, period: SurveyPeriod, code: str) -> Decimal | None:
    responses = facility.survey_responses.visited_between(period.start, period.end)
    return ikm.index_of(responses).score(code).nrr_rounded()


def soko_actions(facility: Facility, periods: list[SurveyPeriod], editor: Any, head: Any, now: datetime) -> None:
    """What the first and second evaluations found weak, and what was done about it (recorded
    at `now`, the time of the run)."""
    today = timezone.localdate(now)
    first, second = periods[0], periods[1]
    done = [
        (
            first,
            "U3",
            "Menambah satu petugas pendaftaran pada jam 07.30–09.30 dan memakai nomor antrean.",
            "Koordinator Pendaftaran (Sdri. Ani)",
            30,
            "Petugas kedua bertugas sejak awal bulan; antrean pagi turun dari ±45 menjadi ±20 menit.",
        ),
        (
            first,
            "U8",
            "Memperbaiki kursi ruang tunggu dan memasang dua kipas angin.",
            "Kepala Tata Usaha",
            60,
            "Dua belas kursi diganti, dua kipas angin dipasang.",
        ),
    ]
    for period, code, action, responsible, days, result in done:
        recorded = surveys.add_action(
            facility,
            head,
            element=code,
            finding_start=period.start,
            finding_end=period.end,
            finding_nrr=nrr_of(facility, period, code),
            action=action,
            responsible=responsible,
            due_date=period.end + timedelta(days=days),
            now=now,
        )
        surveys.complete_action(recorded, min(period.end + timedelta(days=days - 5), today), result)
    surveys.add_action(
        facility,
        head,
        element="U8",
        finding_start=second.start,
        finding_end=second.end,
        finding_nrr=nrr_of(facility, second, "U8"),
        action="Membuat jalur landai (ramp) untuk kursi roda di pintu poli umum dan KIA.",
        responsible="Kepala Tata Usaha",
        due_date=min(second.end + timedelta(days=75), today - timedelta(days=3)),
        now=now,
    )
    surveys.add_action(
        facility,
        editor,
        element="U9",
        finding_start=second.start,
        finding_end=second.end,
        finding_nrr=nrr_of(facility, second, "U9"),
        action="Memasang papan alur pengaduan dan nomor WhatsApp pengaduan di ruang tunggu dan di setiap poli.",
        responsible="Petugas Pengaduan (Sdr. Budi)",
        due_date=second.end + timedelta(days=180),
        now=now,
    )


def seed_survey(facilities: dict[str, Facility], users: dict[str, Any], now: datetime) -> list[str]:
    """The survey of each facility in `SEMESTERS`, up to `now`; a facility that already has
    responses is left alone."""
    today = timezone.localdate(now)
    report = []
    for slug, numbers in SEMESTERS.items():
        facility = facilities[slug]
        existing = facility.survey_responses.count()
        if existing:
            report.append(f"{facility.name}: kept {existing} survey responses")
            continue
        if facility.published_charter() is None:
            continue
        rng = random.Random(f"maklumat-demo-survey-{slug}")
        editor = facility.memberships.order_by("role").first().user
        periods = []
        total = 0
        for position, ((start, end, name), (population, respondents)) in enumerate(
            zip(last_semesters(today, len(numbers)), numbers, strict=True)
        ):
            period, _created = SurveyPeriod.objects.get_or_create(
                facility=facility, start=start, end=end, defaults={"name": name, "population": population}
            )
            periods.append(period)
            improvement = (
                {code: step * position for code, step in SOKO_IMPROVEMENT.items()} if slug == "pkm-soko" else {}
            )
            plan = PeriodPlan(start, end, population, respondents)
            total += record(facility, questionnaires(rng, facility, plan, today, improvement), editor, rng, now)
        if slug == "pkm-soko":
            soko_actions(facility, periods, users["soko-editor"], users["soko-head"], now)
        report.append(f"{facility.name}: {total} survey responses over {len(periods)} semesters")
    return report
