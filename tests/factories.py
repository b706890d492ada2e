"""factory-boy factories for both apps, and helpers that take a charter through its lifecycle."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.text import slugify

from charters import services as charter_services
from charters.models import (
    AgreementDecision,
    Charter,
    CharterStatus,
    Clause,
    ClauseKind,
    ClauseParty,
    DurationUnit,
    Facility,
    FacilityKind,
    MeetingParticipant,
    Membership,
    MembershipRole,
    ParticipantGroup,
    ProcedureStep,
    Requirement,
    ScheduleSlot,
    ServiceCategory,
    ServiceMethod,
    ServiceStandard,
    StakeholderMeeting,
    Weekday,
)
from feedback import codes
from feedback.models import (
    DEFAULT_CLASS_FOR_KIND,
    Case,
    CaseEvent,
    CaseStatus,
    EventKind,
    FeedbackKind,
    FeedbackSettings,
    SurveyResponse,
)
from feedback.services import due_date_for
from feedback.survey.ikm import ELEMENTS
from monitoring.models import ServiceObservation

PASSWORD = "pw"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)
    is_active = True

    class Params:
        superuser = factory.Trait(is_superuser=True, is_staff=True)


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    name = factory.Sequence(lambda n: f"Puskesmas Soko {n}")
    slug = factory.LazyAttribute(lambda f: slugify(f.name))
    kind = FacilityKind.PUSKESMAS
    address = "Jl. Raya Soko No. 1"
    village = "Soko"
    district = "Soko"
    regency = "Kabupaten Tuban"
    province = "Jawa Timur"
    phone = "0356 123456"
    vision = "Pelayanan kesehatan dasar yang ramah, profesional dan partisipatif."
    mission = "- Memberikan pelayanan yang bermutu\n- Menggerakkan peran serta masyarakat"
    head_name = "dr. Siti Aminah"
    head_title = "Kepala Puskesmas Soko"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    facility = factory.SubFactory(FacilityFactory)
    role = MembershipRole.EDITOR

    class Params:
        head = factory.Trait(role=MembershipRole.HEAD)


def _next_version(charter: Any) -> int:
    facility = charter.facility
    if facility.pk is None:
        return 1
    return (Charter.objects.filter(facility=facility).aggregate(m=Max("version"))["m"] or 0) + 1


class CharterFactory(factory.django.DjangoModelFactory):
    """A draft by default. `published=True` stores a bare published charter (no services):
    enough for constraint tests; use `make_published_charter()` for a real one."""

    class Meta:
        model = Charter

    facility = factory.SubFactory(FacilityFactory)
    version = factory.LazyAttribute(_next_version)
    status = CharterStatus.DRAFT
    complaint_info = "Kotak pengaduan di ruang tunggu, WhatsApp 0812 0000 0000; dijawab dalam 5 hari kerja."

    class Params:
        published = factory.Trait(status=CharterStatus.PUBLISHED, published_at=factory.LazyFunction(timezone.now))


class ServiceStandardFactory(factory.django.DjangoModelFactory):
    """A service with every scalar component filled in; add children for a complete one."""

    class Meta:
        model = ServiceStandard

    charter = factory.SubFactory(CharterFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Poli Umum {n}")
    slug = factory.LazyAttribute(lambda s: slugify(s.name))
    category = ServiceCategory.CLINICAL
    description = "Pemeriksaan dan pengobatan umum."
    duration_value = 15
    duration_unit = DurationUnit.MINUTES
    fee_is_free = True
    fee_amount = None
    fee_note = "Gratis bagi peserta JKN/BPJS."
    methods = factory.LazyFunction(lambda: [ServiceMethod.WALK_IN.value])
    product = "Pelayanan pemeriksaan dan resep obat."
    complaint_handling = "Kotak saran, SMS pengaduan, atau langsung kepada kepala puskesmas."

    class Params:
        paid = factory.Trait(fee_is_free=False, fee_amount=10000, fee_legal_basis="Perda Kabupaten Tuban No. 1/2020")


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    service = factory.SubFactory(ServiceStandardFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Kartu JKN/BPJS atau KTP ({n})")


class ProcedureStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureStep

    service = factory.SubFactory(ServiceStandardFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Pasien mendaftar di loket pendaftaran ({n})")


class ScheduleSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduleSlot

    service = factory.SubFactory(ServiceStandardFactory)
    weekday = Weekday.MONDAY
    opens = time(7, 30)
    closes = time(14, 0)


class ClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clause

    charter = factory.SubFactory(CharterFactory)
    party = ClauseParty.USER
    kind = ClauseKind.RIGHT
    text = factory.Sequence(lambda n: f"Mendapatkan pelayanan yang ramah ({n})")
    position = factory.Sequence(lambda n: n + 1)


def make_complete_service(charter: Charter, **kwargs: Any) -> ServiceStandard:
    """A service with a requirement, a step and a schedule slot: nothing keeps it from publishing."""
    service = ServiceStandardFactory(charter=charter, **kwargs)
    RequirementFactory(service=service)
    ProcedureStepFactory(service=service)
    ScheduleSlotFactory(service=service)
    return service


def make_complete_draft(facility: Facility | None = None, services: int = 2, **kwargs: Any) -> Charter:
    """A draft that may be published as it is: `services` complete services and two clauses."""
    charter = CharterFactory(facility=facility or FacilityFactory(), **kwargs)
    for _ in range(services):
        make_complete_service(charter)
    ClauseFactory(charter=charter, party=ClauseParty.USER, kind=ClauseKind.RIGHT)
    ClauseFactory(charter=charter, party=ClauseParty.PROVIDER, kind=ClauseKind.OBLIGATION)
    return charter


class StakeholderMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderMeeting

    charter = factory.SubFactory(CharterFactory)
    date = factory.LazyFunction(timezone.localdate)
    place = "Aula Puskesmas"
    agenda = "Pembahasan rancangan standar pelayanan"


class MeetingParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingParticipant

    meeting = factory.SubFactory(StakeholderMeetingFactory)
    name = factory.Sequence(lambda n: f"Peserta {n}")
    group = ParticipantGroup.USER
    signed = True


def record_agreement(charter: Charter) -> StakeholderMeeting:
    """A forum meeting signed by all three groups, and every service agreed as drafted."""
    meeting = StakeholderMeetingFactory(charter=charter)
    for group in ParticipantGroup.values:
        MeetingParticipantFactory(meeting=meeting, group=group)
    charter.services.update(agreement=AgreementDecision.AGREED)
    return meeting


def approve_draft(draft: Charter, head: Any) -> Charter:
    """Take a complete draft through consultation and the forum to the head's approval."""
    charter_services.open_consultation(draft, head)
    record_agreement(draft)
    charter_services.mark_agreed(draft, head)
    return charter_services.approve_charter(draft, head)


def publish_draft(draft: Charter, head: Any, effective_date: date | None = None) -> Charter:
    """Walk a complete draft through the lifecycle and publish it from `effective_date` (today).

    A later date only schedules it (see `services.take_effect`). A past date is published as if
    on that day (the service's `now`), so tests can build a charter in force since a given date.
    """
    approved = approve_draft(draft, head)
    if effective_date is None or effective_date >= timezone.localdate():
        return charter_services.publish_charter(approved, head, effective_date)
    then = timezone.make_aware(datetime.combine(effective_date, time(9)))
    return charter_services.publish_charter(approved, head, effective_date, now=then)


def make_approved_charter(facility: Facility | None = None, services: int = 2, head: Any = None) -> Charter:
    """A complete version taken through consultation and the forum, approved by the head."""
    facility = facility or FacilityFactory()
    if head is None:
        head = MembershipFactory(facility=facility, head=True).user
    return approve_draft(make_complete_draft(facility, services=services), head)


def make_published_charter(
    facility: Facility | None = None,
    services: int = 2,
    head: Any = None,
    effective_date: date | None = None,
    **fields: Any,
) -> Charter:
    """Take a complete draft through the whole lifecycle and publish it, as a head would.

    Without `head`, a new user is made head of the facility. `fields` are the charter's own (e.g.
    its complaint norms). Any published charter of the
    facility becomes superseded; the facility must not have a version in progress already.
    """
    facility = facility or FacilityFactory()
    if head is None:
        head = MembershipFactory(facility=facility, head=True).user
    return publish_draft(make_complete_draft(facility, services=services, **fields), head, effective_date)


# --- Feedback ----------------------------------------------------------------------------------


class CaseFactory(factory.django.DjangoModelFactory):
    """A case as `submit_case` stores it: a tracking code with the facility's prefix, the class
    its kind starts in, the deadline from the facility's time norms, the public "received"
    event. The citizen gave a name, phone and e-mail unless `anonymous=True`.

    Give `status`, `received_at`, `due_date`, `first_reply_at` … to place the case anywhere in
    its life without going through the services; a closed or rejected case gets `closed_at`
    (and a rejection reason) unless they are given. No e-mail is queued.
    """

    class Meta:
        model = Case
        skip_postgeneration_save = True

    facility = factory.SubFactory(FacilityFactory)
    code = factory.LazyAttribute(lambda c: codes.generate(FeedbackSettings.for_facility(c.facility).code_prefix))
    kind = FeedbackKind.COMPLAINT
    complaint_class = factory.LazyAttribute(lambda c: DEFAULT_CLASS_FOR_KIND[c.kind])
    status = CaseStatus.RECEIVED
    description = "Antrean di loket pendaftaran terlalu lama."
    anonymous = False
    name = factory.LazyAttribute(lambda c: "" if c.anonymous else "Budi Santoso")
    phone = factory.LazyAttribute(lambda c: "" if c.anonymous else "081234567890")
    email = factory.LazyAttribute(lambda c: "" if c.anonymous else "budi@example.org")
    # The citizen's language is the one the page was read in, as in `submit_case`.
    language = factory.LazyFunction(lambda: translation.get_language() or "id")
    received_at = factory.LazyFunction(timezone.now)
    due_date = factory.LazyAttribute(
        lambda c: due_date_for(c.facility, c.complaint_class, timezone.localdate(c.received_at))
    )
    first_reply_at = None
    closed_at = factory.LazyAttribute(
        lambda c: (c.first_reply_at or timezone.now()) if c.status in (CaseStatus.CLOSED, CaseStatus.REJECTED) else None
    )
    rejection_reason = factory.LazyAttribute(lambda c: "Spam" if c.status == CaseStatus.REJECTED else "")

    @factory.post_generation
    def received_event(case: Case, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            CaseEvent.objects.create(
                case=case,
                kind=EventKind.RECEIVED,
                public=True,
                by_citizen=case.entered_by is None,
                author=case.entered_by,
                to_status=CaseStatus.RECEIVED,
                created_at=case.received_at,
            )


def _score(number: int) -> Any:
    def pick(response: Any) -> int | None:
        # Nine scores or none: a short list would silently leave the last questions skipped.
        assert len(response.scores) == len(ELEMENTS), "give a score (or None) for each of U1…U9"
        return response.scores[number - 1]

    return factory.LazyAttribute(pick)


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    """A questionnaire as stored, about a visit three days ago. `scores` gives U1…U9 in the
    elements' order (None: the respondent skipped the question); 3 everywhere unless given."""

    class Meta:
        model = SurveyResponse

    class Params:
        scores = (3,) * len(ELEMENTS)

    facility = factory.SubFactory(FacilityFactory)
    visited_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    u1 = _score(1)
    u2 = _score(2)
    u3 = _score(3)
    u4 = _score(4)
    u5 = _score(5)
    u6 = _score(6)
    u7 = _score(7)
    u8 = _score(8)
    u9 = _score(9)


class ObservationFactory(factory.django.DjangoModelFactory):
    """A user of `service` (give one of a published charter) who arrived yesterday at 08:00 and
    was served in 20 minutes; the facility is the service's."""

    class Meta:
        model = ServiceObservation

    service = factory.SubFactory(ServiceStandardFactory)
    facility = factory.LazyAttribute(lambda observation: observation.service.charter.facility)
    arrived_at = factory.LazyFunction(
        lambda: timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=1), time(8, 0)))
    )
    duration_minutes = 20
