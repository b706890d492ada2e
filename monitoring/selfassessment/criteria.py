"""The ten criteria, each scored from the facts of one facility (see the package's docstring)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from fractions import Fraction

from django.utils.formats import date_format, number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _, ngettext

from charters.models import (
    COMPONENTS,
    ParticipantGroup,
)
from feedback.reports import FigureRow
from feedback.survey import ikm

from .facts import Facts, SurveyWindow
from .rules import (
    COMPLAINT_THRESHOLDS,
    GROUP_SCORES,
    MAX_SCORE,
    PUBLISHED_SCORES,
    REVIEW_MONTHS,
    REVIEW_OVERDUE_CAP,
    RULES,
    RULES_BY_KEY,
    WEAKEST_ELEMENTS,
    Criterion,
    Link,
    _url,
)


def _links(*links: tuple[str, str]) -> tuple[Link, ...]:
    return tuple(Link(label, url) for label, url in links if url)


def share_score(part: int, whole: int) -> int:
    """⌊5 × part / whole⌋, 0 when `whole` is 0."""
    return min(MAX_SCORE * part // whole, MAX_SCORE) if whole else 0


def _day(day: datetime.date) -> str:
    return date_format(day)


def _components(facts: Facts) -> Criterion:
    rule = RULES_BY_KEY["components"]
    charter = facts.in_force
    if charter is None:
        return Criterion(
            rule, 0, (_("No charter is in force."),), (_("Publish a charter whose services state all 14 components."),)
        )
    services = facts.services
    stated = sum(len(service.stated) for service in services)
    required = len(COMPONENTS) * len(services)
    complete = sum(1 for service in services if not service.missing)
    evidence = [
        ngettext(
            "Version %(version)s in force: %(complete)s of %(count)s service states all 14 components "
            "(%(stated)s of %(required)s components stated).",
            "Version %(version)s in force: %(complete)s of %(count)s services state all 14 components "
            "(%(stated)s of %(required)s components stated).",
            len(services),
        )
        % {
            "version": charter.version,
            "complete": complete,
            "count": len(services),
            "stated": stated,
            "required": required,
        }
    ]
    to_do = [
        _("%(service)s: %(missing)s.")
        % {"service": service.service.name, "missing": ", ".join(str(c.label).lower() for c in service.missing)}
        for service in services
        if service.missing
    ]
    if to_do:
        to_do.insert(0, _("Start a revision of the charter and state the missing components:"))
    if not services:
        to_do.append(_("Add the facility's services to the charter."))
    slug = facts.facility.slug
    return Criterion(
        rule,
        share_score(stated, required),
        tuple(evidence),
        tuple(to_do),
        _links((_("The charter in force"), _url("manage:charter", slug, charter.version))),
    )


def _participation(facts: Facts) -> Criterion:
    rule = RULES_BY_KEY["participation"]
    charter = facts.in_force
    if charter is None:
        return Criterion(
            rule,
            0,
            (_("No charter is in force."),),
            (_("Agree the charter with providers, users and other stakeholders at a forum meeting, then publish it."),),
        )
    groups = [group for group in ParticipantGroup if facts.signatures.get(group)]
    if groups:
        signed = ", ".join(f"{str(group.label).lower()}: {facts.signatures[group]}" for group in groups)
        evidence = _("Signed the minutes of the forum on version %(version)s (last meeting %(day)s): %(signed)s.") % {
            "version": charter.version,
            "day": _day(facts.last_meeting) if facts.last_meeting else "—",
            "signed": signed,
        }
    else:
        evidence = _("Nobody signed the minutes of a forum meeting on version %(version)s.") % {
            "version": charter.version
        }
    missing = [str(group.label).lower() for group in ParticipantGroup if group not in groups]
    to_do = (
        (
            _("At the next revision, invite and have the minutes signed by: %(groups)s.")
            % {"groups": ", ".join(missing)},
        )
        if missing
        else ()
    )
    slug = facts.facility.slug
    return Criterion(
        rule,
        GROUP_SCORES[len(groups)],
        (evidence,),
        to_do,
        _links((_("Forum meetings"), _url("manage:meetings", slug, charter.version))),
    )


def _published(facts: Facts) -> Criterion:
    rule = RULES_BY_KEY["published"]
    slug = facts.facility.slug
    if facts.in_force is not None:
        charter = facts.in_force
        evidence = _("Version %(version)s is in force since %(day)s and public.") % {
            "version": charter.version,
            "day": _day(charter.effective_date) if charter.effective_date else "—",
        }
        return Criterion(
            rule, MAX_SCORE, (evidence,), (), _links((_("The public charter"), _url("public:charter", slug)))
        )
    charter = facts.in_progress
    if charter is None:
        return Criterion(
            rule, 0, (_("The facility has no charter yet."),), (_("Draw up a charter, agree it and publish it."),)
        )
    evidence = _("No version is in force; version %(version)s is %(status)s.") % {
        "version": charter.version,
        "status": str(charter.get_status_display()).lower(),
    }
    return Criterion(
        rule,
        PUBLISHED_SCORES[charter.status],
        (evidence,),
        (_("Take the version in progress through the forum and the head's approval, and publish it."),),
        _links((_("The version in progress"), _url("manage:charter", slug, charter.version))),
    )


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    """Whole months from `earlier` to `later` (31 January to 28 February: 0)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def last_review(facts: Facts) -> tuple[datetime.date, str] | None:
    """The latest review of the standard and what it was; None without a charter in force."""
    charter = facts.in_force
    if charter is None:
        return None
    reviews = []
    if charter.effective_date:
        reviews.append((charter.effective_date, _("version %(version)s took effect") % {"version": charter.version}))
    if facts.last_decision:
        reviews.append((facts.last_decision, _("the head confirmed that the version in force needs no change")))
    if facts.last_round:
        reviews.append((facts.last_round.ended_on, _("an evaluation round ended")))
    return max(reviews, key=lambda review: review[0]) if reviews else None


def _reviewed(facts: Facts) -> Criterion:
    rule = RULES_BY_KEY["reviewed"]
    charter = facts.in_force
    slug = facts.facility.slug
    links = _links(
        (_("The charter in force"), _url("manage:charter", slug, charter.version) if charter else ""),
        (_("Evaluation rounds"), _url("manage:evaluations", slug)),
    )
    review = last_review(facts)
    if charter is None or review is None:
        return Criterion(
            rule, 0, (_("No charter is in force."),), (_("Publish a charter, then review it every year."),), links
        )
    day, what = review
    months = months_between(day, facts.today)
    score = next((score for limit, score in REVIEW_MONTHS if months < limit), 1)
    evidence = [_("Last reviewed on %(day)s: %(what)s.") % {"day": _day(day), "what": what}]
    overdue = bool(charter.review_due_date and charter.review_due_date < facts.today)
    if overdue:
        score = min(score, REVIEW_OVERDUE_CAP)
        evidence.append(_("The review was due on %(day)s.") % {"day": _day(charter.review_due_date)})
    elif charter.review_due_date:
        evidence.append(_("The next review is due on %(day)s.") % {"day": _day(charter.review_due_date)})
    to_do = ()
    if score < MAX_SCORE:
        to_do = (
            _(
                "Review the charter with the forum: record an evaluation round, confirm that nothing needs to "
                "change, or publish a revision."
            ),
        )
    return Criterion(rule, score, tuple(evidence), to_do, links)


def _pledge(facts: Facts) -> Criterion:
    rule = RULES_BY_KEY["pledge"]
    slug = facts.facility.slug
    if facts.in_force is not None and facts.in_force.pledge.strip():
        evidence = _("Version %(version)s in force states the pledge, shown on the public charter.") % {
            "version": facts.in_force.version
        }
        return Criterion(
            rule, MAX_SCORE, (evidence,), (), _links((_("The public charter"), _url("public:charter", slug)))
        )
    to_do = (_("Have the head sign the pledge and publish it with the charter; display it at the service office."),)
    progress = facts.in_progress
    if progress is not None and progress.pledge.strip():
        evidence = _("Only version %(version)s, not yet in force, states the pledge.") % {"version": progress.version}
        return Criterion(
            rule,
            2,
            (evidence,),
            to_do,
            _links((_("The version in progress"), _url("manage:charter", slug, progress.version))),
        )
    return Criterion(rule, 0, (_("No charter states a pledge."),), to_do)


def _window_name(window: SurveyWindow) -> str:
    if window.period is not None:
        return _("%(name)s (%(start)s – %(end)s)") % {
            "name": window.period.name,
            "start": _day(window.start),
            "end": _day(window.end),
        }
    return _("the last 12 months (%(start)s – %(end)s)") % {"start": _day(window.start), "end": _day(window.end)}


def _survey_sample(facts: Facts) -> Criterion:
    rule = RULES_BY_KEY["survey_sample"]
    window = facts.survey
    assert window is not None
    slug = facts.facility.slug
    links = _links(
        (_("Survey periods"), _url("manage:survey_periods", slug)),
        (_("Survey report"), _url("manage:survey_report", slug, query=window.query)),
    )
    if window.period is None:
        evidence = ngettext(
            "No survey period in the last 12 months; %(count)s respondent answered.",
            "No survey period in the last 12 months; %(count)s respondents answered.",
            window.respondents,
        ) % {"count": window.respondents}
        to_do = (
            _(
                "Record the survey period with the number of people served, so that the sample can be known, and "
                "survey at least once a year."
            ),
        )
        return Criterion(rule, 1 if window.respondents else 0, (evidence,), to_do, links)
    required = window.required or 0
    evidence = ngettext(
        "%(period)s: %(count)s respondent of the %(required)s the sample needs for %(population)s people served.",
        "%(period)s: %(count)s respondents of the %(required)s the sample needs for %(population)s people served.",
        window.respondents,
    ) % {
        "period": _window_name(window),
        "count": window.respondents,
        "required": number_format(required, force_grouping=True),
        "population": number_format(window.period.population, force_grouping=True),
    }
    score = share_score(window.respondents, required)
    if window.respondents:
        score = max(score, 1)
    to_do = ()
    if score < MAX_SCORE:
        to_do = (
            _("Collect %(missing)s more answers in the period (paper questionnaires count too).")
            % {"missing": max(required - window.respondents, 0)},
        )
    return Criterion(rule, score, (evidence,), to_do, links)


def _survey_published(facts: Facts) -> Criterion:
    rule = RULES_BY_KEY["survey_published"]
    window = facts.survey
    assert window is not None
    index = window.index
    url = _url("public:survey_results", facts.facility.slug, query=window.query)
    links = _links((_("Public survey results"), url))
    if index.ikm is not None:
        grade = index.grade
        evidence = _("The public results of %(period)s show the IKM %(ikm)s (grade %(grade)s).") % {
            "period": _window_name(window),
            "ikm": index.ikm,
            "grade": grade.letter if grade else "—",
        }
        return Criterion(rule, MAX_SCORE, (evidence,), (), links)
    if index.respondents:
        evidence = _("The public results of %(period)s show answers, but no index: an element was never answered.") % {
            "period": _window_name(window)
        }
        return Criterion(rule, 2, (evidence,), (_("Collect answers to every one of the nine elements."),), links)
    evidence = _("No answer about visits in %(period)s: the public results are empty.") % {
        "period": _window_name(window)
    }
    return Criterion(
        rule, 0, (evidence,), (_("Run the satisfaction survey; its results are published by themselves."),), links
    )


def weakest_elements(window: SurveyWindow) -> list[ikm.ElementScore]:
    return window.index.lowest(WEAKEST_ELEMENTS)


def _followed_up(facts: Facts) -> Criterion:
    rule = RULES_BY_KEY["survey_followed_up"]
    window = facts.survey
    assert window is not None
    weakest = weakest_elements(window)
    links = _links(
        (
            _("Survey report: follow-up actions"),
            _url("manage:survey_report", facts.facility.slug, query=window.query + "#actions"),
        )
    )
    if not weakest:
        return Criterion(
            rule,
            0,
            (_("No answer about visits in %(period)s: no finding to follow up.") % {"period": _window_name(window)},),
            (_("Run the satisfaction survey, then record an action for each of its weakest elements."),),
            links,
        )
    on_period = {
        action.element
        for action in facts.actions
        if action.finding_start <= window.end and action.finding_end >= window.start
    }
    followed = [score for score in weakest if score.element.code in on_period]
    names = ", ".join(f"{score.element.code} {score.element.name}" for score in weakest)
    evidence = _(
        "The weakest elements of %(period)s: %(names)s; %(followed)s of %(count)s with a follow-up action."
    ) % {
        "period": _window_name(window),
        "names": names,
        "followed": len(followed),
        "count": len(weakest),
    }
    missing = [score for score in weakest if score not in followed]
    to_do = ()
    if missing:
        to_do = (
            _("Record a follow-up action for: %(elements)s.")
            % {"elements": ", ".join(f"{score.element.code} {score.element.name}" for score in missing)},
        )
    return Criterion(rule, share_score(len(followed), len(weakest)), (evidence,), to_do, links)


def _follow_up_speed(facts: Facts) -> Criterion:
    rule = RULES_BY_KEY["survey_follow_up_speed"]
    since, today = facts.since, facts.today
    judged = [
        action
        for action in facts.actions
        if (action.done_on is not None and action.done_on >= since)
        or (action.done_on is None and action.due_date < today)
    ]
    in_time = [action for action in judged if action.done_on is not None and action.done_on <= action.due_date]
    late_open = [action for action in judged if action.done_on is None]
    window = facts.survey
    links = _links(
        (
            _("Survey report: follow-up actions"),
            _url("manage:survey_report", facts.facility.slug, query=(window.query if window else "") + "#actions"),
        )
    )
    if not judged:
        return Criterion(
            rule,
            0,
            (_("No follow-up action was done in the last 12 months, and none is late."),),
            (_("Do the follow-up actions of the survey by their due dates and record the day each was done."),),
            links,
        )
    evidence = [
        _("%(in_time)s of %(count)s follow-up actions done by their due date.")
        % {"in_time": len(in_time), "count": len(judged)}
    ]
    to_do = []
    if late_open:
        evidence.append(
            ngettext(
                "%(count)s is still open past its due date.",
                "%(count)s are still open past their due date.",
                len(late_open),
            )
            % {"count": len(late_open)}
        )
        to_do.append(_("Finish the late actions and record the day each was done."))
    score = share_score(len(in_time), len(judged))
    if score < MAX_SCORE and not to_do:
        to_do.append(_("Plan realistic due dates and keep them."))
    return Criterion(rule, score, tuple(evidence), tuple(to_do), links)


def _complaints(facts: Facts) -> Criterion:
    rule = RULES_BY_KEY["complaints"]
    cases = facts.cases or FigureRow("")
    query = "?" + urlencode({"from": facts.since.isoformat(), "to": facts.today.isoformat()})
    links = _links((_("Case figures"), _url("manage:case_figures", facts.facility.slug, query=query)))
    if not cases.judged:
        evidence = ngettext(
            "%(count)s case received in the last 12 months; none was due yet.",
            "%(count)s cases received in the last 12 months; none was due yet.",
            cases.received,
        ) % {"count": cases.received}
        return Criterion(
            rule,
            0,
            (evidence,),
            (_("Record every complaint and suggestion in the inbox and answer it within the charter's norms."),),
            links,
        )
    share = Fraction(cases.answered_in_time, cases.judged)
    score = next((score for lowest, score in COMPLAINT_THRESHOLDS if share >= lowest), 0)
    evidence = _(
        "Of the cases received in the last 12 months, %(percent)s%% were answered within the norm (%(in_time)s of "
        "%(judged)s); %(late)s still wait past their due date."
    ) % {
        "percent": cases.percent_in_time,
        "in_time": cases.answered_in_time,
        "judged": cases.judged,
        "late": cases.unanswered_late,
    }
    to_do = ()
    if score < MAX_SCORE:
        to_do = (
            _("Answer each case by its due date; check the inbox's overdue and due-soon cases every working day."),
        )
    return Criterion(rule, score, (evidence,), to_do, links)


CRITERIA: tuple[Callable[[Facts], Criterion], ...] = (
    _components,
    _participation,
    _published,
    _reviewed,
    _pledge,
    _survey_sample,
    _survey_published,
    _followed_up,
    _follow_up_speed,
    _complaints,
)
assert len(CRITERIA) == len(RULES), "every rule is scored"
