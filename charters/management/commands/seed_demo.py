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
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any
from unittest import mock

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

SITE_URL = "http://127.0.0.1:8000"

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


def seed_activity(facilities: list[Facility]) -> None:
    """Complaints and surveys will be seeded here; the feedback app has no models yet."""


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
                seed_activity(list(facilities.values()))

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
        self.stdout.write(f"Open {SITE_URL}/ (staff sign in at {SITE_URL}{reverse('login')}).")

    @staticmethod
    def describe_role(seed: UserSeed, facilities: dict[str, Facility]) -> str:
        if seed.superuser:
            return "superuser (admin site, every facility)"
        if seed.facility is None or seed.role is None:
            return "no facility"
        role = "head (may publish)" if seed.role == MembershipRole.HEAD else "editor"
        return f"{role} at {facilities[seed.facility].name}"
