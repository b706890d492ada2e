"""The demo's facilities, with their profile and who works there, and its staff users."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from charters.models import ComplaintNorms, FacilityKind, MembershipRole

from . import district
from .charters import VersionPlan, rengel_history, soko_history
from .evaluations import SOKO_ROUNDS, RoundPlan


@dataclass(frozen=True)
class FacilitySeed:
    slug: str
    profile: dict[str, str]
    complaint_info: str
    complaint_norms: ComplaintNorms  # what complaint_info promises, in working days per class of case
    editor: str  # username that drafts, consults and records the forum
    publisher: str  # username that approves and publishes: the head, or the superuser where the demo has no head
    history: Callable[[datetime], list[VersionPlan]]  # the versions to build, given the time of the run
    evaluations: list[RoundPlan] = field(default_factory=list)  # monitoring and evaluation rounds, oldest first


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
            "whatsapp": "6281234551234",
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
        complaint_norms=ComplaintNorms(light_days=2, normative_days=5, simple_days=5, investigative_days=14),
        editor="soko-editor",
        publisher="soko-head",
        history=soko_history,
        evaluations=SOKO_ROUNDS,
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
        complaint_norms=ComplaintNorms(light_days=5, normative_days=5, simple_days=5, investigative_days=5),
        editor="other-editor",
        publisher="admin",
        history=rengel_history,
    ),
]

# Three more Puskesmas of the regency, each in a different state, for the district dashboard.
FACILITIES += [
    FacilitySeed(
        slug="pkm-jatirogo",
        profile=district.profile("Jatirogo", "Jatirogo", "(0356) 831100"),
        complaint_info=district.COMPLAINT_INFO,
        complaint_norms=district.NORMS,
        editor="admin",
        publisher="admin",
        history=district.jatirogo_history,
    ),
    FacilitySeed(
        slug="pkm-kerek",
        profile=district.profile("Kerek", "Kerek", "(0356) 841200"),
        complaint_info=district.COMPLAINT_INFO,
        complaint_norms=district.NORMS,
        editor="admin",
        publisher="admin",
        history=district.kerek_history,
    ),
    FacilitySeed(
        slug="pkm-montong",
        profile=district.profile("Montong", "Montong", "(0356) 851300"),
        complaint_info=district.COMPLAINT_INFO,
        complaint_norms=district.NORMS,
        editor="admin",
        publisher="admin",
        history=district.montong_history,
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
    supervises: str | None = None  # a regency whose facilities the user reads (district health office)


USERS: list[UserSeed] = [
    UserSeed("admin", "Admin", "Maklumat", superuser=True),
    UserSeed("soko-editor", "Siti", "Nurhayati", "pkm-soko", MembershipRole.EDITOR),
    UserSeed("soko-head", "Ahmad", "Fauzi", "pkm-soko", MembershipRole.HEAD),
    UserSeed("other-editor", "Bambang", "Setiawan", "pkm-rengel", MembershipRole.EDITOR),
    UserSeed("tuban-supervisor", "Rina", "Wulandari", supervises="Kabupaten Tuban"),
]
