"""Three months of complaints, suggestions, compliments and questions, replayed through the same
service functions as the public form and the staff inbox, each step at its moment (`now=`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone, translation

from charters.models import Facility
from feedback import notifications, services as feedback_services
from feedback.models import DEFAULT_CLASS_FOR_KIND, Case, Channel
from feedback.services import due_date_for
from feedback.workdays import calendar_for

from ..data.feedback import ACTIVITY, DESK, Act, CasePlan
from ..moments import at_hour, is_office_day


def received_for_due_soon(facility: Facility, plan: CasePlan, now: datetime) -> date:
    """The latest day a case of this kind could be received to be due on the first working day
    from today on: not yet overdue, but the first thing to answer."""
    calendar = calendar_for(facility.pk)
    today = timezone.localtime(now).date()
    due = today
    while not calendar.is_working_day(due):
        due += timedelta(days=1)
    day = today - timedelta(days=1)
    while due_date_for(facility, DEFAULT_CLASS_FOR_KIND[plan.kind], day) > due:
        day -= timedelta(days=1)
    return day


def replay_act(case: Case, act: Act, users: dict[str, Any], moment: datetime) -> None:
    user = users.get(act.by)
    case = Case.objects.select_related("facility", "service").get(pk=case.pk)
    match act.do:
        case "start":
            feedback_services.start_handling(case, user, now=moment)
        case "assign":
            feedback_services.assign(case, user, users[act.value], now=moment)
        case "note":
            feedback_services.add_note(case, user, act.text, now=moment)
        case "reply":
            feedback_services.reply(case, user, act.text, now=moment)
        case "close":
            feedback_services.close_case(case, user, act.text, now=moment)
        case "reject":
            feedback_services.reject_case(case, user, act.text, now=moment)
        case "reclassify":
            feedback_services.reclassify(
                case, user, kind=case.kind, complaint_class=act.value, service=case.service, now=moment
            )
        case "information":
            feedback_services.add_information(case, act.text, now=moment)
        case "rate":
            feedback_services.rate_answer(case, act.value, act.text, now=moment)
        case _:
            raise ValueError(f"Unknown demo act {act.do!r}")


def replay_case(facility: Facility, plan: CasePlan, now: datetime, users: dict[str, Any]) -> Case:
    """Receive the case on its day and replay what happened to it, each step at its time."""
    if plan.days_ago is None:
        received_on = received_for_due_soon(facility, plan, now)
    else:
        received_on = timezone.localtime(now).date() - timedelta(days=plan.days_ago)
    if plan.channel != Channel.WEB:
        while not is_office_day(received_on):  # the box is emptied, the phone answered, on office days
            received_on -= timedelta(days=1)
    received = min(at_hour(received_on, plan.hour), now - timedelta(hours=1))
    charter = facility.published_charter()
    service = charter.services.filter(slug=plan.service).first() if charter and plan.service else None
    # The citizen used the form themselves; the staff at the desk entered the other channels.
    entered_by = None if plan.channel == Channel.WEB else users[DESK[facility.slug]]
    case = feedback_services.submit_case(
        facility,
        kind=plan.kind,
        description=plan.description,
        service=service,
        occurred_on=received_on - timedelta(days=plan.occurred_days_before)
        if plan.occurred_days_before is not None
        else None,
        anonymous=plan.anonymous,
        name=plan.name,
        phone=plan.phone,
        email=plan.email,
        channel=plan.channel,
        entered_by=entered_by,
        now=received,
    )
    last = received
    for act in plan.acts:
        # Never before the step it follows, never after the run.
        day = received_on + timedelta(days=act.day)
        if act.by:  # staff act on office days, when that is not after the run
            while not is_office_day(day) and at_hour(day + timedelta(days=1), act.hour) < now:
                day += timedelta(days=1)
        moment = max(at_hour(day, act.hour), last + timedelta(minutes=5))
        if moment > now:
            raise ValueError(f"Demo case {plan.description[:30]!r}: {act.do} would happen after now")
        replay_act(case, act, users, moment)
        last = moment
    # `updated_at` is `auto_now`: every save stamps the real time, and no argument moves it. The
    # services' `now` stamps everything else; this stamps the case's last change at its moment in
    # the story too (`update()` skips auto_now), as the admin's "updated at" would show it.
    Case.objects.filter(pk=case.pk).update(updated_at=last)
    return case


def seed_activity(facilities: list[Facility], users: dict[str, Any], now: datetime) -> list[str]:
    """The cases of each facility in `ACTIVITY`, received and handled over the months before `now`
    by the staff in `users` (by username).

    No e-mail goes out: these are past events, and the demo's citizens do not exist. A facility
    that already has cases, or no published charter, is left alone.
    """
    report = []
    with translation.override("id"), notifications.muted():
        for facility in facilities:
            plans = ACTIVITY.get(facility.slug, [])
            if not plans:
                continue
            existing = facility.cases.count()
            if existing:
                report.append(f"{facility.name}: kept {existing} feedback cases")
                continue
            if facility.published_charter() is None:
                report.append(f"{facility.name}: no published charter, no feedback cases")
                continue
            for plan in plans:
                replay_case(facility, plan, now, users)
            report.append(f"{facility.name}: {len(plans)} feedback cases over the last three months")
    return report
