"""The self-assessment against the ministry's evaluation of units: each criterion from missing to
met, the weighted total, the page for each persona, and the number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from charters import services as charter_services
from charters.models import COMPONENTS, Charter, CharterStatus, Facility, ParticipantGroup
from feedback.models import CaseStatus, SurveyAction, SurveyPeriod
from feedback.views.survey_manage import PRIORITIES
from monitoring import selfassessment
from monitoring.models import EvaluationMethod, EvaluationRound
from monitoring.selfassessment import MAX_SCORE, RULES, TOTAL_WEIGHT, assess, assess_many
from tests.factories import (
    CaseFactory,
    FacilityFactory,
    MeetingParticipantFactory,
    StakeholderMeetingFactory,
    SurveyResponseFactory,
    make_approved_charter,
    make_complete_draft,
    make_published_charter,
    publish_draft,
)

pytestmark = pytest.mark.django_db

# Components 7 to 14, which the factories leave empty.
MANAGEMENT_TEXT = {
    component.field: f"{component.label} tertulis." for component in COMPONENTS if not component.delivery
}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The sentences in the source language (the site's default is Bahasa Indonesia)."""
    with translation.override("en"):
        yield


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def score(facility: Facility, key: str) -> int:
    return assess(facility).criterion(key).score


def complete_draft(facility: Facility, services: int = 1) -> Charter:
    """A draft whose services state all 14 components."""
    draft = make_complete_draft(facility, services=services)
    for service in draft.services.all():
        for field, text in MANAGEMENT_TEXT.items():
            setattr(service, field, text)
        service.save()
    return draft


def force_publish(
    draft: Charter, groups: Iterable[str] = (), *, signed: bool = True, effective: datetime.date | None = None
) -> Charter:
    """A draft put in force without the lifecycle's checks (as versions published before the
    forum was recorded), after a forum meeting signed by `groups`."""
    if groups:
        meeting = StakeholderMeetingFactory(charter=draft)
        for group in groups:
            MeetingParticipantFactory(meeting=meeting, group=group, signed=signed)
    effective = effective or timezone.localdate()
    draft.status = CharterStatus.PUBLISHED
    draft.effective_date = effective
    draft.review_due_date = charter_services.one_year_after(effective)
    draft.published_at = timezone.now()
    draft.save()
    return draft


def answer(facility: Facility, count: int = 1, scores: tuple[int | None, ...] = (3,) * 9, **fields: Any) -> None:
    for _ in range(count):
        SurveyResponseFactory(facility=facility, scores=scores, **fields)


def survey_period(facility: Facility, population: int, start: int = 60, end: int = 0) -> SurveyPeriod:
    return SurveyPeriod.objects.create(
        facility=facility, name="Semester", start=days_ago(start), end=days_ago(end), population=population
    )


def follow_up(
    facility: Facility, element: str, period: SurveyPeriod | None = None, *, due: int = -10, done: int | None = None
) -> SurveyAction:
    """An action on `element` of `period`'s findings (default: the last 12 months), due `due` days
    ago (negative: ahead), done `done` days ago (None: not yet)."""
    start, end = (period.start, period.end) if period else (days_ago(364), timezone.localdate())
    return SurveyAction.objects.create(
        facility=facility,
        element=element,
        finding_start=start,
        finding_end=end,
        action="Menambah petugas loket.",
        responsible="Kepala TU",
        due_date=days_ago(due),
        done_on=days_ago(done) if done is not None else None,
    )


def answered_case(facility: Facility, *, late: bool = False) -> None:
    received = timezone.now() - datetime.timedelta(days=20)
    CaseFactory(
        facility=facility,
        received_at=received,
        due_date=timezone.localdate(received) + datetime.timedelta(days=5),
        first_reply_at=received + datetime.timedelta(days=9 if late else 1),
        status=CaseStatus.ANSWERED,
    )


def model_facility(facility: Facility, head: Any) -> None:
    """A facility that meets every criterion."""
    publish_draft(complete_draft(facility), head)  # through the forum of all three groups
    period = survey_period(facility, population=5)
    answer(facility, 5, scores=(4, 4, 2, 4, 4, 3, 4, 4, 3))
    for element in ("U3", "U6", "U9"):  # the three weakest
        follow_up(facility, element, period, due=5, done=6)
    answered_case(facility)


# --- The rules -----------------------------------------------------------------------------------


def test_the_weights_are_percentages_and_every_rule_is_scored(facility: Facility) -> None:
    assert TOTAL_WEIGHT == 100
    assert [criterion.key for criterion in assess(facility).criteria] == [rule.key for rule in RULES]


def test_the_weakest_elements_are_the_survey_reports_priorities() -> None:
    assert selfassessment.WEAKEST_ELEMENTS == PRIORITIES


@pytest.mark.parametrize(("part", "whole", "expected"), [(0, 3, 0), (1, 3, 1), (2, 3, 3), (3, 3, 5), (13, 14, 4)])
def test_a_share_scores_rounded_down(part: int, whole: int, expected: int) -> None:
    assert selfassessment.share_score(part, whole) == expected


# --- Each criterion, from missing to met ----------------------------------------------------------


def test_components_from_missing_to_all_fourteen(facility: Facility, head: Any) -> None:
    assert score(facility, "components") == 0  # no charter in force
    make_published_charter(facility, head=head)  # the factories state 6 of the 14 components
    criterion = assess(facility).criterion("components")
    assert criterion.score == 2  # 5 * 12 / 28, rounded down
    assert "0 of 2 services state all 14 components (12 of 28 components stated)" in criterion.evidence[0]
    assert any("legal basis" in line and "staff performance evaluation" in line for line in criterion.to_do)

    publish_draft(complete_draft(facility, services=2), head)
    criterion = assess(facility).criterion("components")
    assert (criterion.score, criterion.to_do) == (MAX_SCORE, ())
    assert criterion.is_met


PROVIDER, USER = ParticipantGroup.PROVIDER, ParticipantGroup.USER


@pytest.mark.parametrize(
    ("groups", "signed", "expected"),
    [
        ((), True, 0),
        ((PROVIDER, USER), False, 0),  # came, but signed nothing
        ((PROVIDER, PROVIDER), True, 1),
        ((PROVIDER, USER), True, 3),
        (tuple(ParticipantGroup.values), True, MAX_SCORE),
    ],
)
def test_participation_counts_the_groups_who_signed(
    facility: Facility, groups: tuple[str, ...], signed: bool, expected: int
) -> None:
    assert score(facility, "participation") == 0  # no charter in force
    force_publish(make_complete_draft(facility), groups, signed=signed)
    criterion = assess(facility).criterion("participation")
    assert criterion.score == expected
    if expected == 3:
        assert "other stakeholder" in criterion.to_do[0]
        assert "service provider: 1, service user: 1" in criterion.evidence[0]
    assert bool(criterion.to_do) == (expected < MAX_SCORE)


def test_published_follows_the_lifecycle(facility: Facility, head: Any) -> None:
    assert score(facility, "published") == 0
    draft = make_complete_draft(facility)
    assert score(facility, "published") == 1
    draft.delete()
    approved = make_approved_charter(facility, head=head)
    assert score(facility, "published") == 3
    charter_services.publish_charter(approved, head)
    criterion = assess(facility).criterion("published")
    assert criterion.score == MAX_SCORE
    assert criterion.links[0].url == reverse("public:charter", args=[facility.slug])


def test_a_scheduled_version_counts_from_its_effective_date(facility: Facility, head: Any) -> None:
    approved = make_approved_charter(facility, head=head)
    charter_services.publish_charter(approved, head, days_ago(-5))  # scheduled
    assert score(facility, "published") == 3
    assert assess(facility, today=days_ago(-5)).criterion("published").score == MAX_SCORE


def test_reviewed_within_a_year(facility: Facility, head: Any) -> None:
    assert score(facility, "reviewed") == 0
    charter = make_published_charter(facility, head=head, effective_date=days_ago(800))
    assert score(facility, "reviewed") == 1  # over two years
    assert assess(facility, today=days_ago(300)).criterion("reviewed").score == 3  # 16 months then
    assert assess(facility, today=days_ago(500)).criterion("reviewed").score == MAX_SCORE  # 9 months then
    charter_services.confirm_review(charter, head)
    criterion = assess(facility).criterion("reviewed")
    assert criterion.score == MAX_SCORE
    assert "the head confirmed that the version in force needs no change" in criterion.evidence[0]


def test_an_evaluation_round_counts_as_a_review(facility: Facility, head: Any) -> None:
    charter = make_published_charter(facility, head=head, effective_date=days_ago(450))
    assert score(facility, "reviewed") == 3  # 14 months, and due since
    ended = days_ago(20)
    evaluation = EvaluationRound.objects.create(
        facility=facility,
        charter=charter,
        started_on=ended,
        ended_on=ended,
        period_start=days_ago(200),
        period_end=ended,
        method=EvaluationMethod.FORUM,
        public_summary="Janji ditepati.",
    )
    criterion = assess(facility).criterion("reviewed")
    assert criterion.score == 3  # recent, but the review date was not moved: still overdue
    assert any("was due" in line for line in criterion.evidence)
    charter_services.record_evaluation(charter, head, ended)  # as recording the round does
    assessment = assess(facility)
    assert assessment.criterion("reviewed").score == MAX_SCORE
    assert "an evaluation round ended" in assessment.criterion("reviewed").evidence[0]
    assert assessment.last_evaluation == evaluation


def test_pledge_in_force(facility: Facility, head: Any) -> None:
    assert score(facility, "pledge") == 0
    draft = make_complete_draft(facility)
    assert score(facility, "pledge") == 2  # only in a version in progress
    publish_draft(draft, head)
    assert score(facility, "pledge") == MAX_SCORE


def test_an_empty_pledge_does_not_count(facility: Facility) -> None:
    draft = make_complete_draft(facility)
    draft.pledge = ""
    draft.save()
    force_publish(draft)
    assert score(facility, "pledge") == 0


def test_survey_sample_from_none_to_the_full_sample(facility: Facility) -> None:
    assert score(facility, "survey_sample") == 0
    answer(facility)
    criterion = assess(facility).criterion("survey_sample")
    assert criterion.score == 1  # answers, but no survey period: the sample is unknown
    assert "No survey period" in criterion.evidence[0]
    survey_period(facility, population=10)  # Krejcie & Morgan: all 10
    criterion = assess(facility).criterion("survey_sample")
    assert criterion.score == 1  # 1 of 10
    assert "Collect 9 more answers" in criterion.to_do[0]
    answer(facility, 4)
    assert score(facility, "survey_sample") == 2  # 5 of 10
    answer(facility, 5)
    assert score(facility, "survey_sample") == MAX_SCORE


def test_survey_sample_reads_the_period_closest_to_its_sample(facility: Facility) -> None:
    old = survey_period(facility, population=3, start=200, end=100)
    answer(facility, 3, visited_on=days_ago(150))
    survey_period(facility, population=50, start=30, end=-30)  # under way
    answer(facility, 2)
    found = assess(facility)
    assert found.criterion("survey_sample").score == MAX_SCORE
    assert f"from={old.start.isoformat()}" in found.criterion("survey_published").links[0].url


def test_survey_published_when_the_public_results_show_an_index(client: Client, facility: Facility) -> None:
    period = survey_period(facility, population=5)
    assert score(facility, "survey_published") == 0
    answer(facility, scores=(3, 3, 3, 3, 3, 3, 3, 3, None))
    criterion = assess(facility).criterion("survey_published")
    assert criterion.score == 2  # nobody answered U9: no index
    answer(facility, scores=(4,) * 9)
    criterion = assess(facility).criterion("survey_published")
    assert criterion.score == MAX_SCORE
    public = client.get(criterion.links[0].url)
    assert public.context["results"].period == period
    assert public.context["index"].ikm is not None
    assert str(public.context["index"].ikm) in criterion.evidence[0]


def test_survey_follow_up_covers_the_three_weakest_elements(facility: Facility) -> None:
    period = survey_period(facility, population=5)
    assert score(facility, "survey_followed_up") == 0  # no answer, nothing to follow up
    answer(facility, 2, scores=(4, 4, 1, 4, 4, 2, 4, 4, 3))
    criterion = assess(facility).criterion("survey_followed_up")
    assert criterion.score == 0
    assert "U3" in criterion.to_do[0] and "U6" in criterion.to_do[0] and "U9" in criterion.to_do[0]
    follow_up(facility, "U3", period)
    follow_up(facility, "U1", period)  # not among the weakest
    assert score(facility, "survey_followed_up") == 1
    follow_up(facility, "U6", period)
    assert score(facility, "survey_followed_up") == 3
    follow_up(facility, "U9", period)
    assert score(facility, "survey_followed_up") == MAX_SCORE


def test_an_action_on_an_earlier_period_does_not_follow_up_this_one(facility: Facility) -> None:
    period = survey_period(facility, population=1)
    answer(facility, scores=(4, 4, 1, 4, 4, 2, 4, 4, 3))
    earlier = SurveyPeriod(start=days_ago(400), end=days_ago(300))
    for element in ("U3", "U6", "U9"):
        follow_up(facility, element, earlier)
    assert score(facility, "survey_followed_up") == 0
    follow_up(facility, "U3", period)
    assert score(facility, "survey_followed_up") == 1


def test_follow_up_speed_is_the_share_done_by_the_due_date(facility: Facility) -> None:
    assert score(facility, "survey_follow_up_speed") == 0
    follow_up(facility, "U3", due=-20)  # not due yet: not judged
    assert score(facility, "survey_follow_up_speed") == 0
    follow_up(facility, "U4", due=30, done=10)  # 20 days late
    follow_up(facility, "U5", due=30, done=40)  # early
    criterion = assess(facility).criterion("survey_follow_up_speed")
    assert criterion.score == 2  # 1 of 2
    assert "1 of 2 follow-up actions done by their due date." in criterion.evidence[0]
    follow_up(facility, "U6", due=3)  # open past its due date
    criterion = assess(facility).criterion("survey_follow_up_speed")
    assert criterion.score == 1  # 1 of 3
    assert "Finish the late actions" in criterion.to_do[0]


def test_follow_up_speed_met_when_every_action_is_done_on_time(facility: Facility) -> None:
    follow_up(facility, "U4", due=30, done=31)
    follow_up(facility, "U5", due=2, done=2)
    follow_up(facility, "U6", due=800, done=700)  # done more than a year ago: not read
    assert score(facility, "survey_follow_up_speed") == MAX_SCORE


def test_complaints_answered_within_the_norm(facility: Facility, head_client: Client) -> None:
    criterion = assess(facility).criterion("complaints")
    assert criterion.score == 0
    assert "none was due yet" in criterion.evidence[0]
    answered_case(facility)
    assert score(facility, "complaints") == MAX_SCORE
    answered_case(facility, late=True)
    criterion = assess(facility).criterion("complaints")
    assert criterion.score == 1  # 50%
    page = head_client.get(criterion.links[0].url)  # the figures page, same period
    total = page.context["figures"].total
    assert total.percent_in_time == 50
    assert f"{total.percent_in_time}% were answered within the norm" in criterion.evidence[0]


@pytest.mark.parametrize(("in_time", "late", "expected"), [(9, 1, 5), (8, 2, 4), (7, 3, 3), (6, 4, 2), (4, 6, 0)])
def test_complaint_thresholds(facility: Facility, in_time: int, late: int, expected: int) -> None:
    for _ in range(in_time):
        answered_case(facility)
    for _ in range(late):
        answered_case(facility, late=True)
    assert score(facility, "complaints") == expected


# --- The total -----------------------------------------------------------------------------------


def test_a_facility_without_anything_scores_nothing(facility: Facility) -> None:
    assessment = assess(facility)
    assert assessment.total == 0
    assert assessment.met == 0
    assert all(criterion.to_do for criterion in assessment.criteria)


def test_a_model_facility_scores_100(facility: Facility, head: Any) -> None:
    model_facility(facility, head)
    assessment = assess(facility)
    assert {criterion.key: criterion.score for criterion in assessment.criteria} == dict.fromkeys(
        [rule.key for rule in RULES], MAX_SCORE
    )
    assert assessment.total == 100


def test_the_total_weighs_each_score(facility: Facility, head: Any) -> None:
    make_published_charter(facility, head=head)  # components 2, the rest of the charter 5
    assessment = assess(facility)
    expected = sum(criterion.score * criterion.weight for criterion in assessment.criteria) * 100 / (5 * 100)
    assert assessment.total == round(expected)
    # components 2 * 15 + participation, published, reviewed, pledge 5 * 45 = 255 → 51%
    assert assessment.total == 51


# --- The page ------------------------------------------------------------------------------------


def page_url(facility: Facility) -> str:
    return reverse("manage:self_assessment", args=[facility.slug])


@pytest.mark.parametrize("persona", ["editor", "head", "supervisor", "superuser"])
def test_the_page_opens_for_staff_and_supervisors(
    login: Callable[..., Client], request: pytest.FixtureRequest, facility: Facility, head: Any, persona: str
) -> None:
    model_facility(facility, head)
    response = login(request.getfixturevalue(persona)).get(page_url(facility))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-total="100"' in html
    assert html.count('class="card mb-3 assessment-criterion"') == len(RULES)
    assert "Met in full." in html


def test_the_page_shows_evidence_links_and_what_is_missing(head_client: Client, facility: Facility, head: Any) -> None:
    charter = make_published_charter(facility, head=head)
    html = head_client.get(page_url(facility)).content.decode()
    assert "To reach 5" in html
    assert reverse("manage:charter", args=[facility.slug, charter.version]) in html
    assert reverse("manage:meetings", args=[facility.slug, charter.version]) in html
    assert 'id="criterion-components"' in html


def test_another_facilitys_editor_gets_404(login: Callable[..., Client], other_editor: Any, facility: Facility) -> None:
    assert login(other_editor).get(page_url(facility)).status_code == 404


def test_anonymous_is_sent_to_the_login(client: Client, facility: Facility) -> None:
    assert client.get(page_url(facility)).status_code == 302


def test_the_page_only_reads(editor_client: Client, facility: Facility) -> None:
    assert editor_client.post(page_url(facility)).status_code == 405


def test_the_page_links_the_last_evaluation_round(head_client: Client, facility: Facility, head: Any) -> None:
    charter = make_published_charter(facility, head=head)
    EvaluationRound.objects.create(
        facility=facility,
        charter=charter,
        started_on=days_ago(40),
        ended_on=days_ago(40),
        period_start=days_ago(100),
        period_end=days_ago(41),
        method=EvaluationMethod.FORUM,
        public_summary="Janji ditepati.",
    )
    latest = EvaluationRound.objects.create(
        facility=facility,
        charter=charter,
        started_on=days_ago(10),
        ended_on=days_ago(9),
        period_start=days_ago(40),
        period_end=days_ago(11),
        method=EvaluationMethod.FORUM,
        public_summary="Janji ditepati.",
    )
    assessment = head_client.get(page_url(facility)).context["assessment"]
    assert assessment.last_evaluation == latest
    assert assessment.last_evaluation_url == reverse("manage:evaluation", args=[facility.slug, latest.pk])


# --- Queries -------------------------------------------------------------------------------------


def _facilities(count: int) -> list[Facility]:
    facilities = []
    for number in range(count):
        facility = FacilityFactory(name=f"Puskesmas {number:02d}", slug=f"pkm-{number:02d}")
        charter = make_published_charter(facility, services=1)
        period = survey_period(facility, population=5)
        answer(facility)
        follow_up(facility, "U1", period, due=5, done=6)
        answered_case(facility)
        EvaluationRound.objects.create(
            facility=facility,
            charter=charter,
            started_on=days_ago(3),
            ended_on=days_ago(3),
            period_start=days_ago(30),
            period_end=days_ago(4),
            method=EvaluationMethod.FORUM,
            public_summary="-",
        )
        facilities.append(facility)
    return facilities


@pytest.mark.parametrize("count", [3, 30])
def test_assess_many_costs_the_same_queries_for_3_or_30_facilities(django_assert_num_queries: Any, count: int) -> None:
    facilities = _facilities(count)
    # Charters, services in force, signatures, review decisions, latest rounds, survey periods,
    # survey sums by day, follow-up actions, case counts.
    with django_assert_num_queries(9):
        found = assess_many(facilities)
    assert len(found) == count
    assert all(assessment.criterion("complaints").score == MAX_SCORE for assessment in found.values())
    assert all(assessment.last_evaluation is not None for assessment in found.values())


def test_the_page_costs_a_fixed_number_of_queries(
    django_assert_num_queries: Any, head_client: Client, facility: Facility, head: Any
) -> None:
    model_facility(facility, head)
    # Session, user, the facility (with whether the user works there), and assess's nine.
    with django_assert_num_queries(12):
        head_client.get(page_url(facility))


def test_the_facility_page_links_the_self_assessment(head_client: Client, facility: Facility) -> None:
    html = head_client.get(reverse("manage:facility", args=[facility.slug])).content.decode()
    assert f'href="{page_url(facility)}"' in html
