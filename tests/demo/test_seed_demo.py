"""The demo seed: `manage.py seed_demo` builds the charter history of five Puskesmas, five staff
users, three months of feedback, the survey and service-time observations, idempotently (the
evaluation rounds: `test_evaluations_demo`). Each class seeds once (`conftest.demo`).
"""

from __future__ import annotations

import datetime
import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import authenticate as django_authenticate, get_user_model
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from charters.models import (
    AgreementDecision,
    ChangeReason,
    Charter,
    CharterEvent,
    CharterStatus,
    Clause,
    ComplaintClass,
    ConsultationComment,
    Facility,
    MeetingParticipant,
    Membership,
    MembershipRole,
    ParticipantGroup,
    ProcedureStep,
    Requirement,
    ScheduleSlot,
    ServiceMethod,
    ServiceStandard,
    StakeholderMeeting,
)
from feedback.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    EventKind,
    FeedbackKind,
    Rating,
    ResponseChannel,
    SurveyAction,
    SurveyPeriod,
    SurveyResponse,
)
from feedback.survey import ikm
from monitoring.models import EvaluationFinding, EvaluationParticipant, EvaluationRound, FollowUpAction

from .seeding import seed


def authenticate(**credentials: str) -> Any:
    """Django's authenticate with the request a sign-in has (django-axes needs it)."""
    return django_authenticate(RequestFactory().post("/accounts/login/"), **credentials)


USERNAMES = ["admin", "soko-editor", "soko-head", "other-editor", "tuban-supervisor"]
COUNTED_MODELS = [
    Facility,
    Charter,
    CharterEvent,
    Clause,
    ServiceStandard,
    Requirement,
    ProcedureStep,
    ScheduleSlot,
    StakeholderMeeting,
    MeetingParticipant,
    ConsultationComment,
    Membership,
    get_user_model(),
    Case,
    CaseEvent,
    SurveyResponse,
    SurveyPeriod,
    SurveyAction,
    EvaluationRound,
    EvaluationParticipant,
    EvaluationFinding,
    FollowUpAction,
    ChangeReason,
]
ALL_GROUPS = set(ParticipantGroup.values)
Action = CharterEvent.Action
# The steps of a version's lifecycle. Changes of its content while it is open (services added,
# forum meetings recorded) are events too; the tests of the history follow the lifecycle.
LIFECYCLE = {
    Action.CREATED,
    Action.CONSULTATION,
    Action.RETURNED,
    Action.AGREED,
    Action.APPROVED,
    Action.SCHEDULED,
    Action.PUBLISHED,
    Action.SUPERSEDED,
}


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED_MODELS}


def services_by_slug(charter: Charter) -> dict[str, ServiceStandard]:
    return {s.slug: s for s in charter.services.all()}


def signed_groups(meeting: StakeholderMeeting) -> set[str]:
    return {p.group for p in meeting.participants.all() if p.signed}


def actions(charter: Charter) -> list[str]:
    return [action for action in charter.events.values_list("action", flat=True) if action in LIFECYCLE]


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestCharterDemo:
    """Facilities, users and the history of their charters, as `seed_demo` leaves them."""

    # --- Facilities and their public charters ----------------------------------------------

    def test_creates_five_facilities_in_tuban_in_different_states(self) -> None:
        soko = Facility.objects.get(slug="pkm-soko")
        assert soko.name == "Puskesmas Soko"
        assert soko.vision.startswith("Mewujudkan pelayanan kesehatan dasar yang ramah")
        assert len(soko.mission_points) >= 3
        assert set(Facility.objects.values_list("regency", flat=True)) == {"Kabupaten Tuban"}
        assert Facility.objects.count() == 5
        published = [f for f in Facility.objects.all() if f.published_charter() is not None]
        for facility in published:
            charter = facility.published_charter()
            assert charter.publish_problems() == []
            assert charter.agreement_problems() == []
            assert charter.effective_date < charter.review_due_date
            assert charter.complaint_info
            assert charter.events.filter(action=Action.PUBLISHED).exists()
        # One without a published charter, one long overdue for its review, one with unanswered complaints.
        jatirogo = Facility.objects.get(slug="pkm-jatirogo")
        assert jatirogo.published_charter() is None and jatirogo.charters.get().is_in_consultation
        assert Facility.objects.get(slug="pkm-kerek").published_charter().is_review_overdue
        montong = Facility.objects.get(slug="pkm-montong")
        today = timezone.localdate()
        assert montong.cases.filter(due_date__lt=today, first_reply_at__isnull=True).count() >= 6

    def test_soko_has_at_least_twelve_complete_services_and_balanced_clauses(self) -> None:
        charter = Facility.objects.get(slug="pkm-soko").published_charter()
        services = list(charter.services.prefetch_related("requirements", "steps", "schedule_slots"))
        assert len(services) >= 12
        for service in services:
            assert service.missing_delivery_components() == [], service.name
            assert 2 <= len(service.requirements.all()) <= 5, service.name
            assert 3 <= len(service.steps.all()) <= 6, service.name
            assert service.product and service.complaint_handling, service.name
        assert any(not s.fee_is_free and s.fee_amount for s in services)
        assert sum(s.fee_is_free for s in services) > len(services) / 2
        for _party, _kind, clauses in charter.clauses_by_party():
            assert 3 <= len(clauses) <= 5
        assert len(charter.clauses_by_party()) == 4

    # --- Soko's history ----------------------------------------------------------------------

    def test_soko_has_a_superseded_a_published_and_a_consultation_version(self, soko: dict[int, Charter]) -> None:
        assert {v: c.status for v, c in soko.items()} == {
            1: CharterStatus.SUPERSEDED,
            2: CharterStatus.PUBLISHED,
            3: CharterStatus.CONSULTATION,
        }
        assert Facility.objects.get(slug="pkm-soko").published_charter() == soko[2]

    def test_version_1_was_agreed_approved_and_published_in_2013(self, soko: dict[int, Charter]) -> None:
        v1 = soko[1]
        head = get_user_model().objects.get(username="soko-head")

        assert (v1.agreed_at.year, v1.approved_at.year, v1.published_at.year) == (2013, 2013, 2013)
        assert v1.effective_date.year == 2013
        assert v1.agreed_at < v1.approved_at < v1.published_at
        assert (v1.approved_by, v1.published_by) == (head, head)
        assert actions(v1) == [
            Action.CREATED,
            Action.CONSULTATION,
            Action.AGREED,
            Action.APPROVED,
            Action.PUBLISHED,
            Action.SUPERSEDED,
        ]
        # Then evaluated twice with its stakeholders (`test_evaluations_demo`), and superseded.
        later = {Action.EVALUATED, Action.SUPERSEDED}
        assert all(e.created_at.year == 2013 for e in v1.events.exclude(action__in=later))
        assert v1.agreement_problems() == []

    def test_version_1_forum_met_in_2013_with_providers_users_and_stakeholders(self, soko: dict[int, Charter]) -> None:
        meeting = soko[1].meetings.get()
        participants = list(meeting.participants.all())

        assert meeting.date.year == 2013
        assert meeting.minutes and meeting.place
        assert signed_groups(meeting) == ALL_GROUPS
        stakeholders = {p.organisation for p in participants if p.group == ParticipantGroup.STAKEHOLDER}
        assert {"IDFoS Indonesia", "Dinas Kesehatan Kabupaten Tuban"} <= stakeholders
        positions = " ".join(p.position for p in participants)
        for role in ("Kepala Puskesmas", "Bidan", "Kepala Desa", "pasien"):
            assert role in positions, role
        assert all(p.name and p.organisation and p.position for p in participants)
        # Someone who attended but did not sign: the list is an attendance list, not only signatures.
        assert any(not p.signed for p in participants)

    def test_version_2_revised_after_the_august_2015_evaluation_is_the_public_one(
        self, soko: dict[int, Charter]
    ) -> None:
        v2 = soko[2]

        assert (v2.effective_date, v2.review_due_date) == (date(2015, 10, 1), date(2016, 10, 1))
        assert v2.review_due_date < timezone.localdate()  # overdue: the staff dashboard flags it
        assert v2.agreed_at.date() < v2.approved_at.date() < v2.effective_date
        assert v2.published_by.username == "soko-head"
        # Published ahead of its effective date, then took effect on the day.
        assert actions(v2) == [
            Action.CREATED,
            Action.CONSULTATION,
            Action.AGREED,
            Action.APPROVED,
            Action.SCHEDULED,
            Action.PUBLISHED,
        ]
        assert v2.events.get(action=Action.PUBLISHED).created_at.date() == date(2015, 10, 1)
        assert soko[1].events.get(action=Action.SUPERSEDED).created_at.date() == date(2015, 10, 1)
        assert "Agustus 2015" in v2.events.get(action=Action.CONSULTATION).comment

    def test_version_2_forum_met_in_2015_and_decided_on_every_service(self, soko: dict[int, Charter]) -> None:
        v2 = soko[2]
        meetings = list(v2.meetings.all())

        assert len(meetings) >= 1
        agreed_on = timezone.localtime(v2.agreed_at).date()
        assert all(date(2015, 8, 31) <= m.date <= agreed_on for m in meetings)
        assert any(signed_groups(m) == ALL_GROUPS for m in meetings)
        decisions = list(v2.services.values_list("agreement", "agreement_note"))
        assert {decision for decision, _note in decisions} == {
            AgreementDecision.AGREED,
            AgreementDecision.AGREED_WITH_CHANGES,
        }
        assert all(note for decision, note in decisions if decision == AgreementDecision.AGREED_WITH_CHANGES)
        assert v2.agreement_problems() == []

    def test_version_2_differs_from_version_1_in_a_fee_a_duration_and_its_services(
        self, soko: dict[int, Charter]
    ) -> None:
        v1, v2 = services_by_slug(soko[1]), services_by_slug(soko[2])

        assert set(v1) - set(v2) == {"puskesmas-keliling"}
        assert set(v2) - set(v1) == {"catin"}
        assert v2["catin"].name == "Pemeriksaan Kesehatan Calon Pengantin (Catin)"
        assert (v1["surat-keterangan-sehat"].fee_amount, v2["surat-keterangan-sehat"].fee_amount) == (15000, 10000)
        assert (v1["pendaftaran"].duration_value, v2["pendaftaran"].duration_value) == (15, 5)
        # JKN replaced Jamkesmas/Jamkesda in 2014.
        assert "Kartu Jamkesmas/Jamkesda bagi peserta" in [r.text for r in v1["poli-umum"].requirements.all()]
        assert "Kartu JKN/BPJS Kesehatan bagi peserta" in [r.text for r in v2["poli-umum"].requirements.all()]
        assert not Requirement.objects.filter(service__charter=soko[1], text__contains="JKN").exists()
        # What did not change stays as it was.
        assert v1["kia"].duration_value == v2["kia"].duration_value
        assert [s.text for s in v1["kia"].steps.all()] == [s.text for s in v2["kia"].steps.all()]

    def test_version_3_is_in_consultation_with_a_few_changes(self, soko: dict[int, Charter]) -> None:
        v2, v3 = services_by_slug(soko[2]), services_by_slug(soko[3])

        assert set(v3) - set(v2) == {"lansia"}
        assert set(v2) <= set(v3)
        assert ServiceMethod.ONLINE not in v2["pendaftaran"].methods
        assert ServiceMethod.ONLINE in v3["pendaftaran"].methods
        assert (v2["laboratorium"].duration_value, v3["laboratorium"].duration_value) == (60, 45)
        assert v3["lansia"].missing_delivery_components() == []
        # The forum has yet to meet: the staff page shows what is missing before it can be agreed.
        assert not soko[3].meetings.exists()
        with translation.override("en"):
            assert "No stakeholder meeting is recorded yet." in soko[3].agreement_problems()
        assert actions(soko[3]) == [Action.CREATED, Action.CONSULTATION]
        assert soko[3].published_at is None and soko[3].effective_date is None

    def test_version_3_has_public_comments_and_a_staff_reply(self, soko: dict[int, Charter]) -> None:
        comments = list(soko[3].consultation_comments.select_related("service", "replied_by"))

        assert 3 <= len(comments) <= 5
        assert sum(c.service is None for c in comments) == 1  # one on the charter as a whole
        assert {c.service.slug for c in comments if c.service} >= {"pendaftaran", "lansia"}
        assert all(c.service.charter_id == soko[3].pk for c in comments if c.service)
        assert any(not c.author_name for c in comments)  # the name is optional
        addressed = [c for c in comments if c.addressed]
        assert len(addressed) == 1
        assert addressed[0].reply and addressed[0].replied_by.username == "soko-editor"
        assert addressed[0].created_at < addressed[0].replied_at < timezone.now()
        assert all(soko[3].events.get(action=Action.CONSULTATION).created_at < c.created_at for c in comments)

    def test_every_date_of_the_history_agrees_with_the_others(self) -> None:
        for charter in Charter.objects.all():
            events = list(charter.events.all())
            assert [e.created_at for e in events] == sorted(e.created_at for e in events), charter
            if charter.agreed_at:
                assert charter.agreed_at == charter.events.get(action=Action.AGREED).created_at
                assert all(m.date <= timezone.localtime(charter.agreed_at).date() for m in charter.meetings.all())
            if charter.approved_at:
                assert charter.approved_at == charter.events.get(action=Action.APPROVED).created_at
            if charter.status in {CharterStatus.PUBLISHED, CharterStatus.SUPERSEDED}:
                published = charter.events.get(action=Action.PUBLISHED).created_at
                assert timezone.localtime(published).date() == charter.effective_date

    # --- Puskesmas Rengel --------------------------------------------------------------------

    def test_rengel_has_one_version_taken_through_the_whole_lifecycle(self) -> None:
        charter = Charter.objects.get(facility__slug="pkm-rengel")
        today = timezone.localdate()
        assert charter.status == CharterStatus.PUBLISHED
        assert actions(charter) == [
            Action.CREATED,
            Action.CONSULTATION,
            Action.AGREED,
            Action.APPROVED,
            Action.PUBLISHED,
        ]
        assert signed_groups(charter.meetings.get()) == ALL_GROUPS
        assert charter.effective_date == today.replace(day=1)
        assert charter.review_due_date > today  # not yet due
        assert charter.approved_by.username == "admin"

    # --- Users -------------------------------------------------------------------------------

    def test_creates_the_users_with_their_roles(self) -> None:
        users = {u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES)}
        assert set(users) == set(USERNAMES)
        assert users["admin"].is_superuser and users["admin"].is_staff
        assert all(u.first_name and u.last_name for u in users.values())
        roles = {
            (m.user.username, m.facility.slug, m.role) for m in Membership.objects.select_related("user", "facility")
        }
        other = Facility.objects.get(slug="pkm-rengel")
        assert roles == {
            ("soko-editor", "pkm-soko", MembershipRole.EDITOR),
            ("soko-head", "pkm-soko", MembershipRole.HEAD),
            ("other-editor", other.slug, MembershipRole.EDITOR),
        }
        assert set(Facility.objects.for_user(users["tuban-supervisor"])) == set(Facility.objects.all())
        assert Facility.objects.get(slug="pkm-soko").published_charter().published_by == users["soko-head"]
        assert Charter.objects.get(facility__slug="pkm-soko", version=3).created_by == users["soko-editor"]

    def test_password_option_lets_every_user_sign_in_with_it(self) -> None:
        for username in USERNAMES:
            assert authenticate(username=username, password="demo-pass-123") is not None, username

    def test_prints_generated_passwords_that_work(self) -> None:
        output = seed()  # again, without --password: every user gets a new random one

        assert "http://127.0.0.1:8000/" in output
        lines = {line.split()[0]: line.split()[-1] for line in output.splitlines() if line.split()}
        for username in USERNAMES:
            assert authenticate(username=username, password=lines[username]) is not None, username

    # --- Running again -----------------------------------------------------------------------

    def test_running_twice_creates_no_duplicates_and_keeps_the_history(self, demo: str) -> None:
        output = demo
        counts = row_counts()
        history = list(Charter.objects.values_list("pk", "status", "published_at", "updated_at"))

        again = seed("--password", "second-pass-123", "--without-activity")

        assert (
            "Puskesmas Soko: built charter versions 1 (Superseded), 2 (Published), 3 (In public consultation)" in output
        )
        assert (
            "Puskesmas Soko: kept charter versions 1 (Superseded), 2 (Published), 3 (In public consultation)" in again
        )
        assert "Puskesmas Rengel: kept charter version 1 (Published)" in again
        assert row_counts() == counts
        assert list(Charter.objects.values_list("pk", "status", "published_at", "updated_at")) == history
        assert authenticate(username="soko-editor", password="second-pass-123") is not None

    # --- Every page of the history has something to show ------------------------------------

    def test_public_pages_show_the_history(self, soko: dict[int, Charter], client: Client) -> None:
        def page(name: str, *args: Any) -> str:
            response = client.get(reverse(f"public:{name}", args=["pkm-soko", *args]))
            assert response.status_code == 200, name
            return response.content.decode()

        assert "Pemeriksaan Kesehatan Calon Pengantin (Catin)" in page("charter")
        assert "Puskesmas Keliling" in page("version", 1)
        diff = page("version_diff", 1, 2)
        for text in ("Rp 15.000", "Rp 10.000", "Puskesmas Keliling", "Pemeriksaan Kesehatan Calon Pengantin (Catin)"):
            assert text in diff, text
        assert "Pelayanan Kesehatan Lanjut Usia (Lansia)" in page("draft")
        versions = page("versions")
        assert reverse("public:version", args=["pkm-soko", 1]) in versions

    def test_change_history_credits_each_step_to_who_did_it(self, soko: dict[int, Charter]) -> None:
        v2 = soko[2]
        # The editor's change of the copied service (the forum's decision on it comes later).
        edited = (
            ServiceStandard.history.filter(charter_id=v2.pk, slug="pendaftaran", history_type="~")
            .order_by("history_date", "history_id")
            .first()
        )
        assert edited.history_user.username == "soko-editor"
        assert edited.history_date.date() == date(2015, 8, 24)
        approval = Charter.history.filter(id=v2.pk, status=CharterStatus.APPROVED).earliest("history_date")
        assert approval.history_user.username == "soko-head"


# --- Starting from another state -----------------------------------------------------------------


@pytest.mark.django_db
def test_leaves_a_facility_that_already_has_charters_alone() -> None:
    soko = Facility.objects.create(
        slug="pkm-soko", name="Puskesmas Soko", district="Soko", regency="Kabupaten Tuban", province="Jawa Timur"
    )
    draft = soko.charters.create(version=1, status=CharterStatus.DRAFT)

    seed("--password", "demo-pass-123")

    assert list(soko.charters.all()) == [draft]
    assert not draft.services.exists()
    assert Charter.objects.get(facility__slug="pkm-rengel").status == CharterStatus.PUBLISHED


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestWithoutActivity:
    """`seed_demo --without-activity`: facilities, users and charters only."""

    seed_args = ("--password", "demo-pass-123", "--without-activity")

    def test_without_activity_still_builds_the_whole_charter_history(self) -> None:
        assert Charter.objects.filter(facility__slug="pkm-soko").count() == 3
        assert ConsultationComment.objects.filter(charter__facility__slug="pkm-soko").count() >= 3

    def test_without_activity_still_records_the_evaluations_that_started_version_2(self) -> None:
        assert EvaluationRound.objects.filter(facility__slug="pkm-soko").count() == 2
        assert Charter.objects.get(facility__slug="pkm-soko", version=2).answered_findings.count() == 3

    def test_without_activity_seeds_no_cases_and_no_survey(self, demo: str) -> None:
        output = demo

        assert not Case.objects.exists()
        assert not SurveyResponse.objects.exists() and not SurveyAction.objects.exists()
        assert "feedback" not in output and "survey" not in output


# --- Feedback: three months of cases -------------------------------------------------------------


@pytest.fixture
def soko_cases(demo: str, db: None) -> list[Case]:
    return list(
        Case.objects.filter(facility__slug="pkm-soko")
        .select_related("service__charter", "assignee", "entered_by")
        .prefetch_related("events")
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestFeedbackDemo:
    """Three months of cases at Soko, a few at Rengel, as `seed_demo` leaves them."""

    def test_soko_has_three_months_of_cases_of_every_kind_and_channel(self, soko_cases: list[Case]) -> None:
        now = timezone.now()
        assert 15 <= len(soko_cases) <= 25
        assert {c.kind for c in soko_cases} == set(FeedbackKind.values)
        assert {Channel.WEB, Channel.PHONE, Channel.WALK_IN, Channel.BOX} <= {c.channel for c in soko_cases}
        assert all(now - timedelta(days=92) <= c.received_at <= now for c in soko_cases)
        assert min(c.received_at for c in soko_cases) < now - timedelta(days=60)  # spread over the months
        assert all(c.code.startswith("SKO-") for c in soko_cases)
        # Staff entered what came by phone, in person or through the box.
        assert all((c.entered_by is None) == (c.channel == Channel.WEB) for c in soko_cases)
        assert any(c.anonymous for c in soko_cases) and any(c.email for c in soko_cases)
        assert all(not (c.name or c.phone or c.email) for c in soko_cases if c.anonymous)

    def test_soko_cases_concern_services_of_the_published_charter(self, soko_cases: list[Case]) -> None:
        published = Facility.objects.get(slug="pkm-soko").published_charter()
        with_service = [c for c in soko_cases if c.service]
        assert len(with_service) >= len(soko_cases) - 3
        assert {c.service.charter_id for c in with_service} == {published.pk}
        assert len({c.service.slug for c in with_service}) >= 8

    def test_soko_cases_are_in_every_status(self, soko_cases: list[Case]) -> None:
        statuses = [c.status for c in soko_cases]
        assert set(statuses) == set(CaseStatus.values)
        closed = [c for c in soko_cases if c.status == CaseStatus.CLOSED]
        assert sum(c.rating == Rating.SATISFIED for c in closed) >= 3
        assert any(not c.rating for c in closed)  # closed by staff, e.g. a compliment
        assert all(c.first_reply_at for c in soko_cases if c.status in (CaseStatus.ANSWERED, CaseStatus.CLOSED))

    def test_one_case_is_reopened_after_not_satisfied_and_waits_for_the_head(self, soko_cases: list[Case]) -> None:
        (reopened,) = [c for c in soko_cases if c.status == CaseStatus.REOPENED]
        rated = [e for e in reopened.events.all() if e.kind == EventKind.RATED]
        assert len(rated) == 1 and rated[0].by_citizen and rated[0].text
        assert reopened.reopened_at == rated[0].created_at
        assert not reopened.is_overdue()
        # And one was reopened before, answered again by the head and then rated satisfied.
        twice = [c for c in soko_cases if c.reopened_at and c.status == CaseStatus.CLOSED]
        assert twice and twice[0].rating == Rating.SATISFIED
        assert [e.author.username for e in twice[0].events.all() if e.kind == EventKind.REPLY][-1] == "soko-head"

    def test_one_case_is_rejected_as_spam_with_a_reason(self, soko_cases: list[Case]) -> None:
        (rejected,) = [c for c in soko_cases if c.status == CaseStatus.REJECTED]
        assert "Spam" in rejected.rejection_reason
        assert rejected.closed_at is not None
        last = list(rejected.events.all())[-1]
        assert (last.public, last.to_status, last.author.username) == (True, CaseStatus.REJECTED, "soko-head")

    def test_some_cases_are_overdue_and_one_is_due_soon(self, soko_cases: list[Case]) -> None:
        today = timezone.localdate()
        overdue = [c for c in soko_cases if c.is_overdue()]
        assert 2 <= len(overdue) <= 4
        assert Case.objects.filter(facility__slug="pkm-soko").overdue().count() == len(overdue)
        due_soon = Case.objects.filter(facility__slug="pkm-soko").due_by(today + timedelta(days=3))
        assert due_soon.exists()
        assert all(c.due_date >= today for c in due_soon)

    def test_cases_have_public_answers_internal_notes_and_assignments(self, soko_cases: list[Case]) -> None:
        events = [e for c in soko_cases for e in c.events.all()]
        replies = [e for e in events if e.kind == EventKind.REPLY]
        notes = [e for e in events if e.kind == EventKind.NOTE]
        assert len(replies) >= 8 and all(r.public and r.text and r.author for r in replies)
        assert len(notes) >= 4 and not any(n.public for n in notes)
        assert any(e.kind == EventKind.ASSIGNED for e in events)
        assert any(e.kind == EventKind.RECLASSIFIED for e in events)
        assert {c.assignee.username for c in soko_cases if c.assignee} == {"soko-editor", "soko-head"}
        assert any(c.complaint_class == ComplaintClass.SIMPLE for c in soko_cases)

    def test_every_case_date_agrees_with_its_timeline(self, soko_cases: list[Case]) -> None:
        now = timezone.now()
        for case in soko_cases:
            events = list(case.events.all())
            times = [e.created_at for e in events]
            assert times == sorted(times), case
            assert events[0].kind == EventKind.RECEIVED and times[0] == case.received_at, case
            assert times[-1] <= now, case
            replies = [e.created_at for e in events if e.kind == EventKind.REPLY]
            assert case.first_reply_at == (replies[0] if replies else None), case
            if case.closed_at:
                assert case.closed_at == times[-1], case
            if case.occurred_on:
                assert case.occurred_on <= timezone.localtime(case.received_at).date(), case
            # Staff work on office days: not on Sundays.
            staff_days = [timezone.localtime(e.created_at) for e in events if e.author_id and not e.by_citizen]
            assert all(day.weekday() != 6 for day in staff_days), case

    def test_not_every_answer_came_within_the_norm(self, soko_cases: list[Case]) -> None:
        answered = [c.answered_within_norm for c in soko_cases if c.first_reply_at]
        assert answered.count(True) > answered.count(False) >= 1

    def test_rengel_gets_a_few_cases(self, soko_cases: list[Case]) -> None:
        rengel = list(Case.objects.filter(facility__slug="pkm-rengel"))
        assert 2 <= len(rengel) <= 5
        assert all(c.code.startswith("RNG-") for c in rengel)
        assert {c.status for c in rengel} >= {CaseStatus.RECEIVED, CaseStatus.CLOSED}

    def test_running_again_keeps_the_cases(self) -> None:
        cases = list(Case.objects.order_by("pk").values_list("pk", "code", "status", "updated_at"))

        output = seed("--password", "demo-pass-123")

        assert "Puskesmas Soko: kept" in output and "feedback cases" in output
        assert list(Case.objects.order_by("pk").values_list("pk", "code", "status", "updated_at")) == cases


@pytest.mark.django_db
def test_seeding_sends_and_queues_no_email(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        seed("--password", "demo-pass-123")

    assert Case.objects.filter(email__contains="@").count() >= 5  # citizens who would hear back
    assert mail.outbox == []
    assert not DBTaskResult.objects.exists()


# --- The satisfaction survey ---------------------------------------------------------------------


@pytest.fixture
def soko_periods(demo: str, db: None) -> list[tuple[SurveyPeriod, ikm.SurveyIndex]]:
    periods = SurveyPeriod.objects.filter(facility__slug="pkm-soko").order_by("start")
    return [(p, ikm.index_of(p.facility.survey_responses.visited_between(p.start, p.end))) for p in periods]


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestSurveyDemo:
    """Three semesters of questionnaires at Soko (two at Rengel), as `seed_demo` leaves them."""

    def test_soko_has_three_semesters_ending_with_the_current_one(self, soko_periods: list[Any]) -> None:
        today = timezone.localdate()
        assert len(soko_periods) == 3
        assert [p.name.split()[0] for p, _index in soko_periods] == ["Semester"] * 3
        assert soko_periods[-1][0].start <= today <= soko_periods[-1][0].end
        for (earlier, _a), (later, _b) in itertools.pairwise(soko_periods):
            assert later.start == earlier.end + timedelta(days=1)
        assert all(period.population > 5000 for period, _index in soko_periods)

    def test_finished_semesters_reach_the_sample_and_the_running_one_not_yet(self, soko_periods: list[Any]) -> None:
        *finished, (current, current_index) = soko_periods
        for period, index in finished:
            assert index.respondents >= ikm.required_sample(period.population), period
        assert current_index.respondents < ikm.required_sample(current.population)

    def test_soko_is_graded_b_with_waiting_time_and_the_waiting_room_weakest(self, soko_periods: list[Any]) -> None:
        first = soko_periods[0][1]
        assert all(index.grade.letter == "B" for _period, index in soko_periods)
        assert {score.element.code for score in first.lowest(2)} == {"U3", "U8"}
        assert first.score("U4").nrr > 3.5  # mostly free with JKN
        # After the first evaluation's follow-up, the waiting time got better.
        assert soko_periods[-1][1].score("U3").nrr > first.score("U3").nrr

    def test_responses_come_online_and_on_paper_with_profiles_and_comments(self) -> None:
        responses = SurveyResponse.objects.filter(facility__slug="pkm-soko")
        channels = set(responses.values_list("channel", flat=True))
        assert channels == {ResponseChannel.WEB, ResponseChannel.PAPER}
        assert not responses.filter(channel=ResponseChannel.PAPER, entered_by__isnull=True).exists()
        assert not responses.filter(channel=ResponseChannel.WEB).exclude(entered_by__isnull=True).exists()
        assert responses.exclude(comment="").count() >= 30
        assert responses.filter(sex="female").count() > responses.filter(sex="male").count()
        assert responses.filter(age_group="").exists() and responses.filter(age_group="undisclosed").exists()
        assert (
            responses.filter(u3__isnull=True).exists()
            or responses.filter(u9__isnull=True).exists()
            or any(responses.filter(**{f"{e.field}__isnull": True}).exists() for e in ikm.ELEMENTS)
        )
        published = {s.pk for s in Charter.objects.get(facility__slug="pkm-soko", status="published").services.all()}
        assert set(responses.values_list("service_id", flat=True)) <= published
        assert all(r.visited_on <= timezone.localdate() for r in responses.only("visited_on"))

    def test_soko_followed_up_its_weak_elements(self, soko_periods: list[Any]) -> None:
        actions = list(SurveyAction.objects.filter(facility__slug="pkm-soko").order_by("created_at", "id"))
        first, second = soko_periods[0][0], soko_periods[1][0]
        done = [a for a in actions if a.is_done]
        assert {(a.element, a.finding_start) for a in done} == {("U3", first.start), ("U8", first.start)}
        assert all(a.result for a in done)
        open_actions = [a for a in actions if not a.is_done]
        assert {a.finding_start for a in open_actions} == {second.start}
        assert any(a.is_overdue() for a in open_actions) and not all(a.is_overdue() for a in open_actions)
        u3 = next(a for a in done if a.element == "U3")
        assert u3.finding_nrr == soko_periods[0][1].score("U3").nrr_rounded()

    def test_rengel_has_two_semesters_too_few_respondents(self) -> None:
        for period in SurveyPeriod.objects.filter(facility__slug="pkm-rengel"):
            respondents = period.facility.survey_responses.visited_between(period.start, period.end).count()
            assert 0 < respondents < ikm.required_sample(period.population)

    def test_running_again_keeps_the_survey(self) -> None:
        before = SurveyResponse.objects.count()

        output = seed("--password", "demo-pass-123")

        assert "Puskesmas Soko: kept" in output and "survey responses" in output
        assert SurveyResponse.objects.count() == before


# --- Monitoring: service-time observations -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestObservationDemo:
    """Three months of service-time observations at Soko, as `seed_demo` leaves them."""

    def test_soko_has_three_months_of_observations_of_its_busiest_services(self, demo: str) -> None:
        from monitoring.models import ServiceObservation

        soko = Facility.objects.get(slug="pkm-soko")
        observations = ServiceObservation.objects.filter(facility=soko)
        today = timezone.localdate()

        assert "service-time observations over the last three months" in demo
        assert observations.count() >= 400
        assert all(o.service.charter == soko.published_charter() for o in observations.select_related("service"))
        days = set(observations.values_list("arrived_on", flat=True))
        assert min(days) >= today - datetime.timedelta(days=92) and max(days) < today

    def test_the_pharmacy_keeps_its_promise_less_often_than_registration(self) -> None:
        from feedback.workdays import calendar_for
        from monitoring.models import ServiceObservation
        from monitoring.promises import figures_for

        soko = Facility.objects.get(slug="pkm-soko")
        calendar = calendar_for(soko.pk)
        services = services_by_slug(soko.published_charter())

        def kept(slug: str) -> Any:
            observations = ServiceObservation.objects.filter(facility=soko, service__slug=slug)
            return figures_for(services[slug], observations, calendar)

        registration, pharmacy, dental = kept("pendaftaran"), kept("farmasi"), kept("poli-gigi")
        assert registration.promise_kept > pharmacy.promise_kept
        assert registration.is_public and pharmacy.is_public
        assert not dental.is_public  # fewer than ten observations
