"""Three more Puskesmas of Kabupaten Tuban, so the district health office compares facilities in
different states: one still without a published charter, one whose yearly review is long overdue,
one with many complaints left unanswered past their deadline.

Their charters are Rengel's five services; the differences are in how far each got.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from charters.models import ComplaintNorms, FacilityKind

from ..moments import at
from .charters import RENGEL_FORUM_PARTICIPANTS, Meeting, VersionPlan
from .services import RENGEL_SERVICES

COMPLAINT_INFO = (
    "Sampaikan pengaduan melalui kotak saran, telepon, atau langsung kepada Kepala Puskesmas. Pengaduan dijawab "
    "paling lambat 5 hari kerja."
)
NORMS = ComplaintNorms(light_days=2, normative_days=5, simple_days=14, investigative_days=60)


def profile(name: str, district: str, phone: str) -> dict[str, str]:
    return {
        "name": f"Puskesmas {name}",
        "kind": FacilityKind.PUSKESMAS,
        "address": f"Jl. Raya {name}",
        "village": name,
        "district": district,
        "regency": "Kabupaten Tuban",
        "province": "Jawa Timur",
        "phone": phone,
        "vision": f"Masyarakat {name} sehat dan mandiri.",
        "mission": "Memberikan pelayanan kesehatan dasar yang bermutu.\nMenggerakkan peran serta masyarakat.",
        "head_name": "",
        "head_title": f"Kepala UPTD Puskesmas {name}",
    }


def forum(day: datetime, place: str) -> Meeting:
    return Meeting(
        date=day.date(),
        place=place,
        agenda="Forum Konsultasi Publik: kesepakatan standar pelayanan.",
        minutes="Peserta menyepakati rancangan standar pelayanan dan menandatangani berita acara.",
        participants=RENGEL_FORUM_PARTICIPANTS,
    )


def jatirogo_history(now: datetime) -> list[VersionPlan]:
    """A first charter still in public consultation: nothing published yet."""
    today = timezone.localtime(now).date()
    return [
        VersionPlan(
            RENGEL_SERVICES, drafted=at(today - timedelta(days=40)), consultation=at(today - timedelta(days=20))
        )
    ]


def kerek_history(now: datetime) -> list[VersionPlan]:
    """Published twenty months ago and never reviewed since: the review is eight months overdue."""
    effective = timezone.localtime(now).date() - timedelta(days=610)
    meeting = at(effective - timedelta(days=30), 9)
    return [
        VersionPlan(
            RENGEL_SERVICES,
            drafted=at(effective - timedelta(days=70)),
            consultation=at(effective - timedelta(days=50)),
            meetings=[forum(meeting, "Aula UPTD Puskesmas Kerek")],
            agreed=at(meeting.date(), 12),
            approved=at(effective - timedelta(days=10), 10),
            published=at(effective, 7, 30),
            effective=effective,
        )
    ]


def montong_history(now: datetime) -> list[VersionPlan]:
    """Published this year; its complaints are the problem."""
    effective = timezone.localtime(now).date() - timedelta(days=150)
    meeting = at(effective - timedelta(days=25), 9)
    return [
        VersionPlan(
            RENGEL_SERVICES,
            drafted=at(effective - timedelta(days=60)),
            consultation=at(effective - timedelta(days=45)),
            meetings=[forum(meeting, "Balai Desa Montong")],
            agreed=at(meeting.date(), 12),
            approved=at(effective - timedelta(days=7), 10),
            published=at(effective, 7, 30),
            effective=effective,
        )
    ]
