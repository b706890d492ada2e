"""Fill the database with a demo: two Puskesmas in Kabupaten Tuban with the history of their charters,
and staff users.

Puskesmas Soko gets the history of a real citizen charter: version 1 agreed with its users and
stakeholders in 2013 (now superseded), version 2 revised after the evaluation of August 2015 (the
published one), and version 3 in public consultation with comments. Puskesmas Rengel gets one
published version. Every step goes through the service functions the staff pages use, replayed on
the day it happened (see `step`).

Safe to run again: facilities, users and memberships are updated in place, and a facility that
already has charters keeps them (agreed and published versions are immutable anyway). Passwords
are set on every run, so the ones printed at the end always work.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from simple_history.models import HistoricalRecords

from charters.consultation import reply_to_comment
from charters.management.demo_data import (
    CLAUSES,
    COMMON_COMPONENTS,
    RENGEL_FORUM_PARTICIPANTS,
    RENGEL_SERVICES,
    SOKO_2013_CHANGES,
    SOKO_2013_FORUM,
    SOKO_2013_SERVICES,
    SOKO_2015_CHANGES,
    SOKO_2015_MEETINGS,
    SOKO_REVISION_COMMENTS,
    SOKO_REVISION_SERVICES,
    SOKO_SERVICES,
    Comment,
    Meeting,
    Slot,
)
from charters.management.demo_survey import seed_survey
from charters.models import (
    DEFAULT_PLEDGE,
    AgreementDecision,
    Charter,
    Clause,
    ConsultationComment,
    Facility,
    FacilityKind,
    MeetingParticipant,
    Membership,
    MembershipRole,
    ProcedureStep,
    Requirement,
    ScheduleSlot,
    ServiceStandard,
    StakeholderMeeting,
)
from charters.services import (
    approve_charter,
    mark_agreed,
    open_consultation,
    publish_charter,
    start_draft,
    take_effect,
)
from feedback import notifications, services as feedback_services
from feedback.models import (
    DEFAULT_CLASS_FOR_KIND,
    Case,
    CaseAttachment,
    CaseEvent,
    Channel,
    ComplaintClass,
    FeedbackKind,
    Rating,
)
from feedback.services import due_date_for
from feedback.workdays import calendar_for, national_holidays

# --- Replaying the past -------------------------------------------------------------


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Run code as if at `moment`.

    The service functions stamp agreement, approval and publication, the charter's events and the
    change history with `timezone.now()`, and take "today" from `timezone.localdate()`, which reads
    it too. Moving that one clock replays the real workflow on its historical days, so every date
    agrees with every other, instead of writing the frozen fields of a version behind its back.
    """
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


@contextmanager
def step(moment: datetime, user: Any) -> Iterator[None]:
    """One step of the demo's history, done by `user` at `moment` as through the staff pages.

    The pages run under simple_history's middleware, which credits every change to the signed-in
    user; a stand-in request does the same here, so the change history names who did what.
    """
    context = HistoricalRecords.context
    outer = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        with clock_at(moment):
            yield
    finally:
        if outer is None:
            del context.request
        else:
            context.request = outer


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@dataclass(frozen=True)
class VersionPlan:
    """One version of a facility's charter and when each step of its lifecycle happened.

    The version goes as far as its dates go: without `agreed` it stays in consultation; with an
    `effective` date later than `published` it is scheduled first and takes effect on that day.
    """

    services: list[dict[str, Any]]
    drafted: datetime
    consultation: datetime
    consultation_note: str = ""
    meetings: list[Meeting] = field(default_factory=list)
    changes: dict[str, str] = field(default_factory=dict)  # slug: what the forum changed
    agreed: datetime | None = None
    agreement_note: str = ""
    approved: datetime | None = None
    approval_note: str = ""
    published: datetime | None = None
    effective: date | None = None
    comments: list[Comment] = field(default_factory=list)


def soko_history(now: datetime) -> list[VersionPlan]:
    return [
        VersionPlan(
            SOKO_2013_SERVICES,
            drafted=at(date(2013, 4, 1)),
            consultation=at(date(2013, 4, 22)),
            consultation_note="Rancangan dibahas bersama pengguna layanan dan pemangku kepentingan, difasilitasi "
            "IDFoS Indonesia.",
            meetings=[SOKO_2013_FORUM],
            changes=SOKO_2013_CHANGES,
            agreed=at(date(2013, 6, 11), 12),
            agreement_note="Disepakati dalam Forum Konsultasi Publik 11 Juni 2013.",
            approved=at(date(2013, 6, 17), 10),
            approval_note="Ditetapkan dengan Keputusan Kepala UPTD Puskesmas Soko.",
            published=at(date(2013, 7, 1), 8),
            effective=date(2013, 7, 1),
        ),
        VersionPlan(
            SOKO_SERVICES,
            drafted=at(date(2015, 8, 24)),
            consultation=at(date(2015, 8, 31)),
            consultation_note="Revisi berdasarkan hasil monitoring dan evaluasi Agustus 2015.",
            meetings=SOKO_2015_MEETINGS,
            changes=SOKO_2015_CHANGES,
            agreed=at(date(2015, 9, 15), 12),
            agreement_note="Disepakati dalam Forum Konsultasi Publik 15 September 2015.",
            approved=at(date(2015, 9, 21), 10),
            approval_note="Ditetapkan dengan Keputusan Kepala UPTD Puskesmas Soko.",
            published=at(date(2015, 9, 21), 11),
            effective=date(2015, 10, 1),
        ),
        VersionPlan(
            SOKO_REVISION_SERVICES,
            drafted=now - timedelta(days=30),
            consultation=now - timedelta(days=21),
            consultation_note="Usulan perubahan: pendaftaran melalui Mobile JKN, hasil laboratorium lebih cepat, "
            "dan layanan kesehatan lansia.",
            comments=SOKO_REVISION_COMMENTS,
        ),
    ]


def rengel_history(now: datetime) -> list[VersionPlan]:
    """One version in force since the first of this month, so its yearly review is not yet due."""
    effective = timezone.localtime(now).date().replace(day=1)
    forum = effective - timedelta(days=35)
    return [
        VersionPlan(
            RENGEL_SERVICES,
            drafted=at(effective - timedelta(days=70)),
            consultation=at(effective - timedelta(days=56)),
            meetings=[
                Meeting(
                    date=forum,
                    place="Aula UPTD Puskesmas Rengel",
                    agenda="Forum Konsultasi Publik: kesepakatan standar pelayanan dan maklumat pelayanan.",
                    minutes=(
                        "Tim maklumat memaparkan rancangan standar pelayanan lima jenis layanan. Peserta "
                        "menyepakati rancangan tanpa perubahan dan menandatangani berita acara."
                    ),
                    participants=RENGEL_FORUM_PARTICIPANTS,
                )
            ],
            agreed=at(forum, 12),
            approved=at(effective - timedelta(days=14), 10),
            published=at(effective, 7, 30),
            effective=effective,
        )
    ]


# --- Facilities and users -----------------------------------------------------------


@dataclass(frozen=True)
class FacilitySeed:
    slug: str
    profile: dict[str, str]
    complaint_info: str
    editor: str  # username that drafts, consults and records the forum
    publisher: str  # username that approves and publishes: the head, or the superuser where the demo has no head
    history: Callable[[datetime], list[VersionPlan]]  # the versions to build, given the time of the run


FACILITIES: list[FacilitySeed] = [
    FacilitySeed(
        slug="pkm-soko",
        profile={
            "name": "Puskesmas Soko",
            "kind": FacilityKind.PUSKESMAS,
            "address": "Jl. Raya Soko No. 1",
            "village": "Soko",
            "district": "Soko",
            "regency": "Kabupaten Tuban",
            "province": "Jawa Timur",
            "phone": "(0356) 551234",
            "email": "pkm-soko@example.org",
            "vision": (
                "Mewujudkan pelayanan kesehatan dasar yang ramah, profesional, dan partisipatif menuju masyarakat "
                "Soko yang sehat dan mandiri."
            ),
            "mission": "\n".join(
                [
                    "Memberikan pelayanan kesehatan dasar yang bermutu, merata dan terjangkau.",
                    "Melayani dengan ramah, sopan dan tanpa membeda-bedakan.",
                    "Meningkatkan profesionalisme dan kompetensi petugas.",
                    "Melibatkan masyarakat dalam perencanaan dan pengawasan pelayanan.",
                    "Mendorong kemandirian masyarakat untuk hidup bersih dan sehat.",
                ]
            ),
            "head_name": "dr. Ahmad Fauzi",
            "head_title": "Kepala UPTD Puskesmas Soko",
        },
        complaint_info=(
            "Sampaikan pengaduan, saran dan masukan melalui kotak saran di ruang tunggu, telepon atau WhatsApp "
            "(0356) 551234, langsung kepada petugas di meja informasi, atau melalui SP4N-LAPOR! (lapor.go.id). "
            "Setiap pengaduan dicatat dan diberi nomor. Pengaduan ringan dijawab paling lambat 2 hari kerja, "
            "pengaduan lain paling lambat 5 hari kerja, dan pengaduan yang memerlukan pemeriksaan lapangan paling "
            "lambat 14 hari kerja. Hasil kotak saran dibahas setiap bulan dalam lokakarya mini."
        ),
        editor="soko-editor",
        publisher="soko-head",
        history=soko_history,
    ),
    FacilitySeed(
        slug="pkm-rengel",
        profile={
            "name": "Puskesmas Rengel",
            "kind": FacilityKind.PUSKESMAS,
            "address": "Jl. Raya Rengel No. 12",
            "village": "Rengel",
            "district": "Rengel",
            "regency": "Kabupaten Tuban",
            "province": "Jawa Timur",
            "phone": "(0356) 811234",
            "email": "pkm-rengel@example.org",
            "vision": "Terwujudnya masyarakat Rengel yang sehat, mandiri dan berkeadilan.",
            "mission": "\n".join(
                [
                    "Menyelenggarakan pelayanan kesehatan dasar yang bermutu dan terjangkau.",
                    "Menggerakkan peran serta masyarakat dalam pembangunan kesehatan.",
                    "Meningkatkan kompetensi dan disiplin petugas.",
                ]
            ),
            "head_name": "dr. Endang Susilowati",
            "head_title": "Kepala UPTD Puskesmas Rengel",
        },
        complaint_info=(
            "Sampaikan pengaduan melalui kotak saran, telepon atau WhatsApp (0356) 811234, atau langsung kepada "
            "Kepala Puskesmas. Pengaduan dijawab paling lambat 5 hari kerja."
        ),
        editor="other-editor",
        publisher="admin",
        history=rengel_history,
    ),
]


@dataclass(frozen=True)
class UserSeed:
    username: str
    first_name: str
    last_name: str
    facility: str | None = None  # slug of the facility the user works at
    role: MembershipRole | None = None
    superuser: bool = False


USERS: list[UserSeed] = [
    UserSeed("admin", "Admin", "Maklumat", superuser=True),
    UserSeed("soko-editor", "Siti", "Nurhayati", "pkm-soko", MembershipRole.EDITOR),
    UserSeed("soko-head", "Ahmad", "Fauzi", "pkm-soko", MembershipRole.HEAD),
    UserSeed("other-editor", "Bambang", "Setiawan", "pkm-rengel", MembershipRole.EDITOR),
]


# --- Building -----------------------------------------------------------------------


def seed_facility(seed: FacilitySeed) -> Facility:
    facility, _created = Facility.objects.update_or_create(slug=seed.slug, defaults=seed.profile)
    return facility


def seed_user(seed: UserSeed, password: str, facilities: dict[str, Facility]) -> Any:
    user, _created = get_user_model().objects.get_or_create(username=seed.username)
    user.first_name = seed.first_name
    user.last_name = seed.last_name
    user.email = f"{seed.username}@example.org"
    user.is_active = True
    user.is_staff = seed.superuser
    user.is_superuser = seed.superuser
    user.set_password(password)
    user.save()
    if seed.facility and seed.role:
        Membership.objects.update_or_create(user=user, facility=facilities[seed.facility], defaults={"role": seed.role})
    return user


# What makes up a service's standard; its position, the forum's decision and bookkeeping do not.
STANDARD_FIELDS = [
    f.name
    for f in ServiceStandard._meta.concrete_fields
    if f.name
    not in {"id", "charter", "position", "agreement", "agreement_note", "revision", "created_at", "updated_at"}
]


def service_parts(data: dict[str, Any]) -> tuple[dict[str, Any], list[str], list[str], list[Slot]]:
    """(model fields, requirements, steps, opening hours) of one service of the demo data."""
    fields = {**COMMON_COMPONENTS, **data}
    requirements: list[str] = fields.pop("requirements")
    steps: list[str] = fields.pop("steps")
    schedule: list[Slot] = fields.pop("schedule")
    fields["duration_value"], fields["duration_unit"] = fields.pop("duration")
    fields["fee_amount"] = fields.pop("fee_amount")
    fields["fee_is_free"] = fields["fee_amount"] is None
    return fields, requirements, steps, schedule


def write_service(charter: Charter, position: int, data: dict[str, Any]) -> ServiceStandard:
    """Make the draft's service with this slug say what `data` says, as an editor would.

    A revision starts as a copy of the published version, so only what really changed is saved:
    the change history and the diff between versions show the revision, not a rewrite.
    """
    fields, requirements, steps, schedule = service_parts(data)
    service = charter.services.filter(slug=fields["slug"]).first()
    if service is None:
        service = ServiceStandard(charter=charter, position=position, **fields)
        service.full_clean()
        service.save()
    else:
        if service.position != position:
            # Moving a service is not a change of its standard (see services.move_service).
            ServiceStandard.objects.filter(pk=service.pk).update(position=position)
        wanted = ServiceStandard(**fields)  # with the model's defaults for what `data` leaves out
        changed = [name for name in STANDARD_FIELDS if getattr(service, name) != getattr(wanted, name)]
        if changed:
            for name in changed:
                setattr(service, name, getattr(wanted, name))
            service.full_clean()
            service.revision += 1
            service.save()
    if [r.text for r in service.requirements.all()] != requirements:
        service.requirements.all().delete()
        Requirement.objects.bulk_create(
            Requirement(service=service, position=i, text=text) for i, text in enumerate(requirements, start=1)
        )
    if [s.text for s in service.steps.all()] != steps:
        service.steps.all().delete()
        ProcedureStep.objects.bulk_create(
            ProcedureStep(service=service, position=i, text=text) for i, text in enumerate(steps, start=1)
        )
    if [(s.weekday, s.opens, s.closes) for s in service.schedule_slots.order_by("weekday", "opens")] != sorted(
        schedule
    ):
        service.schedule_slots.all().delete()
        ScheduleSlot.objects.bulk_create(
            ScheduleSlot(service=service, weekday=day, opens=opens, closes=closes) for day, opens, closes in schedule
        )
    return service


def write_charter(charter: Charter, seed: FacilitySeed, services: list[dict[str, Any]], editor: Any) -> None:
    """Write the draft's content: the pledge, rights and obligations, and the services in order."""
    if (charter.pledge, charter.complaint_info) != (DEFAULT_PLEDGE, seed.complaint_info):
        charter.pledge = DEFAULT_PLEDGE
        charter.complaint_info = seed.complaint_info
        charter.updated_by = editor
        charter.save(update_fields=["pledge", "complaint_info", "updated_by", "updated_at"])
    if not charter.clauses.exists():
        position = 0
        for party, kind, texts in CLAUSES:
            for text in texts:
                position += 1
                Clause.objects.create(charter=charter, party=party, kind=kind, text=text, position=position)
    slugs = {data["slug"] for data in services}
    for service in charter.services.exclude(slug__in=slugs):
        service.delete()
    for position, data in enumerate(services, start=1):
        write_service(charter, position, data)


def record_meeting(charter: Charter, meeting: Meeting, editor: Any) -> StakeholderMeeting:
    record = StakeholderMeeting.objects.create(
        charter=charter,
        date=meeting.date,
        place=meeting.place,
        agenda=meeting.agenda,
        minutes=meeting.minutes,
        created_by=editor,
    )
    MeetingParticipant.objects.bulk_create(
        MeetingParticipant(
            meeting=record,
            name=p.name,
            organisation=p.organisation,
            group=p.group,
            position=p.position,
            signed=p.signed,
        )
        for p in meeting.participants
    )
    return record


def record_decisions(charter: Charter, changes: dict[str, str]) -> None:
    """The forum's decision on every service: agreed as drafted, or with the changes noted."""
    charter.services.update(agreement=AgreementDecision.AGREED, agreement_note="")
    for slug, note in changes.items():
        charter.services.filter(slug=slug).update(agreement=AgreementDecision.AGREED_WITH_CHANGES, agreement_note=note)


def receive_comments(charter: Charter, comments: list[Comment], now: datetime, editor: Any) -> None:
    for item in comments:
        sent = now - timedelta(days=item.days_ago)
        with clock_at(sent):
            comment = ConsultationComment.objects.create(
                charter=charter,
                service=charter.services.get(slug=item.service) if item.service else None,
                author_name=item.author,
                text=item.text,
            )
        if item.reply:
            with step(sent + timedelta(days=2), editor):
                reply_to_comment(comment, editor, item.reply)


def build_version(
    facility: Facility, seed: FacilitySeed, plan: VersionPlan, now: datetime, editor: Any, head: Any
) -> Charter:
    """Take one version as far through the lifecycle as its plan goes, each step on its day."""
    with step(plan.drafted, editor):
        charter = start_draft(facility, editor)
        write_charter(charter, seed, plan.services, editor)
    with step(plan.consultation, editor):
        charter = open_consultation(charter, editor, plan.consultation_note)
    for meeting in plan.meetings:
        with step(at(meeting.date), editor):
            record_meeting(charter, meeting, editor)
    receive_comments(charter, plan.comments, now, editor)
    if plan.agreed is None:
        return charter
    with step(plan.agreed, editor):
        record_decisions(charter, plan.changes)
        charter = mark_agreed(charter, editor, plan.agreement_note)
    assert plan.approved and plan.published and plan.effective
    with step(plan.approved, head):
        charter = approve_charter(charter, head, plan.approval_note)
    with step(plan.published, head):
        charter = publish_charter(charter, head, plan.effective)
    if charter.is_scheduled:
        # The first visitor on the effective date makes it the public version (no one signed in).
        with step(at(plan.effective, 7), AnonymousUser()):
            take_effect(facility)
        charter.refresh_from_db()
    return charter


# --- Complaints, suggestions, compliments and questions -------------------------------


@dataclass(frozen=True)
class Act:
    """One thing that happened to a demo case, `day` days after it was received, at `hour`.

    `do` names the service function: start, assign, note, reply, close, reject, reclassify (to the
    class in `value`), information and rate (with the rating in `value`) — the last two by the
    citizen, the others by `by`.
    """

    day: int
    hour: float
    do: str
    by: str = ""
    text: str = ""
    value: str = ""


@dataclass(frozen=True)
class CasePlan:
    """A case as the citizen sent it, and what happened to it since.

    `days_ago` counts back from the day of the run; `None` means "received on the working day that
    makes the answer due today" (or on the next working day), so the inbox always has a case due soon.
    """

    days_ago: int | None
    hour: float
    kind: FeedbackKind
    channel: Channel
    service: str | None  # slug in the published charter
    description: str
    name: str = ""
    phone: str = ""
    email: str = ""
    anonymous: bool = False
    occurred_days_before: int | None = None
    acts: list[Act] = field(default_factory=list)


K, C = FeedbackKind, Channel
EDITOR, HEAD = "soko-editor", "soko-head"

SOKO_CASES: list[CasePlan] = [
    CasePlan(
        85,
        7.75,
        K.COMPLAINT,
        C.WEB,
        "pendaftaran",
        "Saya antre di loket pendaftaran sejak jam 07.00 dan baru dipanggil jam 09.30. Nomor antrean tidak urut: "
        "pasien yang datang belakangan dipanggil lebih dulu tanpa penjelasan.",
        name="Sri Wahyuni",
        phone="081331245876",
        email="sri.wahyuni@example.net",
        occurred_days_before=1,
        acts=[
            Act(0, 10.5, "start", EDITOR),
            Act(
                1,
                9,
                "note",
                EDITOR,
                "Hari itu satu petugas loket cuti, loket hanya buka satu. Yang dipanggil lebih dulu adalah pasien "
                "lansia dan ibu hamil (prioritas sesuai SOP), tetapi hal itu tidak diumumkan.",
            ),
            Act(
                2,
                10,
                "reply",
                EDITOR,
                "Terima kasih atas laporan Ibu. Pada hari itu salah satu petugas loket sedang cuti sehingga "
                "loket hanya buka satu; kini petugas cadangan dari bagian rekam medis membantu bila ada yang cuti. "
                "Pasien lansia, ibu hamil dan penyandang disabilitas memang didahulukan sesuai maklumat kami; "
                "mulai minggu ini aturan itu kami umumkan di papan ruang tunggu dan oleh petugas loket.",
            ),
            Act(4, 19.25, "rate", value=Rating.SATISFIED, text="Terima kasih, sekarang sudah ada pengumumannya."),
        ],
    ),
    CasePlan(
        80,
        10,
        K.COMPLIMENT,
        C.WALK_IN,
        "persalinan",
        "Terima kasih kepada bidan jaga di ruang bersalin yang dengan sabar mendampingi istri saya melahirkan "
        "tengah malam. Kami dilayani dengan baik walaupun datang mendadak.",
        name="Agus Salim",
        phone="085232117654",
        occurred_days_before=3,
        acts=[
            Act(0, 13, "reply", HEAD, "Terima kasih, Pak Agus. Pujian Bapak kami sampaikan kepada tim bidan."),
            Act(1, 7.5, "close", HEAD, "Disampaikan dalam apel pagi."),
        ],
    ),
    CasePlan(
        76,
        8,
        K.SUGGESTION,
        C.BOX,
        "kia",
        "Mohon ditambah kursi tunggu di depan ruang KIA. Banyak ibu hamil harus berdiri lama saat antre.",
        anonymous=True,
        acts=[
            Act(3, 13, "note", HEAD, "Usulan dibahas di lokakarya mini bulan ini; anggaran kursi dari BOK."),
            Act(
                8,
                9,
                "reply",
                HEAD,
                "Terima kasih atas usulannya. Kami telah menambah sepuluh kursi tunggu di depan ruang KIA, dan ibu "
                "hamil kini mendapat nomor antrean tersendiri.",
            ),
            Act(20, 10, "close", HEAD, "Kursi sudah terpasang."),
        ],
    ),
    CasePlan(
        70,
        9.5,
        K.COMPLAINT,
        C.PHONE,
        "farmasi",
        "Obat yang diresepkan dokter (amoksisilin sirup untuk anak saya) kosong di apotek. Saya disuruh membeli "
        "sendiri di apotek luar.",
        name="Yuliana",
        phone="081259983412",
        occurred_days_before=0,
        acts=[
            Act(0, 11, "start", EDITOR),
            Act(
                1,
                9,
                "reply",
                EDITOR,
                "Mohon maaf, Bu. Stok amoksisilin sirup sempat kosong karena pengiriman dari gudang farmasi "
                "kabupaten terlambat. Stok sudah datang hari ini; silakan ambil di apotek dengan membawa resep yang "
                "sama, tanpa biaya.",
            ),
            Act(1, 10, "close", EDITOR, "Pelapor dihubungi lewat telepon; obat sudah diambil."),
        ],
    ),
    CasePlan(
        64,
        20.5,
        K.QUESTION,
        C.WEB,
        "imunisasi",
        "Apakah imunisasi campak-rubela (MR) untuk anak umur 9 bulan bisa dilakukan hari Sabtu? Saya dan suami "
        "bekerja dari Senin sampai Jumat.",
        name="Fitri Handayani",
        email="fitri.h@example.net",
        acts=[
            Act(
                1,
                8.5,
                "reply",
                EDITOR,
                "Imunisasi bayi dilayani Senin sampai Kamis pukul 08.00–11.00. Pada hari Sabtu tidak ada layanan "
                "imunisasi di Puskesmas, tetapi Ibu bisa datang ke posyandu desa sesuai jadwal bulanan; bidan desa "
                "membawa vaksin MR.",
            ),
            Act(3, 18, "rate", value=Rating.SATISFIED),
        ],
    ),
    CasePlan(
        58,
        9,
        K.COMPLAINT,
        C.WEB,
        "poli-gigi",
        "Sudah tiga kali saya datang ke poli gigi tetapi dokter gigi tidak ada. Petugas hanya bilang dokter "
        "sedang rapat, tanpa kepastian kapan ada.",
        name="Dewi Lestari",
        email="dewi.lestari@example.net",
        acts=[
            Act(0, 10, "start", EDITOR),
            Act(
                1,
                9,
                "note",
                EDITOR,
                "Dokter gigi bertugas UKGS di sekolah Selasa dan Kamis pagi; jadwal ini belum diumumkan di loket.",
            ),
            Act(
                2,
                10,
                "reply",
                EDITOR,
                "Mohon maaf, Bu. Dokter gigi kami bertugas di sekolah (UKGS) setiap Selasa dan Kamis pagi. Jadwal "
                "poli gigi kini kami tempel di loket: Senin, Rabu, Jumat dan Sabtu pukul 08.00–12.00.",
            ),
            Act(
                6,
                15,
                "rate",
                value=Rating.NOT_SATISFIED,
                text="Jadwal sudah ditempel, tapi hari Rabu kemarin dokter gigi tetap tidak ada.",
            ),
            Act(7, 9, "note", HEAD, "Sudah saya bicarakan langsung dengan dokter gigi dan koordinator UKM."),
            Act(
                7,
                11,
                "reply",
                HEAD,
                "Kami mohon maaf atas ketidaknyamanan ini. Hari Rabu itu dokter gigi dipanggil mendadak ke Dinas "
                "Kesehatan. Mulai minggu ini, bila dokter gigi berhalangan, loket mengumumkannya sejak pagi, pasien "
                "dilayani perawat gigi untuk keluhan ringan dan diberi jadwal kunjungan ulang.",
            ),
            Act(9, 19, "rate", value=Rating.SATISFIED, text="Terima kasih atas tanggapan Kepala Puskesmas."),
        ],
    ),
    CasePlan(
        50,
        14,
        K.COMPLAINT,
        C.WHATSAPP,
        "laboratorium",
        "Hasil cek gula darah baru keluar setelah 3 jam, padahal di maklumat tertulis paling lama 60 menit.",
        name="Hartono",
        phone="082142256789",
        occurred_days_before=0,
        acts=[
            Act(0, 14.5, "start", EDITOR),
            Act(
                1,
                8,
                "reply",
                EDITOR,
                "Terima kasih, Pak Hartono. Pagi itu alat pemeriksaan gula darah sedang dikalibrasi ulang sehingga "
                "pemeriksaan tertunda. Kami seharusnya memberi tahu pasien sejak awal; petugas laboratorium sudah "
                "kami ingatkan untuk mengumumkan bila ada keterlambatan.",
            ),
            Act(1, 9, "close", EDITOR, "Jawaban juga dikirim ke pelapor lewat WhatsApp."),
        ],
    ),
    CasePlan(
        44,
        21,
        K.SUGGESTION,
        C.WEB,
        "pendaftaran",
        "Usul: pendaftaran bisa lewat aplikasi Mobile JKN supaya warga tidak perlu antre sejak subuh.",
        name="Rizky Pratama",
        email="rizky.pratama@example.net",
        acts=[
            Act(1, 8, "start", HEAD),
            Act(
                3,
                10,
                "reply",
                HEAD,
                "Terima kasih atas usulannya. Pendaftaran melalui Mobile JKN akan kami masukkan ke revisi standar "
                "pelayanan tahun ini; rancangannya akan dibuka untuk tanggapan masyarakat di laman ini.",
            ),
            Act(10, 20, "rate", value=Rating.SATISFIED),
        ],
    ),
    CasePlan(
        38,
        11,
        K.COMPLAINT,
        C.LAPOR,
        "ugd",
        "Diteruskan dari SP4N-LAPOR!: korban kecelakaan lalu lintas menunggu lebih dari satu jam di UGD pada "
        "malam hari karena dokter jaga tidak berada di tempat.",
        anonymous=True,
        occurred_days_before=2,
        acts=[
            Act(0, 11.5, "start", HEAD),
            Act(0, 11.75, "reclassify", HEAD, value=ComplaintClass.SIMPLE),
            Act(2, 9, "note", HEAD, "Daftar jaga malam itu: dr. jaga menangani persalinan dengan penyulit."),
            Act(
                8,
                10,
                "reply",
                HEAD,
                "Hasil pemeriksaan: pada malam itu dokter jaga sedang menangani persalinan darurat di ruang "
                "bersalin, dan perawat UGD sudah memberi pertolongan pertama. Kami mohon maaf atas lamanya waktu "
                "tunggu. Mulai bulan ini UGD dijaga dua perawat pada malam hari, dan dokter jaga dapat dipanggil "
                "dari ruang bersalin dalam lima menit.",
            ),
            Act(15, 9, "close", HEAD, "Jawaban juga diunggah ke SP4N-LAPOR!."),
        ],
    ),
    CasePlan(
        30,
        12,
        K.COMPLIMENT,
        C.WEB,
        "kia",
        "Pelayanan di ruang KIA sangat ramah. Bidan menjelaskan hasil pemeriksaan kehamilan dengan sabar dan jelas.",
        name="Nur Aini",
        email="nur.aini@example.net",
        acts=[
            Act(1, 9, "reply", EDITOR, "Terima kasih atas apresiasinya, Bu Nur. Semoga sehat selalu."),
            Act(2, 7, "rate", value=Rating.SATISFIED),
        ],
    ),
    CasePlan(
        24,
        3,
        K.COMPLAINT,
        C.WEB,
        None,
        "Dapatkan pinjaman dana cepat tanpa jaminan, cair dalam 1 jam! Hubungi kami lewat WhatsApp sekarang.",
        name="Dana Kilat",
        email="promo@example.com",
        acts=[Act(0, 8, "reject", HEAD, "Spam: pesan promosi, tidak berkaitan dengan pelayanan Puskesmas.")],
    ),
    CasePlan(
        20,
        8,
        K.COMPLAINT,
        C.BOX,
        "klinik-sanitasi",
        "Toilet pasien di dekat ruang tunggu kotor dan airnya tidak mengalir.",
        anonymous=True,
        acts=[
            Act(0, 9, "start", EDITOR),
            Act(1, 8, "note", EDITOR, "Pompa air rusak; sudah dilaporkan ke bagian umum untuk diganti."),
            Act(
                3,
                10,
                "reply",
                EDITOR,
                "Terima kasih atas laporannya. Pompa air sudah diganti, dan toilet kini dibersihkan tiga kali "
                "sehari dengan lembar jadwal di pintu.",
            ),
        ],
    ),
    CasePlan(
        18,
        9,
        K.COMPLAINT,
        C.PHONE,
        "surat-keterangan-sehat",
        "Saya dikenai biaya Rp 25.000 untuk surat keterangan sehat, padahal di maklumat tertulis Rp 10.000. "
        "Tidak diberi kuitansi.",
        name="Joko Susanto",
        phone="081357764320",
        occurred_days_before=1,
        acts=[
            Act(0, 10, "start", EDITOR),
            Act(
                2,
                9,
                "note",
                EDITOR,
                "Pelapor diminta mengirim foto bukti bayar bila ada; petugas loket hari itu akan dimintai keterangan.",
            ),
            Act(3, 8, "assign", HEAD, value=HEAD),
            Act(3, 8.5, "note", HEAD, "Saya tangani sendiri: menyangkut tarif dan perilaku petugas."),
        ],
    ),
    CasePlan(
        16,
        19.5,
        K.COMPLAINT,
        C.WEB,
        "poli-umum",
        "Dokter di poli umum memeriksa sangat cepat dan tidak menjelaskan obat yang diberikan. Saya bingung "
        "cara meminumnya.",
        name="Ratna Sari",
        email="ratna.sari@example.net",
        occurred_days_before=0,
    ),
    CasePlan(
        11,
        10,
        K.QUESTION,
        C.BOX,
        "surat-rujukan",
        "Kenapa surat rujukan ke RSUD harus diperbarui setiap bulan? Pasien kontrol rutin jadi harus bolak-balik.",
        anonymous=True,
    ),
    CasePlan(
        10,
        16,
        K.QUESTION,
        C.WHATSAPP,
        "catin",
        "Apa saja syarat pemeriksaan calon pengantin? Apakah harus membawa surat pengantar dari KUA?",
        phone="085790012234",
        acts=[
            Act(
                1,
                8.5,
                "reply",
                EDITOR,
                "Syaratnya: KTP kedua calon pengantin, surat pengantar dari desa atau KUA, dan kartu JKN bila "
                "ada. Pemeriksaan dilayani Senin sampai Jumat pukul 08.00–11.00; hasilnya selesai hari itu juga.",
            ),
        ],
    ),
    CasePlan(
        7,
        9,
        K.COMPLAINT,
        C.WEB,
        "kb",
        "Saya datang untuk suntik KB tetapi ditolak karena kartu KB saya hilang.",
        name="Ika Purnamasari",
        email="ika.purnamasari@example.net",
        occurred_days_before=1,
        acts=[
            Act(0, 10, "start", EDITOR),
            Act(
                1,
                9,
                "reply",
                EDITOR,
                "Mohon maaf, Bu. Kartu KB yang hilang dapat dibuatkan ulang di ruang KIA/KB dengan menunjukkan "
                "KTP, dan suntik KB tetap diberikan pada hari yang sama.",
            ),
            Act(
                2,
                20,
                "rate",
                value=Rating.NOT_SATISFIED,
                text="Saya sudah menunjukkan KTP tetapi tetap disuruh pulang oleh petugas.",
            ),
        ],
    ),
    CasePlan(
        5,
        9,
        K.COMPLAINT,
        C.WALK_IN,
        "tb-kusta",
        "Petugas TB meminta suami saya datang setiap hari untuk minum obat di depan petugas, padahal rumah kami "
        "12 km dari Puskesmas dan ia harus bekerja.",
        name="Sulastri",
        phone="081234009812",
        acts=[
            Act(0, 9.5, "start", EDITOR),
            Act(0, 10, "reclassify", EDITOR, value=ComplaintClass.SIMPLE),
            Act(
                1,
                11,
                "note",
                EDITOR,
                "Koordinasi dengan pemegang program TB: keluarga bisa ditunjuk sebagai pengawas minum obat (PMO).",
            ),
        ],
    ),
    CasePlan(
        3,
        21,
        K.SUGGESTION,
        C.WEB,
        "konseling-gizi",
        "Mohon konseling gizi juga dibuka hari Sabtu, untuk orang tua yang bekerja pada hari biasa.",
        email="orangtua.balita@example.net",
    ),
    CasePlan(
        None,
        8.5,
        K.COMPLAINT,
        C.WEB,
        "imunisasi",
        "Vaksin BCG habis pada jadwal imunisasi hari Senin. Kami disuruh kembali bulan depan, padahal bayi kami "
        "sudah hampir dua bulan.",
        name="Wulan Sari",
        email="wulan.sari@example.net",
        acts=[Act(0, 11, "start", EDITOR)],
    ),
    CasePlan(
        0,
        7.5,
        K.COMPLIMENT,
        C.WEB,
        "pendaftaran",
        "Sekarang antrean pendaftaran jauh lebih cepat dan ada pengumuman yang jelas. Terima kasih.",
        anonymous=True,
    ),
]

RENGEL_CASES: list[CasePlan] = [
    CasePlan(
        40,
        10,
        K.COMPLIMENT,
        C.PHONE,
        "imunisasi",
        "Terima kasih, bidan imunisasi datang ke posyandu tepat waktu dan menjelaskan efek samping vaksin.",
        name="Siti Maemunah",
        phone="081330098871",
        acts=[
            Act(0, 11, "reply", "other-editor", "Terima kasih, Bu. Pujian Ibu kami sampaikan kepada bidan desa."),
            Act(1, 8, "close", "other-editor"),
        ],
    ),
    CasePlan(
        12,
        13,
        K.COMPLAINT,
        C.WEB,
        "farmasi",
        "Antrean di apotek lama sekali, hampir satu jam hanya untuk mengambil obat.",
        name="Eko Prasetyo",
        email="eko.prasetyo@example.net",
        acts=[
            Act(0, 14, "start", "other-editor"),
            Act(
                2,
                9,
                "reply",
                "other-editor",
                "Terima kasih, Pak Eko. Mulai minggu ini resep racikan dan non-racikan dilayani di dua meja terpisah "
                "agar antrean lebih cepat.",
            ),
        ],
    ),
    CasePlan(
        2,
        8,
        K.SUGGESTION,
        C.BOX,
        "pendaftaran",
        "Mohon disediakan nomor antrean untuk lansia yang terpisah.",
        anonymous=True,
    ),
]

ACTIVITY: dict[str, list[CasePlan]] = {"pkm-soko": SOKO_CASES, "pkm-rengel": RENGEL_CASES}
DESK = {"pkm-soko": EDITOR, "pkm-rengel": "other-editor"}  # who enters phone, box and walk-in cases


@contextmanager
def case_clock(moment: datetime) -> Iterator[None]:
    """`clock_at` for cases: the models stamp `received_at`, `created_at` and `uploaded_at` with
    `default=timezone.now`, a reference taken when the model was defined, which patching the module
    does not reach; so their defaults are moved to `moment` too."""
    stamped = [
        Case._meta.get_field("received_at"),
        CaseEvent._meta.get_field("created_at"),
        CaseAttachment._meta.get_field("uploaded_at"),
    ]
    with clock_at(moment), ExitStack() as stack:
        for model_field in stamped:
            stack.enter_context(mock.patch.object(model_field, "_get_default", lambda: moment))
        yield


def at_hour(day: date, hour: float) -> datetime:
    return at(day, int(hour), round((hour % 1) * 60))


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


def is_office_day(day: date) -> bool:
    """Monday to Saturday morning, except public holidays: when staff take cases and answer."""
    return day.weekday() < 6 and day not in national_holidays(day.year)


def replay_act(case: Case, act: Act, users: dict[str, Any]) -> None:
    user = users.get(act.by)
    case = Case.objects.select_related("facility", "service").get(pk=case.pk)
    match act.do:
        case "start":
            feedback_services.start_handling(case, user)
        case "assign":
            feedback_services.assign(case, user, users[act.value])
        case "note":
            feedback_services.add_note(case, user, act.text)
        case "reply":
            feedback_services.reply(case, user, act.text)
        case "close":
            feedback_services.close_case(case, user, act.text)
        case "reject":
            feedback_services.reject_case(case, user, act.text)
        case "reclassify":
            feedback_services.reclassify(case, user, kind=case.kind, complaint_class=act.value, service=case.service)
        case "information":
            feedback_services.add_information(case, act.text)
        case "rate":
            feedback_services.rate_answer(case, act.value, act.text)
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
    with case_clock(received):
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
        with case_clock(moment):
            replay_act(case, act, users)
        last = moment
    return case


def seed_activity(facilities: list[Facility]) -> list[str]:
    """Three months of complaints, suggestions, compliments and questions, through the same
    service functions as the public form and the staff inbox, each step on its day.

    No e-mail goes out: these are past events, and the demo's citizens do not exist. A facility
    that already has cases, or no published charter, is left alone.
    """
    now = timezone.now()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[EDITOR, HEAD, "other-editor"])}
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


def describe_versions(charters: list[Charter]) -> str:
    """E.g. "versions 1 (Superseded), 2 (Published), 3 (In public consultation)"."""
    with translation.override("en"):  # the command reports in English
        versions = ", ".join(f"{c.version} ({c.get_status_display()})" for c in charters)
    return f"version {versions}" if len(charters) == 1 else f"versions {versions}"


# --- Command ------------------------------------------------------------------------


class Command(BaseCommand):
    help = "Create demo facilities with the history of their charters, and staff users (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="Password for every demo user (default: a new random one each).")
        parser.add_argument(
            "--without-activity",
            action="store_true",
            help="Only facilities, charters and users: no complaints or survey answers.",
        )

    def handle(self, *args: Any, password: str | None = None, without_activity: bool = False, **options: Any) -> None:
        passwords = {seed.username: password or secrets.token_urlsafe(9) for seed in USERS}
        report: list[str] = []
        now = timezone.now()
        with transaction.atomic():
            facilities = {seed.slug: seed_facility(seed) for seed in FACILITIES}
            users = {seed.username: seed_user(seed, passwords[seed.username], facilities) for seed in USERS}
            for seed in FACILITIES:
                facility = facilities[seed.slug]
                existing = list(facility.charters.order_by("version"))
                if existing:
                    report.append(f"{facility.name}: kept charter {describe_versions(existing)}")
                    continue
                editor, head = users[seed.editor], users[seed.publisher]
                for plan in seed.history(now):
                    build_version(facility, seed, plan, now, editor, head)
                built = list(facility.charters.order_by("version"))
                report.append(f"{facility.name}: built charter {describe_versions(built)}")
            if not without_activity:
                report.extend(seed_activity(list(facilities.values())))
                report.extend(seed_survey(facilities, users))

        for line in report:
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo users:"))
        rows = [("USERNAME", "ROLE", "PASSWORD")]
        for seed in USERS:
            rows.append((seed.username, self.describe_role(seed, facilities), passwords[seed.username]))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            self.stdout.write("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        self.stdout.write("")
        site = settings.SITE_URL.rstrip("/")
        self.stdout.write(f"Open {site}/ (staff sign in at {site}{reverse('login')}).")

    @staticmethod
    def describe_role(seed: UserSeed, facilities: dict[str, Facility]) -> str:
        if seed.superuser:
            return "superuser (admin site, every facility)"
        if seed.facility is None or seed.role is None:
            return "no facility"
        role = "head (may publish)" if seed.role == MembershipRole.HEAD else "editor"
        return f"{role} at {facilities[seed.facility].name}"
