"""The facility against the ministry's evaluation of public service units: a self-assessment.

The Ministry of Administrative Reform (KemenPANRB) scores a unit from 0 to 5 on each criterion and
weighs the criteria. The ten criteria below follow the ministry's (shared/DOMAIN.md, "Evaluations
beyond the unit"); the scoring rules and the weights are ours, chosen and written down here, not
an official table. Every score is computed from the data as it stands on `today`, never typed in;
"the last 12 months" run from `twelve_months_before(today)` to `today`.

Scores are whole numbers. "⌊5 × share⌋" rounds down, so 5 means nothing is missing.

=====================  ======  =====================================================================
criterion              weight  score
=====================  ======  =====================================================================
components             15      ⌊5 × the components stated / 14 × the services⌋ of the charter in
                               force (PermenPANRB 15/2014: requirements and procedure listed, a
                               duration, a fee or "free", and the ten text components); 0 without
                               a charter in force.
participation          10      The forum's groups (providers, users, other stakeholders) with a
                               participant who signed the minutes of a forum meeting on the
                               charter in force: 3 → 5, 2 → 3, 1 → 1, none → 0.
published              15      A charter in force → 5; approved, waiting for its effective date →
                               3; agreed with stakeholders → 2; drafted or in consultation → 1;
                               none → 0.
reviewed               10      The latest review of the standard: the charter in force took effect,
                               the head confirmed it ("reviewed, no change needed"), or an
                               evaluation round of the facility ended (the day it ended, not the
                               day it was recorded). Within 12 months → 5, 18 →
                               3, 24 → 2, longer → 1, no charter in force → 0; at most 3 while the
                               review date of the charter in force has passed.
pledge                 10      The charter in force states the pledge (maklumat) → 5; only a
                               version in progress does → 2; none → 0.
survey_sample          10      The survey (SKM, PermenPANRB 14/2017): of the survey periods that
                               have begun and overlap the last 12 months, the one closest to its
                               sample (Krejcie & Morgan, from the people served):
                               ⌊5 × respondents / sample⌋, 5 at or above it, at least 1 with any
                               answer; answers in the last 12 months without a survey period (the
                               sample cannot be known) → 1; no answer → 0.
survey_published       5       The public survey results of that period (without one, of the last
                               12 months) show an index, every element answered → 5; answers but
                               no index → 2; no answer → 0.
survey_followed_up     10      ⌊5 × the share of the three weakest elements of those results (the
                               survey report's priorities) with a follow-up action on a finding of
                               the same period⌋; 0 without answers.
survey_follow_up_speed 5       ⌊5 × the share done by their due date⌋ of the follow-up actions done
                               in the last 12 months or still open past their due date; 0 without
                               such an action.
complaints             10      Of the cases received in the last 12 months, the share answered
                               within the norm as the facility's case figures count it (answered by
                               the due date, out of those answered and those still waiting past
                               it): 90% → 5, 80% → 4, 70% → 3, 60% → 2, 50% → 1, less or no case
                               due yet → 0.
=====================  ======  =====================================================================

The total is Σ score × weight / (5 × Σ weight), in percent: the weights sum to 100, so it is a
whole number.

`assess_many` costs a fixed number of queries whatever the number of facilities (the district
page assesses a whole regency): the charters, the services in force (with whether each lists
requirements and steps), the signatures of their forum meetings, their review decisions, the
latest evaluation round of each facility, the survey periods, the survey's sums grouped by
facility and day, the survey follow-up actions, and the case counts.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from charters.models import Facility

from .criteria import CRITERIA, share_score
from .facts import Facts, SurveyWindow, gather, stated_components
from .rules import MAX_SCORE, RULES, TOTAL_WEIGHT, WEAKEST_ELEMENTS, Assessment, Criterion, Link, Rule

__all__ = [
    "MAX_SCORE",
    "RULES",
    "TOTAL_WEIGHT",
    "WEAKEST_ELEMENTS",
    "Assessment",
    "Criterion",
    "Facts",
    "Link",
    "Rule",
    "SurveyWindow",
    "assess",
    "assess_many",
    "share_score",
    "stated_components",
]


def assessment_from(facts: Facts) -> Assessment:
    return Assessment(
        facility=facts.facility,
        today=facts.today,
        criteria=tuple(score(facts) for score in CRITERIA),
        charter=facts.in_force,
        last_evaluation=facts.last_round,
    )


def assess_many(facilities: Iterable[Facility], today: datetime.date | None = None) -> dict[int, Assessment]:
    """{facility id: its assessment}, in a fixed number of queries whatever the number of facilities."""
    today = today or timezone.localdate()
    facts = gather(list(facilities), today)
    return {facility_id: assessment_from(found) for facility_id, found in facts.items()}


def assess(facility: Facility, today: datetime.date | None = None) -> Assessment:
    return assess_many([facility], today)[facility.pk]
