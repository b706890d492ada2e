"""Every staff URL × every persona × GET and POST, with the status each cell must answer: the
dashboard, the charters' pages, the complaints and survey pages of the feedback app, and the
service-time and evaluation pages of the monitoring app.

Personas: anonymous, editor and head of the facility, editor of another facility, superuser.
(The project has no supervisor role yet; add a column when it does.) Charter URLs are
checked on a draft, on the published charter and on a superseded one: only a draft may change.
The URLs are found by name in the `manage` namespace, whichever module holds their views.

A refused request (login redirect, 403, 404, 405) must leave the database as it was; an
accepted POST must have done its job. A URL missing from the matrix fails
`test_every_manage_url_is_in_the_matrix`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.text import slugify

from accounts.urls import account_patterns
from audit import actions as audit_actions, models as audit
from charters import services as charter_services
from charters.models import (
    Charter,
    CharterEvent,
    CharterStatus,
    ComplaintClass,
    ConsultationComment,
    Facility,
    MeetingAttachment,
    Membership,
    MembershipRole,
    ParticipantGroup,
    ServiceStandard,
    StakeholderMeeting,
)
from charters.services import one_year_after
from feedback import services as feedback_services
from feedback.models import (
    Case,
    CaseStatus,
    Channel,
    EventKind,
    FeedbackSettings,
    Rating,
    ResponseChannel,
    SurveyAction,
    SurveyPeriod,
    SurveyResponse,
)
from feedback.urls import manage_patterns as feedback_manage_patterns, survey_manage_patterns
from monitoring.evaluations import ActionContent, FindingContent, RoundContent, record_round, save_actions
from monitoring.models import ActionStatus, EvaluationFinding, EvaluationRound, FollowUpAction, ServiceObservation
from monitoring.urls import evaluation_patterns, manage_patterns as observation_manage_patterns
from tests.charters.formdata import (
    agreement_post_data,
    charter_post_data,
    facility_post_data,
    meeting_post_data,
    service_post_data,
)
from tests.factories import (
    CharterFactory,
    MeetingParticipantFactory,
    MembershipFactory,
    ObservationFactory,
    StakeholderMeetingFactory,
    SurveyResponseFactory,
    make_complete_draft,
    make_published_charter,
    record_agreement,
)
from tests.monitoring.formdata import round_post_data

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "editor", "head", "other_editor", "superuser")
# A supervisor of the facility's regency reads what its editor reads and changes nothing: every
# POST is refused (403) before the view runs. Derived from the editor's column, not written out.
SUPERVISOR = "supervisor"
LOGIN = "login"  # 302 to /accounts/login/?next=…
DONE = "done"  # 302 elsewhere: the request was accepted
BACK = "back"  # 302 back to the page with an explanation: refused, nothing changed

# States a charter URL is checked in. Facility URLs do not depend on it and run once.
DRAFT, PUBLISHED, SUPERSEDED = "draft", "published", "superseded"
CHARTER_STATES = (DRAFT, PUBLISHED, SUPERSEDED)


@dataclass
class Scene:
    """The facility, the charter whose URLs are requested, its first service, and a forum
    meeting of the charter with a scan of its minutes."""

    facility: Facility
    charter: Charter
    service: ServiceStandard | None
    meeting: StakeholderMeeting | None = None
    attachment: MeetingAttachment | None = None
    comment: ConsultationComment | None = None
    case: Case | None = None  # a complaint just received, with the citizen's photo
    reopened: Case | None = None  # a complaint the citizen was not satisfied with: the head's to review
    period: SurveyPeriod | None = None  # a survey period of the facility
    action: SurveyAction | None = None  # an open follow-up action on a weak survey element
    observation: ServiceObservation | None = None  # a service time of the published charter
    evaluation: EvaluationRound | None = None  # a round of the published charter, a finding not kept
    finding: EvaluationFinding | None = None  # the round's finding that was not kept
    earlier_action: FollowUpAction | None = None  # an open action of the round before, carried over
    before: dict[str, Any] = field(default_factory=dict)


def row(*statuses: Any) -> dict[str, Any]:
    assert len(statuses) == len(PERSONAS)
    return dict(zip(PERSONAS, statuses, strict=True))


# Read pages answer POST like GET and change nothing.
READ = row(LOGIN, 200, 200, 404, 200)
READ_OWN = row(LOGIN, 200, 200, 200, 200)  # every user has a dashboard of their own
WRITE_PAGE = row(LOGIN, 200, 200, 404, 200)
WRITE_DONE = row(LOGIN, DONE, DONE, 404, DONE)
FROZEN = row(LOGIN, 403, 403, 404, 403)  # a charter that is no longer a draft
POST_ONLY = row(LOGIN, 405, 405, 405, 405)
# The district pages are the regency's supervisors' and the superuser's: a facility's own staff,
# who read every page of their facility, find no district (404). Read pages: POST like GET.
DISTRICT = row(LOGIN, 404, 404, 404, 200)


# --- What an accepted POST sends and must have done ---------------------------------------


def _facility_data(scene: Scene) -> dict[str, Any]:
    return {**facility_post_data(scene.facility), "name": "Puskesmas Soko Baru"}


def _facility_renamed(scene: Scene) -> None:
    scene.facility.refresh_from_db()
    assert scene.facility.name == "Puskesmas Soko Baru"


def _draft_started(scene: Scene) -> None:
    draft = scene.facility.charters.get(status=CharterStatus.DRAFT)
    assert draft.version == 2
    assert [s.name for s in draft.services.all()] == [s.name for s in scene.charter.services.all()]


def _charter_data(scene: Scene) -> dict[str, Any]:
    return {**charter_post_data(scene.charter), "charter-pledge": "Kami berjanji melayani dengan sepenuh hati."}


def _pledge_saved(scene: Scene) -> None:
    scene.charter.refresh_from_db()
    assert scene.charter.pledge == "Kami berjanji melayani dengan sepenuh hati."


def _in_consultation(scene: Scene) -> None:
    scene.charter.refresh_from_db()
    assert scene.charter.status == CharterStatus.CONSULTATION


def _discarded(scene: Scene) -> None:
    assert not Charter.objects.filter(pk=scene.charter.pk).exists()


def _new_service_data(scene: Scene) -> dict[str, Any]:
    data = service_post_data(scene.charter)
    data.update(
        {
            "name": "Imunisasi Dasar",
            "duration_value": "30",
            "fee_is_free": "on",
            "methods": ["walk_in"],
            "requirements-0-text": "Buku KIA",
            "steps-0-text": "Mendaftar di loket",
            "schedule-0-weekday": "0",
            "schedule-0-opens": "07:30",
            "schedule-0-closes": "12:00",
        }
    )
    return data


def _service_added(scene: Scene) -> None:
    service = scene.charter.services.get(slug="imunisasi-dasar")
    assert [r.text for r in service.requirements.all()] == ["Buku KIA"]


def _service_data(scene: Scene) -> dict[str, Any]:
    return {**service_post_data(scene.charter, scene.service), "name": "Poli Umum Baru"}


def _service_renamed(scene: Scene) -> None:
    scene.service.refresh_from_db()
    assert scene.service.name == "Poli Umum Baru"


def _service_deleted(scene: Scene) -> None:
    assert not ServiceStandard.objects.filter(pk=scene.service.pk).exists()


def _service_moved_down(scene: Scene) -> None:
    assert list(scene.charter.services.values_list("pk", flat=True))[1] == scene.service.pk


# The stakeholder forum.

PNG_SCAN = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _new_meeting_data(scene: Scene) -> dict[str, Any]:
    data = meeting_post_data(scene.charter)
    data.update(
        {
            "meeting-date": timezone.localdate().isoformat(),
            "meeting-place": "Balai Desa Soko",
            "participants-0-name": "Bu Kepala Desa",
            "participants-0-group": ParticipantGroup.STAKEHOLDER,
            "participants-0-signed": "on",
        }
    )
    return data


def _meeting_added(scene: Scene) -> None:
    meeting = scene.charter.meetings.get(place="Balai Desa Soko")
    assert [p.name for p in meeting.participants.all()] == ["Bu Kepala Desa"]


def _meeting_data(scene: Scene) -> dict[str, Any]:
    return {**meeting_post_data(scene.charter, scene.meeting), "meeting-place": "Balai Desa Soko"}


def _meeting_moved(scene: Scene) -> None:
    scene.meeting.refresh_from_db()
    assert scene.meeting.place == "Balai Desa Soko"


def _meeting_deleted(scene: Scene) -> None:
    assert not StakeholderMeeting.objects.filter(pk=scene.meeting.pk).exists()


def _scan_data(scene: Scene) -> dict[str, Any]:
    return {"attachment-file": SimpleUploadedFile("daftar-hadir.png", PNG_SCAN, content_type="image/png")}


def _scan_attached(scene: Scene) -> None:
    assert scene.meeting.attachments.filter(original_name="daftar-hadir.png").exists()


def _scan_removed(scene: Scene) -> None:
    assert not MeetingAttachment.objects.filter(pk=scene.attachment.pk).exists()


def _decisions_data(scene: Scene) -> dict[str, Any]:
    return {**agreement_post_data(scene.charter), "services-0-agreement": "agreed", "services-1-agreement": "deferred"}


def _decisions_recorded(scene: Scene) -> None:
    assert list(scene.charter.services.values_list("agreement", flat=True)) == ["agreed", "deferred"]


# The public consultation: comments are not charter content, so staff reply in every status.


def _comment_addressed(scene: Scene) -> None:
    scene.comment.refresh_from_db()
    assert scene.comment.addressed
    assert scene.comment.reply == "Sudah kami tambahkan ke persyaratan."


# Complaints and feedback: facility URLs; a reopened case and rejecting are the head's.


def _intake_data(scene: Scene) -> dict[str, Any]:
    return {"channel": Channel.PHONE, "kind": "complaint", "description": "Keluhan lewat telepon.", "name": "Bu Sri"}


def _case_entered(scene: Scene) -> None:
    case = scene.facility.cases.get(channel=Channel.PHONE)
    assert case.entered_by is not None and case.name == "Bu Sri"


def _settings_data(scene: Scene) -> dict[str, Any]:
    return {
        "action": "settings",
        "settings-saturday_is_working_day": "on",
        "settings-code_prefix": "SKO",
        "settings-survey_once_per_device": "on",
    }


def _settings_saved(scene: Scene) -> None:
    assert FeedbackSettings.for_facility(scene.facility).saturday_is_working_day is True


def _reviewed_if_in_force(scene: Scene) -> None:
    scene.charter.refresh_from_db()
    reviewed = scene.charter.events.filter(action=CharterEvent.Action.REVIEWED).exists()
    if scene.charter.is_published:
        assert reviewed and scene.charter.review_due_date == one_year_after(timezone.localdate())
    else:  # superseded: refused, with the reason
        assert not reviewed


def _case_status(status: CaseStatus, which: str = "case") -> Callable[[Scene], None]:
    def check(scene: Scene) -> None:
        case = getattr(scene, which)
        case.refresh_from_db()
        assert case.status == status

    return check


def _noted(scene: Scene) -> None:
    assert scene.case.events.filter(kind=EventKind.NOTE, public=False, text="Sudah dicek.").exists()


def _assign_data(scene: Scene) -> dict[str, Any]:
    head = Membership.objects.get(facility=scene.facility, role=MembershipRole.HEAD)
    return {"assign-assignee": head.user_id}


def _assigned(scene: Scene) -> None:
    scene.case.refresh_from_db()
    assert scene.case.assignee_id == Membership.objects.get(facility=scene.facility, role=MembershipRole.HEAD).user_id


def _reclassified(scene: Scene) -> None:
    scene.case.refresh_from_db()
    assert scene.case.complaint_class == ComplaintClass.LIGHT


def _case_attached(scene: Scene) -> None:
    assert scene.case.attachments.filter(original_name="surat.png", public=True).exists()


def _case_args(*more: Any) -> Callable[[Scene], list[Any]]:
    return lambda scene: [scene.case.code, *more]


def _case_file_args(scene: Scene) -> list[Any]:
    return [scene.case.code, scene.case.attachments.get().pk]


# The satisfaction survey: editors and heads alike enter, import, manage periods and actions.


def _paper_data(scene: Scene) -> dict[str, Any]:
    scores = {f"rows-0-u{n}": "4" for n in range(1, 10)}
    return {
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "0",
        "rows-0-service": scene.service.slug,
        "rows-0-visited_on": timezone.localdate().isoformat(),
        **scores,
    }


def _paper_saved(scene: Scene) -> None:
    response = SurveyResponse.objects.get(facility=scene.facility, channel=ResponseChannel.PAPER)
    assert response.entered_by is not None and response.u9 == 4


def _import_data(scene: Scene) -> dict[str, Any]:
    header = "service,visited_on,u1,u2,u3,u4,u5,u6,u7,u8,u9"
    line = f"{scene.service.slug},{timezone.localdate().isoformat()},4,4,4,4,4,4,4,4,3"
    return {"file": SimpleUploadedFile("hasil.csv", f"{header}\n{line}\n".encode(), content_type="text/csv")}


def _imported(scene: Scene) -> None:
    assert SurveyResponse.objects.get(facility=scene.facility, channel=ResponseChannel.IMPORT).u9 == 3


def _period_data(scene: Scene) -> dict[str, Any]:
    return {
        "period-name": "Tahun 2025",
        "period-start": "2025-01-01",
        "period-end": "2025-12-31",
        "period-population": "2000",
    }


def _period_added(scene: Scene) -> None:
    assert scene.facility.survey_periods.get(name="Tahun 2025").population == 2000


def _period_deleted(scene: Scene) -> None:
    assert not SurveyPeriod.objects.filter(pk=scene.period.pk).exists()


def _action_data(scene: Scene) -> dict[str, Any]:
    return {
        "from": scene.period.start.isoformat(),
        "to": scene.period.end.isoformat(),
        "action-element": "U8",
        "action-action": "Perbaiki kursi ruang tunggu.",
        "action-responsible": "Bendahara",
        "action-due_date": "2026-12-31",
    }


def _action_added(scene: Scene) -> None:
    action = scene.facility.survey_actions.get(element="U8")
    assert (action.finding_start, action.finding_end) == (scene.period.start, scene.period.end)


def _action_done_data(scene: Scene) -> dict[str, Any]:
    prefix = f"done-{scene.action.pk}"
    return {
        f"{prefix}-step": "complete",
        f"{prefix}-done_on": timezone.localdate().isoformat(),
        f"{prefix}-result": "Sudah.",
    }


def _action_done(scene: Scene) -> None:
    scene.action.refresh_from_db()
    assert scene.action.done_on == timezone.localdate() and scene.action.result == "Sudah."


# Service times: editors and heads alike record, import and delete observations.


def _observation_data(scene: Scene) -> dict[str, Any]:
    return {
        "observation-service": scene.service.slug,
        "observation-arrived_on": timezone.localdate().isoformat(),
        "observation-arrived_time": "00:00",
        "observation-duration_minutes": "17",
        "observation-method": "observed",
    }


def _observation_added(scene: Scene) -> None:
    assert scene.facility.service_observations.get(duration_minutes=17).recorded_by is not None


def _observation_batch_data(scene: Scene) -> dict[str, Any]:
    return {
        "batch-service": scene.service.slug,
        "batch-arrived_on": timezone.localdate().isoformat(),
        "batch-method": "observed",
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-0-arrived_time": "00:00",
        "rows-0-duration_minutes": "18",
    }


def _observation_batch_saved(scene: Scene) -> None:
    assert scene.facility.service_observations.filter(duration_minutes=18).count() == 1


def _observation_import_data(scene: Scene) -> dict[str, Any]:
    line = f"{scene.service.slug},{timezone.localdate().isoformat()} 00:00,,19"
    content = f"service,arrived_at,completed_at,duration_minutes\n{line}\n".encode()
    return {"file": SimpleUploadedFile("antrean.csv", content, content_type="text/csv")}


def _observations_imported(scene: Scene) -> None:
    assert scene.facility.service_observations.get(duration_minutes=19).method == "queue_machine"


def _observation_deleted(scene: Scene) -> None:
    assert not ServiceObservation.objects.filter(pk=scene.observation.pk).exists()


# Evaluation rounds: editors and heads alike record, correct and follow up; a supervisor reads.


def _round_recorded(scene: Scene) -> None:
    evaluation = scene.facility.evaluation_rounds.exclude(pk=scene.evaluation.pk).get(ended_on=timezone.localdate())
    assert evaluation.participants.count() == 3 and evaluation.findings.count() == 2


def _round_edit_data(scene: Scene) -> dict[str, Any]:
    held = scene.evaluation.ended_on.isoformat()
    return round_post_data(
        scene.charter,
        started_on=held,
        ended_on=held,
        period_start=scene.evaluation.period_start.isoformat(),
        period_end=scene.evaluation.period_end.isoformat(),
        public_summary="Ringkasan yang dibetulkan.",
    )


def _round_edited(scene: Scene) -> None:
    scene.evaluation.refresh_from_db()
    assert scene.evaluation.public_summary == "Ringkasan yang dibetulkan."


def _round_deleted(scene: Scene) -> None:
    assert not EvaluationRound.objects.filter(pk=scene.evaluation.pk).exists()


def _round_actions_data(scene: Scene) -> dict[str, Any]:
    return {
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-0-what": "Buka loket kedua",
        "actions-0-who": "Kepala TU",
        "actions-0-due_date": "2026-12-31",
        "actions-0-finding": str(scene.finding.pk),
        "actions-0-status": "open",
    }


def _round_action_added(scene: Scene) -> None:
    assert scene.evaluation.actions.get().finding == scene.finding


def _carried_action_data(scene: Scene) -> dict[str, Any]:
    prefix = f"carried-{scene.earlier_action.pk}"
    return {f"{prefix}-status": "done", f"{prefix}-done_on": timezone.localdate().isoformat(), f"{prefix}-result": "Ya"}


def _carried_action_done(scene: Scene) -> None:
    scene.earlier_action.refresh_from_db()
    assert scene.earlier_action.status == ActionStatus.DONE


def _finding_revised(scene: Scene) -> None:
    scene.finding.refresh_from_db()
    assert scene.finding.revision.status == CharterStatus.DRAFT


def _round_args(*more: str) -> Callable[[Scene], list[Any]]:
    def args(scene: Scene) -> list[Any]:
        values = {"finding": scene.finding.pk, "action": scene.earlier_action.pk}
        return [scene.evaluation.pk, *(values[name] for name in more)]

    return args


def _paused_colleague_data(scene: Scene) -> dict[str, Any]:
    """A colleague whose sign-in is paused after five wrong passwords, made before the request's
    snapshot (a persona's own pause would be cleared by its signing in)."""
    MembershipFactory(facility=scene.facility, user__username="bidan")
    AccessAttempt.objects.create(
        username="bidan",
        ip_address="10.0.0.1",
        user_agent="test",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )
    return {"username": "bidan"}


def _pause_lifted(scene: Scene) -> None:
    assert not AccessAttempt.objects.filter(username="bidan").exists()


@dataclass(frozen=True)
class StaffUrl:
    name: str
    get: dict[str, Any]
    post: dict[str, Any]
    frozen_get: dict[str, Any] | None = None  # on a published or superseded charter; None: charter-free URL
    frozen_post: dict[str, Any] | None = None
    data: Callable[[Scene], dict[str, Any]] | None = None
    effect: Callable[[Scene], None] | None = None  # None: an accepted POST changes nothing
    more: Callable[[Scene], list[Any]] | None = None  # arguments after the facility's slug
    variant: str = ""  # tells apart the rows of one URL name (e.g. each step of a case)
    # The supervisor's GET where it is not the editor's (the district pages are the supervisor's own).
    supervisor_get: Any = None

    @property
    def per_charter(self) -> bool:
        return self.frozen_get is not None

    def args(self, scene: Scene) -> list[Any]:
        if not self.per_charter:
            if self.name == "dashboard":
                return []
            if self.name.startswith("district"):  # the facility's regency, not the facility
                return [slugify(scene.facility.regency), *(self.more(scene) if self.more else [])]
            return [scene.facility.slug, *(self.more(scene) if self.more else [])]
        args: list[Any] = [scene.facility.slug, scene.charter.version]
        if self.name.startswith("service_") and self.name != "service_add":
            args.append(scene.service.slug)
        if self.name.startswith("meeting_") and self.name != "meeting_add":
            args.append(scene.meeting.pk)
        if self.name in ("meeting_attachment", "meeting_attachment_delete"):
            args.append(scene.attachment.pk)
        if self.name == "comment_reply":
            args.append(scene.comment.pk)
        return args


MATRIX = (
    StaffUrl("dashboard", get=READ_OWN, post=READ_OWN),
    StaffUrl("facility", get=READ, post=READ),
    StaffUrl("facility_edit", get=WRITE_PAGE, post=WRITE_DONE, data=_facility_data, effect=_facility_renamed),
    StaffUrl("charter_start", get=POST_ONLY, post=WRITE_DONE, effect=_draft_started),
    StaffUrl("charter", get=READ, post=READ, frozen_get=READ, frozen_post=READ),
    StaffUrl("charter_changes", get=READ, post=READ, frozen_get=READ, frozen_post=READ),
    StaffUrl("charter_diff", get=READ, post=READ, frozen_get=READ, frozen_post=READ),
    StaffUrl(
        "charter_edit",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        frozen_get=FROZEN,
        frozen_post=FROZEN,
        data=_charter_data,
        effect=_pledge_saved,
    ),
    # Lifecycle steps: a step the version's status does not allow goes back with a message
    # (BACK) and changes nothing; approving and publishing are the head's (403 for editors).
    StaffUrl(
        "charter_consultation",
        get=POST_ONLY,
        post=WRITE_DONE,
        frozen_get=POST_ONLY,
        frozen_post=row(LOGIN, BACK, BACK, 404, BACK),
        effect=_in_consultation,
    ),
    StaffUrl(
        "charter_return",
        get=POST_ONLY,
        post=row(LOGIN, BACK, BACK, 404, BACK),
        frozen_get=POST_ONLY,
        frozen_post=row(LOGIN, BACK, BACK, 404, BACK),
    ),
    StaffUrl(
        "charter_agree",
        get=POST_ONLY,
        post=row(LOGIN, BACK, BACK, 404, BACK),
        frozen_get=POST_ONLY,
        frozen_post=row(LOGIN, BACK, BACK, 404, BACK),
    ),
    StaffUrl(
        "charter_approve",
        get=POST_ONLY,
        post=row(LOGIN, 403, BACK, 404, BACK),
        frozen_get=POST_ONLY,
        frozen_post=row(LOGIN, 403, BACK, 404, BACK),
    ),
    StaffUrl(
        "charter_publish",
        get=POST_ONLY,
        post=row(LOGIN, 403, BACK, 404, BACK),
        frozen_get=POST_ONLY,
        frozen_post=row(LOGIN, 403, BACK, 404, BACK),
        data=lambda scene: {"confirm": "on"},
    ),
    # Only the published version can be confirmed by a review (the head's); a superseded one is
    # refused with a message, as a draft is.
    StaffUrl(
        "charter_review",
        get=POST_ONLY,
        post=row(LOGIN, 403, BACK, 404, BACK),
        frozen_get=POST_ONLY,
        frozen_post=row(LOGIN, 403, DONE, 404, DONE),
        effect=_reviewed_if_in_force,
    ),
    StaffUrl(
        "charter_discard",
        get=POST_ONLY,
        post=WRITE_DONE,
        frozen_get=POST_ONLY,
        frozen_post=row(LOGIN, BACK, BACK, 404, BACK),
        effect=_discarded,
    ),
    StaffUrl(
        "service_add",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        frozen_get=FROZEN,
        frozen_post=FROZEN,
        data=_new_service_data,
        effect=_service_added,
    ),
    StaffUrl(
        "service_edit",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        frozen_get=FROZEN,
        frozen_post=FROZEN,
        data=_service_data,
        effect=_service_renamed,
    ),
    StaffUrl(
        "service_delete",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        frozen_get=FROZEN,
        frozen_post=FROZEN,
        effect=_service_deleted,
    ),
    StaffUrl(
        "service_move",
        get=POST_ONLY,
        post=WRITE_DONE,
        frozen_get=POST_ONLY,
        frozen_post=FROZEN,
        data=lambda scene: {"direction": "1"},
        effect=_service_moved_down,
    ),
    StaffUrl("meetings", get=READ, post=READ, frozen_get=READ, frozen_post=READ),
    StaffUrl(
        "meeting_add",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        frozen_get=FROZEN,
        frozen_post=FROZEN,
        data=_new_meeting_data,
        effect=_meeting_added,
    ),
    StaffUrl(
        "meeting_edit",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        frozen_get=FROZEN,
        frozen_post=FROZEN,
        data=_meeting_data,
        effect=_meeting_moved,
    ),
    StaffUrl(
        "meeting_delete",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        frozen_get=FROZEN,
        frozen_post=FROZEN,
        effect=_meeting_deleted,
    ),
    StaffUrl(
        "meeting_attachment_add",
        get=POST_ONLY,
        post=WRITE_DONE,
        frozen_get=POST_ONLY,
        frozen_post=FROZEN,
        data=_scan_data,
        effect=_scan_attached,
    ),
    # The evidence stays readable to the facility's staff after the version froze.
    StaffUrl("meeting_attachment", get=READ, post=READ, frozen_get=READ, frozen_post=READ),
    StaffUrl(
        "meeting_attachment_delete",
        get=POST_ONLY,
        post=WRITE_DONE,
        frozen_get=POST_ONLY,
        frozen_post=FROZEN,
        effect=_scan_removed,
    ),
    StaffUrl(
        "agreement",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        frozen_get=FROZEN,
        frozen_post=FROZEN,
        data=_decisions_data,
        effect=_decisions_recorded,
    ),
    StaffUrl("comments", get=READ, post=READ, frozen_get=READ, frozen_post=READ),
    StaffUrl(
        "comment_reply",
        get=POST_ONLY,
        post=WRITE_DONE,
        frozen_get=POST_ONLY,
        frozen_post=WRITE_DONE,
        data=lambda scene: {"reply": "Sudah kami tambahkan ke persyaratan."},
        effect=_comment_addressed,
    ),
    # Complaints and feedback.
    StaffUrl("cases", get=READ, post=READ),
    StaffUrl("cases_export", get=READ, post=READ, more=lambda scene: ["csv"], variant="csv"),
    StaffUrl("cases_export", get=READ, post=READ, more=lambda scene: ["xlsx"], variant="xlsx"),
    StaffUrl("case_add", get=WRITE_PAGE, post=WRITE_DONE, data=_intake_data, effect=_case_entered),
    StaffUrl("case_figures", get=READ, post=READ),
    StaffUrl(
        "feedback_settings",
        get=READ,
        post=row(LOGIN, 403, DONE, 404, DONE),  # editors read the norms; the head sets them
        data=_settings_data,
        effect=_settings_saved,
    ),
    StaffUrl("case", get=READ, post=READ, more=_case_args()),
    StaffUrl(
        "case_step",
        get=POST_ONLY,
        post=WRITE_DONE,
        more=_case_args("start"),
        variant="start",
        effect=_case_status(CaseStatus.IN_PROGRESS),
    ),
    StaffUrl(
        "case_step",
        get=POST_ONLY,
        post=WRITE_DONE,
        more=_case_args("reply"),
        variant="reply",
        data=lambda scene: {"reply-text": "Sudah kami perbaiki."},
        effect=_case_status(CaseStatus.ANSWERED),
    ),
    # A received case cannot be closed: the page again with the reason, nothing changed.
    StaffUrl(
        "case_step", get=POST_ONLY, post=row(LOGIN, 200, 200, 404, 200), more=_case_args("close"), variant="close"
    ),
    StaffUrl(
        "case_step",
        get=POST_ONLY,
        post=row(LOGIN, 403, DONE, 404, DONE),
        more=_case_args("reject"),
        variant="reject",
        data=lambda scene: {"reject-reason": "Iklan."},
        effect=_case_status(CaseStatus.REJECTED),
    ),
    StaffUrl(
        "case_step",
        get=POST_ONLY,
        post=row(LOGIN, 403, DONE, 404, DONE),
        more=lambda scene: [scene.reopened.code, "reply"],
        variant="reply-reopened",
        data=lambda scene: {"reply-text": "Kepala puskesmas: sudah kami tindak."},
        effect=_case_status(CaseStatus.ANSWERED, "reopened"),
    ),
    StaffUrl(
        "case_step", get=POST_ONLY, post=row(LOGIN, 404, 404, 404, 404), more=_case_args("delete"), variant="unknown"
    ),
    StaffUrl(
        "case_note",
        get=POST_ONLY,
        post=WRITE_DONE,
        more=_case_args(),
        data=lambda scene: {"note-text": "Sudah dicek."},
        effect=_noted,
    ),
    StaffUrl("case_assign", get=POST_ONLY, post=WRITE_DONE, more=_case_args(), data=_assign_data, effect=_assigned),
    StaffUrl(
        "case_reclassify",
        get=POST_ONLY,
        post=WRITE_DONE,
        more=_case_args(),
        data=lambda scene: {"reclassify-kind": "complaint", "reclassify-complaint_class": "light"},
        effect=_reclassified,
    ),
    StaffUrl(
        "case_attach",
        get=POST_ONLY,
        post=WRITE_DONE,
        more=_case_args(),
        data=lambda scene: {
            "attach-file": SimpleUploadedFile("surat.png", PNG_SCAN, content_type="image/png"),
            "attach-public": "on",
        },
        effect=_case_attached,
    ),
    StaffUrl("case_file", get=READ, post=READ, more=_case_file_args),
    # The satisfaction survey.
    StaffUrl("survey_report", get=READ, post=READ),
    StaffUrl("survey_export", get=READ, post=READ, more=lambda scene: ["responses", "csv"], variant="responses-csv"),
    StaffUrl("survey_export", get=READ, post=READ, more=lambda scene: ["summary", "xlsx"], variant="summary-xlsx"),
    StaffUrl("survey_entry", get=WRITE_PAGE, post=WRITE_DONE, data=_paper_data, effect=_paper_saved),
    StaffUrl("survey_import", get=WRITE_PAGE, post=WRITE_DONE, data=_import_data, effect=_imported),
    StaffUrl("survey_import_template", get=READ, post=READ),
    StaffUrl("survey_periods", get=WRITE_PAGE, post=WRITE_DONE, data=_period_data, effect=_period_added),
    StaffUrl(
        "survey_period_delete",
        get=POST_ONLY,
        post=WRITE_DONE,
        more=lambda scene: [scene.period.pk],
        effect=_period_deleted,
    ),
    StaffUrl("survey_action_add", get=POST_ONLY, post=WRITE_DONE, data=_action_data, effect=_action_added),
    StaffUrl(
        "survey_action",
        get=POST_ONLY,
        post=WRITE_DONE,
        more=lambda scene: [scene.action.pk],
        data=_action_done_data,
        effect=_action_done,
    ),
    # Service times: the promise against reality is read-only, GET only (a POST is 405).
    StaffUrl("observation_figures", get=READ, post=row(LOGIN, 405, 405, 405, 405)),
    StaffUrl("observations", get=WRITE_PAGE, post=WRITE_DONE, data=_observation_data, effect=_observation_added),
    StaffUrl(
        "observation_batch",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        data=_observation_batch_data,
        effect=_observation_batch_saved,
    ),
    StaffUrl(
        "observation_import",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        data=_observation_import_data,
        effect=_observations_imported,
    ),
    StaffUrl("observation_import_template", get=READ, post=row(LOGIN, 405, 405, 405, 405)),
    StaffUrl(
        "observation_delete",
        get=POST_ONLY,
        post=WRITE_DONE,
        more=lambda scene: [scene.observation.pk],
        effect=_observation_deleted,
    ),
    # Evaluation rounds: the list and the report are read-only, GET only (a POST is 405).
    StaffUrl("evaluations", get=READ, post=row(LOGIN, 405, 405, 405, 405)),
    StaffUrl(
        "evaluation_new",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        data=lambda scene: round_post_data(scene.charter),
        effect=_round_recorded,
    ),
    StaffUrl("evaluation", get=READ, post=row(LOGIN, 405, 405, 405, 405), more=_round_args()),
    StaffUrl(
        "evaluation_edit",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        more=_round_args(),
        data=_round_edit_data,
        effect=_round_edited,
    ),
    StaffUrl("evaluation_delete", get=WRITE_PAGE, post=WRITE_DONE, more=_round_args(), effect=_round_deleted),
    StaffUrl(
        "evaluation_actions",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        more=_round_args(),
        data=_round_actions_data,
        effect=_round_action_added,
    ),
    StaffUrl(
        "evaluation_action",
        get=POST_ONLY,
        post=WRITE_DONE,
        more=_round_args("action"),
        data=_carried_action_data,
        effect=_carried_action_done,
    ),
    StaffUrl(
        "evaluation_finding_revise",
        get=POST_ONLY,
        post=WRITE_DONE,
        more=_round_args("finding"),
        effect=_finding_revised,
    ),
    # The self-assessment is computed from the data, never typed in: GET only (a POST is 405).
    StaffUrl("self_assessment", get=READ, post=row(LOGIN, 405, 405, 405, 405)),
    # The sign-in pauses of the facility's staff: the head's (and read by a supervisor); lifting
    # one is the head's (a supervisor's POST is refused like every other).
    StaffUrl(
        "sign_in_pauses", get=row(LOGIN, 403, 200, 404, 200), post=row(LOGIN, 403, 200, 404, 200), supervisor_get=200
    ),
    StaffUrl(
        "sign_in_pause_lift",
        get=POST_ONLY,
        post=row(LOGIN, 403, DONE, 404, DONE),
        data=_paused_colleague_data,
        effect=_pause_lifted,
    ),
    # The audit trail is the head's: editors and supervisors find it refused (403).
    StaffUrl("audit", get=row(LOGIN, 403, 200, 404, 200), post=row(LOGIN, 403, 200, 404, 200)),
    StaffUrl(
        "audit_export",
        get=row(LOGIN, 403, 200, 404, 200),
        post=row(LOGIN, 403, 200, 404, 200),
        more=lambda scene: ["csv"],
        variant="csv",
    ),
    # The district dashboard of the facility's regency and its exports.
    StaffUrl("district", get=DISTRICT, post=DISTRICT, supervisor_get=200),
    StaffUrl(
        "district_export", get=DISTRICT, post=DISTRICT, supervisor_get=200, more=lambda scene: ["csv"], variant="csv"
    ),
    StaffUrl(
        "district_export", get=DISTRICT, post=DISTRICT, supervisor_get=200, more=lambda scene: ["xlsx"], variant="xlsx"
    ),
)


def _supervisor_expects(url: StaffUrl, method: str, expected_row: dict[str, Any]) -> Any:
    if method == "get" and url.supervisor_get is not None:
        return url.supervisor_get
    if method == "get" or url.name == "dashboard":  # the dashboard is everyone's own, and changes nothing
        return expected_row["editor"]
    if expected_row["editor"] == 405:  # a method the URL never accepts, whoever asks
        return 405
    return 403


def _cells() -> list[Any]:
    cells = []
    for url in MATRIX:
        states = CHARTER_STATES if url.per_charter else (PUBLISHED,)
        for state in states:
            frozen = url.per_charter and state != DRAFT
            for method in ("get", "post"):
                expected_row = getattr(url, f"frozen_{method}" if frozen else method)
                expected = {**expected_row, SUPERVISOR: _supervisor_expects(url, method, expected_row)}
                for persona in (*PERSONAS, SUPERVISOR):
                    cells.append(
                        pytest.param(
                            url,
                            state,
                            method,
                            persona,
                            expected[persona],
                            id=f"{url.name}{'-' + url.variant if url.variant else ''}-{state}-{method}-{persona}",
                        )
                    )
    return cells


# --- The scene -------------------------------------------------------------------------


def _attach_scan(meeting: StakeholderMeeting) -> MeetingAttachment:
    return MeetingAttachment.objects.create(
        meeting=meeting,
        file=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 berita acara"),
        original_name="berita-acara.pdf",
        content_type="application/pdf",
        size=21,
    )


def _published_with_scan(facility: Facility, head: Any) -> Charter:
    """As `make_published_charter`, with a scan attached to the forum meeting while it could be."""
    draft = make_complete_draft(facility, services=2)
    charter_services.open_consultation(draft, head)
    _attach_scan(record_agreement(draft))
    charter_services.mark_agreed(draft, head)
    charter_services.approve_charter(draft, head)
    return charter_services.publish_charter(draft, head)


FEEDBACK_URL_NAMES = frozenset(pattern.name for pattern in feedback_manage_patterns)
SURVEY_URL_NAMES = frozenset(pattern.name for pattern in survey_manage_patterns)
OBSERVATION_URL_NAMES = frozenset(pattern.name for pattern in observation_manage_patterns)


def _feedback_scene(facility: Facility, head: Any) -> Scene:
    """A complaint just received (with the citizen's photo) and one the citizen reopened. The
    feedback URLs do not depend on the charter: a bare draft stands in for it."""
    case = feedback_services.submit_case(
        facility,
        kind="complaint",
        description="Antrean terlalu lama.",
        name="Budi",
        email="budi@example.org",
        attachment=SimpleUploadedFile("foto.png", PNG_SCAN, content_type="image/png"),
    )
    reopened = feedback_services.submit_case(facility, kind="complaint", description="Obat kosong.")
    feedback_services.reply(reopened, head, "Sudah tersedia.")
    feedback_services.rate_answer(reopened, Rating.NOT_SATISFIED, "Masih kosong.")
    return Scene(
        facility=facility, charter=CharterFactory(facility=facility), service=None, case=case, reopened=reopened
    )


def _survey_scene(facility: Facility, head: Any) -> Scene:
    """A published charter (its services are the survey's), a survey period with a response in
    it, and an open follow-up action on one of its findings."""
    charter = make_published_charter(facility, services=2, head=head)
    today = timezone.localdate()
    period = SurveyPeriod.objects.create(
        facility=facility, name="Semester", start=today.replace(day=1), end=today, population=100
    )
    SurveyResponseFactory(facility=facility, visited_on=today, scores=[4, 3, *[None] * 7], comment="Ramah.")
    action = SurveyAction.objects.create(
        facility=facility,
        element="U3",
        finding_start=period.start,
        finding_end=period.end,
        action="Tambah loket.",
        responsible="Kepala TU",
        due_date=today,
    )
    return Scene(facility=facility, charter=charter, service=charter.services.first(), period=period, action=action)


def _observation_scene(facility: Facility, head: Any) -> Scene:
    """A published charter (its services are the ones observed) and an observation of it."""
    charter = make_published_charter(facility, services=2, head=head)
    service = charter.services.first()
    return Scene(facility=facility, charter=charter, service=service, observation=ObservationFactory(service=service))


EVALUATION_URL_NAMES = frozenset(pattern.name for pattern in evaluation_patterns)


def _evaluation_scene(facility: Facility, head: Any) -> Scene:
    """A published charter in force for ten months, a round of it last week (the first service
    not kept), and the round before it with an open action that the last one carried over."""
    today = timezone.localdate()
    charter = make_published_charter(
        facility, services=2, head=head, effective_date=today - datetime.timedelta(days=300)
    )
    services = list(charter.services.all())

    def held(days_ago: int, *results: str) -> EvaluationRound:
        day = today - datetime.timedelta(days=days_ago)
        content = RoundContent(
            charter=charter,
            started_on=day,
            ended_on=day,
            period_start=day - datetime.timedelta(days=60),
            period_end=day - datetime.timedelta(days=1),
            method="forum",
            public_summary="Ringkasan.",
        )
        findings = [FindingContent(service, result) for service, result in zip(services, results, strict=True)]
        return record_round(facility, head, content, [], findings)

    earlier = held(100, "partly", "kept")
    save_actions(earlier, [ActionContent("Papan antrean", "TU", today)])
    evaluation = held(7, "not_kept", "kept")
    return Scene(
        facility=facility,
        charter=charter,
        service=services[0],
        evaluation=evaluation,
        finding=evaluation.findings.get(result="not_kept"),
        earlier_action=earlier.actions.get(),
    )


def _build_scene(state: str, facility: Facility, head: Any) -> Scene:
    if state == DRAFT:
        charter = make_complete_draft(facility, services=2)
        meeting = StakeholderMeetingFactory(charter=charter)
        MeetingParticipantFactory(meeting=meeting)
        _attach_scan(meeting)
    elif state == PUBLISHED:
        charter = _published_with_scan(facility, head)
    else:
        charter = _published_with_scan(facility, head)
        make_published_charter(facility, services=1, head=head)
        charter.refresh_from_db()
        assert charter.status == CharterStatus.SUPERSEDED
    meeting = charter.meetings.get()
    service = charter.services.first()
    return Scene(
        facility=facility,
        charter=charter,
        service=service,
        meeting=meeting,
        attachment=meeting.attachments.get(),
        comment=ConsultationComment.objects.create(charter=charter, service=service, text="Syaratnya kurang jelas."),
    )


APPS = ("charters", "feedback", "monitoring")


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every charters, feedback and monitoring model, and the sign-in attempts (not
    axes' log of sign-ins, which a test's own sign-in adds to), to prove that a refused request
    changed nothing."""
    models = [
        model for app in ("charters", "feedback", "monitoring") for model in apps.get_app_config(app).get_models()
    ]
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in [*models, AccessAttempt]}


@pytest.fixture
def personas(editor: Any, head: Any, other_editor: Any, superuser: Any, supervisor: Any) -> dict[str, Any]:
    return {
        "anonymous": None,
        "editor": editor,
        "head": head,
        "other_editor": other_editor,
        "superuser": superuser,
        SUPERVISOR: supervisor,
    }


@pytest.mark.parametrize(("url", "state", "method", "persona", "expected"), _cells())
def test_staff_url_answers_each_persona(
    client: Client,
    facility: Facility,
    personas: dict[str, Any],
    url: StaffUrl,
    state: str,
    method: str,
    persona: str,
    expected: Any,
) -> None:
    if url.name in FEEDBACK_URL_NAMES:
        scene = _feedback_scene(facility, personas["head"])
    elif url.name in SURVEY_URL_NAMES:
        scene = _survey_scene(facility, personas["head"])
    elif url.name in OBSERVATION_URL_NAMES:
        scene = _observation_scene(facility, personas["head"])
    elif url.name in EVALUATION_URL_NAMES:
        scene = _evaluation_scene(facility, personas["head"])
    else:
        scene = _build_scene(state, facility, personas["head"])
    if personas[persona] is not None:
        client.force_login(personas[persona])
    path = reverse(f"manage:{url.name}", args=url.args(scene))
    data = url.data(scene) if method == "post" and url.data else {}
    before = snapshot()

    response = client.post(path, data) if method == "post" else client.get(path)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    elif expected in (DONE, BACK):
        assert response.status_code == 302
        assert not response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected
    if method == "post" and expected == DONE and url.effect:
        url.effect(scene)
    elif method == "post":
        assert snapshot() == before, "a refused or read-only request changed the database"
    changed = method == "post" and snapshot() != before
    _check_audit(url.name, changed, expected == 200, personas[persona])


def _check_audit(name: str, changed: bool, read: bool, user: Any) -> None:
    """A request that changed the database, and an export or file handed over, leave one entry
    naming the person; a refused or read-only request leaves none."""
    action = f"manage:{name}"
    assert action in audit_actions.CHANGES or not changed, f"{action} changes data: add it to audit.actions.CHANGES"
    entries = list(audit.Entry.objects.exclude(action__in=audit_actions.EVENTS).values_list("action", "actor_id"))
    recorded = changed or (read and action in audit_actions.READS)
    assert entries == ([(action, user.pk)] if recorded else []), entries


def test_superseded_scene_keeps_a_published_charter_alongside(facility: Facility, head: Any) -> None:
    """The superseded cells would prove nothing if the facility had no newer published charter."""
    scene = _build_scene(SUPERSEDED, facility, head)
    assert facility.charters.filter(status=CharterStatus.PUBLISHED).exclude(pk=scene.charter.pk).exists()


# --- The matrix covers every manage URL ------------------------------------------------------


def manage_url_names() -> set[str]:
    """Every URL name in the `manage` namespace, found by walking the resolver."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(n for n in (namespace, pattern.namespace) if n)
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace == "manage":
                names.add(pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_manage_url_is_in_the_matrix() -> None:
    names = manage_url_names()
    assert "charter_publish" in names  # the walk reaches the nested charter patterns
    missing = names - {url.name for url in MATRIX}
    assert not missing, f"add these manage URLs to the permission matrix: {sorted(missing)}"


def test_matrix_lists_no_url_that_does_not_exist() -> None:
    assert {url.name for url in MATRIX} <= manage_url_names()


# --- The account pages under /accounts/ --------------------------------------------------------
# Each signed-in persona reaches only their own account, so every one answers alike: the expected
# (GET, POST) for a signed-in user without two-factor sign-in; anonymous visitors go to the login.
# A POST sends no data: nothing may change. A page named by its URL name: a redirect there.
ACCOUNT_PAGES: dict[str, tuple[Any, Any]] = {
    "two_factor": (200, 200),  # the setup page; the empty code is refused next to its field
    "two_factor_codes": ("two_factor", 405),  # no codes just made: back to the setup page
    "two_factor_new_codes": (405, "two_factor"),  # nothing to renew without two-factor sign-in
    "two_factor_off": ("two_factor", "two_factor"),  # nothing to turn off
    "password_change": (200, 200),
    "password_change_done": (200, 405),
}
# Open to everyone, signed in or not: signing in and out, and resetting a forgotten password.
PUBLIC_ACCOUNT_PAGES = frozenset(
    {
        "login",
        "login_code",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("persona", [*PERSONAS, SUPERVISOR])
@pytest.mark.parametrize("name", sorted(ACCOUNT_PAGES))
def test_account_page_answers_each_persona(
    client: Client, personas: dict[str, Any], name: str, persona: str, method: str
) -> None:
    if personas[persona] is not None:
        client.force_login(personas[persona])
    before = snapshot()

    response = getattr(client, method)(reverse(name))

    expected = ACCOUNT_PAGES[name][method == "post"]
    if persona == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    elif isinstance(expected, str):
        assert response.status_code == 302 and response["Location"] == reverse(expected)
    else:
        assert response.status_code == expected
    assert snapshot() == before


def test_every_account_url_is_in_the_matrix() -> None:
    names = {pattern.name for pattern in account_patterns}
    assert names == set(ACCOUNT_PAGES) | PUBLIC_ACCOUNT_PAGES
