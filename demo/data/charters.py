"""The history of the demo's charters: Puskesmas Soko's version 1 (2013), version 2 (2015, the
published one) and the revision now in consultation, with the stakeholder forum that agreed each,
and the public's comments on the revision; Puskesmas Rengel's one version.

A `VersionPlan` says when each step of a version's lifecycle happened; `demo.replay` takes the
version through those steps on those days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from charters.models import (
    ClauseKind,
    ClauseParty,
    DurationUnit,
    ParticipantGroup,
    ServiceCategory,
    ServiceMethod,
    Weekday,
)

from ..moments import at
from .services import OFFICE_HOURS, RENGEL_SERVICES, SOKO_SERVICES, opening_hours

# --- Rights and obligations ---------------------------------------------------------

CLAUSES: list[tuple[ClauseParty, ClauseKind, list[str]]] = [
    (
        ClauseParty.USER,
        ClauseKind.RIGHT,
        [
            "Mendapatkan pelayanan yang sopan, ramah, tidak diskriminatif dan sesuai standar pelayanan.",
            "Mendapatkan informasi yang jelas tentang penyakit, tindakan, obat dan biaya pelayanan.",
            "Menyampaikan pengaduan, saran dan masukan, dan mendapatkan tanggapan dalam jangka waktu yang dijanjikan.",
            "Didahulukan bagi lansia, ibu hamil, anak dan penyandang disabilitas.",
            "Kerahasiaan data dan rekam medisnya terjaga.",
        ],
    ),
    (
        ClauseParty.USER,
        ClauseKind.OBLIGATION,
        [
            "Membawa persyaratan pelayanan yang ditentukan.",
            "Mengikuti prosedur dan nomor antrean pelayanan.",
            "Memberikan keterangan yang benar tentang keluhan dan riwayat kesehatan.",
            "Menjaga ketertiban, kebersihan dan fasilitas Puskesmas.",
            "Membayar retribusi sesuai ketentuan untuk pelayanan yang tidak gratis.",
        ],
    ),
    (
        ClauseParty.PROVIDER,
        ClauseKind.RIGHT,
        [
            "Mendapatkan keterangan yang benar dan lengkap dari pengguna layanan.",
            "Menolak permintaan yang bertentangan dengan standar pelayanan, etika profesi atau peraturan.",
            "Mendapatkan perlakuan yang sopan dan rasa aman dalam bertugas.",
        ],
    ),
    (
        ClauseParty.PROVIDER,
        ClauseKind.OBLIGATION,
        [
            "Memberikan pelayanan sesuai standar pelayanan dan maklumat pelayanan.",
            "Memasang standar pelayanan, jadwal dan biaya di tempat yang mudah dilihat.",
            "Menanggapi setiap pengaduan dalam jangka waktu yang dijanjikan.",
            "Melaksanakan survei kepuasan masyarakat paling sedikit sekali setahun dan menindaklanjuti hasilnya.",
        ],
    ),
]


# --- Soko, version 1 (2013) -----------------------------------------------------------

# JKN, the national health insurance, began on 1 January 2014; in 2013 the poor were covered by
# Jamkesmas (national) and Jamkesda (regional), so version 1 names those instead.
BEFORE_JKN = (("JKN/BPJS Kesehatan", "Jamkesmas/Jamkesda"), ("JKN", "Jamkesmas/Jamkesda"))


def _before_jkn(value: Any) -> Any:
    if isinstance(value, str):
        for current, earlier in BEFORE_JKN:
            value = value.replace(current, earlier)
        return value
    if isinstance(value, list):
        return [_before_jkn(item) for item in value]
    return value


def _as_in_2013(service: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**{key: _before_jkn(value) for key, value in service.items()}, **changes}


# Dropped in 2015: the forum preferred the monthly posyandu and Posbindu in every village.
MOBILE_CLINIC: dict[str, Any] = {
    "slug": "puskesmas-keliling",
    "name": "Puskesmas Keliling",
    "category": ServiceCategory.PUBLIC_HEALTH,
    "description": "Pemeriksaan dan pengobatan umum di desa yang jauh dari Puskesmas dengan mobil Puskesmas Keliling.",
    "requirements": ["Kartu identitas (KTP/KK)", "Kartu Jamkesmas/Jamkesda bagi peserta"],
    "steps": [
        "Petugas mengumumkan jadwal kunjungan melalui pemerintah desa.",
        "Warga mendaftar di meja pendaftaran di balai desa.",
        "Dokter atau perawat memeriksa dan memberikan obat.",
        "Pasien yang memerlukan pemeriksaan lanjutan dirujuk ke Puskesmas.",
    ],
    "schedule": opening_hours([Weekday.TUESDAY, Weekday.THURSDAY], ("08:00", "12:00")),
    "schedule_note": "Bergilir ke desa-desa sesuai jadwal yang diumumkan di balai desa.",
    "duration": (20, DurationUnit.MINUTES),
    "fee_amount": None,
    "fee_note": "Gratis.",
    "methods": [ServiceMethod.OUTREACH],
    "product": "Pemeriksaan, obat, dan surat rujukan ke Puskesmas bila perlu.",
    "staff_competence": "Dokter atau perawat dengan STR; bidan dengan STR.",
    "staff_count": "1 dokter atau perawat, 1 bidan dan 1 pengemudi",
}


def _soko_2013() -> list[dict[str, Any]]:
    services = []
    for service in SOKO_SERVICES:
        slug = service["slug"]
        if slug == "catin":  # new in 2015
            continue
        if slug == "pendaftaran":
            # One counter clerk: the 2015 evaluation found the queue too slow.
            service = _as_in_2013(
                service,
                duration=(15, DurationUnit.MINUTES),
                duration_note="Paling lama 20 menit pada jam sibuk.",
                staff_count="1 petugas loket",
            )
        elif slug == "surat-keterangan-sehat":
            service = _as_in_2013(
                service,
                fee_amount=15000,
                fee_note="Semua pemohon membayar Rp 15.000. Pemeriksaan laboratorium tambahan dibayar terpisah.",
            )
        elif slug == "surat-rujukan":
            service = _as_in_2013(
                service,
                product="Surat rujukan ke rumah sakit yang berlaku sesuai ketentuan Jamkesmas/Jamkesda.",
                staff_competence="Dokter atau dokter gigi; petugas administrasi rujukan.",
            )
        else:
            service = _as_in_2013(service)
        services.append(service)
    # Before the clinic services that follow it in the 2013 leaflet.
    services.insert(next(i for i, s in enumerate(services) if s["slug"] == "konseling-gizi"), MOBILE_CLINIC)
    return services


SOKO_2013_SERVICES = _soko_2013()

# --- Soko, version 3 (the revision in consultation) ------------------------------------

ELDERLY_CARE: dict[str, Any] = {
    "slug": "lansia",
    "name": "Pelayanan Kesehatan Lanjut Usia (Lansia)",
    "category": ServiceCategory.CLINICAL,
    "description": "Pemeriksaan kesehatan berkala bagi warga berusia 60 tahun ke atas: tekanan darah, gula darah, "
    "status gizi, kemandirian dan kesehatan jiwa, serta konseling.",
    "requirements": [
        "Kartu identitas (KTP/KK)",
        "Kartu JKN/BPJS Kesehatan bagi peserta",
        "Buku Kesehatan Lansia bagi pasien lama",
    ],
    "steps": [
        "Lansia mendaftar di loket prioritas tanpa mengambil nomor antrean umum.",
        "Perawat mengukur tekanan darah, berat badan, tinggi badan dan gula darah.",
        "Dokter memeriksa, menilai kemandirian dan memberikan konseling.",
        "Hasil dicatat di Buku Kesehatan Lansia; lansia dirujuk bila memerlukan pemeriksaan lanjutan.",
    ],
    "schedule": OFFICE_HOURS,
    "schedule_note": "Juga di Posyandu Lansia setiap bulan sesuai jadwal desa.",
    "duration": (20, DurationUnit.MINUTES),
    "fee_amount": None,
    "fee_note": "Gratis bagi semua warga berusia 60 tahun ke atas.",
    "methods": [ServiceMethod.WALK_IN, ServiceMethod.OUTREACH, ServiceMethod.HOME_VISIT],
    "product": "Hasil pemeriksaan tercatat di Buku Kesehatan Lansia, konseling, obat bila perlu, dan jadwal "
    "pemeriksaan berikutnya.",
    "staff_competence": "Dokter dan perawat terlatih pelayanan kesehatan lansia.",
    "staff_count": "1 dokter dan 1 perawat",
}


def _soko_revision() -> list[dict[str, Any]]:
    services = []
    for service in SOKO_SERVICES:
        if service["slug"] == "pendaftaran":
            service = {
                **service,
                "steps": [
                    "Pasien mengambil nomor antrean di meja antrean, atau peserta JKN mendaftar lebih dahulu melalui "
                    "aplikasi Mobile JKN.",
                    *service["steps"][1:],
                ],
                "methods": [ServiceMethod.WALK_IN, ServiceMethod.ONLINE],
            }
        elif service["slug"] == "laboratorium":
            service = {
                **service,
                "duration": (45, DurationUnit.MINUTES),
                "duration_note": "Pemeriksaan sederhana 30–45 menit; pemeriksaan dahak 1 hari kerja.",
            }
        services.append(service)
        if service["slug"] == "poli-umum":
            services.append(ELDERLY_CARE)
    return services


SOKO_REVISION_SERVICES = _soko_revision()

# --- The stakeholder forum --------------------------------------------------------------

PROVIDER, USER, STAKEHOLDER = ParticipantGroup.PROVIDER, ParticipantGroup.USER, ParticipantGroup.STAKEHOLDER
PKM_SOKO = "UPTD Puskesmas Soko"
DINKES = "Dinas Kesehatan Kabupaten Tuban"
IDFOS = "IDFoS Indonesia"


@dataclass(frozen=True)
class Participant:
    name: str
    organisation: str
    group: ParticipantGroup
    position: str
    signed: bool = True


@dataclass(frozen=True)
class Meeting:
    date: date
    place: str
    agenda: str
    minutes: str
    participants: list[Participant]


SOKO_2013_FORUM = Meeting(
    date=date(2013, 6, 11),
    place="Aula UPTD Puskesmas Soko",
    agenda=(
        "Forum Konsultasi Publik: pembahasan dan kesepakatan rancangan standar pelayanan dan maklumat pelayanan "
        "Puskesmas Soko."
    ),
    minutes=(
        "Forum dibuka oleh Kepala UPTD Puskesmas Soko dan dipandu fasilitator IDFoS Indonesia. Tim maklumat "
        "memaparkan rancangan standar pelayanan 16 jenis layanan hasil penjaringan keluhan dan harapan pengguna "
        "layanan pada bulan April dan Mei 2013. Perwakilan pengguna layanan meminta agar pertolongan gawat darurat "
        "tidak pernah ditunda karena urusan biaya dan agar lansia, ibu hamil dan penyandang disabilitas didahulukan "
        "di loket. Usulan tersebut dimasukkan ke dalam standar pelayanan UGD dan pendaftaran. Seluruh peserta "
        "menyepakati rancangan dengan perubahan tersebut dan menandatangani berita acara."
    ),
    participants=[
        Participant("dr. Ahmad Fauzi", PKM_SOKO, PROVIDER, "Kepala Puskesmas"),
        Participant("Siti Nurhayati, A.Md.RMIK", PKM_SOKO, PROVIDER, "Penanggung jawab mutu, ketua tim maklumat"),
        Participant("Sri Wahyuni, A.Md.Keb.", PKM_SOKO, PROVIDER, "Bidan koordinator"),
        Participant("Agus Prasetyo, A.Md.Kep.", PKM_SOKO, PROVIDER, "Perawat UGD"),
        Participant("Suparmi", "Desa Soko", USER, "Perwakilan pasien"),
        Participant("Kasmuri", "Desa Sokosari", USER, "Perwakilan pasien"),
        Participant("Siti Maemunah", "Posyandu Melati, Desa Mentoro", USER, "Kader posyandu"),
        Participant("Rohmad", "Desa Rahayu", USER, "Perwakilan penyandang disabilitas", signed=False),
        Participant("H. Mashuri", "Pemerintah Desa Soko", STAKEHOLDER, "Kepala Desa Soko"),
        Participant("Sugeng Riyadi", "Kecamatan Soko", STAKEHOLDER, "Kepala Seksi Kesejahteraan Rakyat"),
        Participant("Nur Hidayah", IDFOS, STAKEHOLDER, "Fasilitator"),
        Participant("drg. Bambang Hariyanto", DINKES, STAKEHOLDER, "Seksi Pelayanan Kesehatan Dasar"),
    ],
)

SOKO_2015_MEETINGS = [
    Meeting(
        date=date(2015, 9, 3),
        place="Balai Desa Sokosari",
        agenda="Pembahasan hasil monitoring dan evaluasi maklumat pelayanan (Agustus 2015) bersama warga.",
        minutes=(
            "Petugas menyampaikan hasil monitoring dan evaluasi Agustus 2015: antrean di loket pendaftaran masih "
            "lama pada jam sibuk, tarif surat keterangan sehat dianggap mahal oleh pelajar dan pencari kerja, "
            "Puskesmas Keliling jarang datang sesuai jadwal, dan calon pengantin meminta pemeriksaan di Puskesmas. "
            "Warga mengusulkan petugas loket ditambah, tarif surat keterangan sehat disesuaikan, dan pelayanan di "
            "desa dipusatkan di posyandu dan Posbindu. Usulan dibawa ke Forum Konsultasi Publik."
        ),
        participants=[
            Participant("Endah Purwaningsih, A.Md.Keb.", PKM_SOKO, PROVIDER, "Bidan Desa Sokosari"),
            Participant("Dwi Lestari, S.KM", PKM_SOKO, PROVIDER, "Petugas promosi kesehatan"),
            Participant("Sutrisno", "Desa Sokosari", USER, "Perwakilan pasien"),
            Participant("Warsini", "Desa Sokosari", USER, "Ibu balita"),
            Participant("Karsono", "Desa Sokosari", USER, "Perwakilan lansia"),
            Participant("Moh. Anshori", "Pemerintah Desa Sokosari", STAKEHOLDER, "Kepala Desa Sokosari"),
            Participant("Ahmad Rofiq", IDFOS, STAKEHOLDER, "Fasilitator lapangan"),
        ],
    ),
    Meeting(
        date=date(2015, 9, 15),
        place="Aula UPTD Puskesmas Soko",
        agenda="Forum Konsultasi Publik: kesepakatan revisi standar pelayanan dan maklumat pelayanan Puskesmas Soko.",
        minutes=(
            "Tim maklumat memaparkan rancangan revisi: kartu JKN/BPJS Kesehatan menggantikan Jamkesmas/Jamkesda, "
            "satu petugas loket ditambah sehingga pendaftaran paling lama 5 menit, tarif surat keterangan sehat "
            "menjadi Rp 10.000 sesuai tarif retribusi, pemeriksaan kesehatan calon pengantin ditambahkan, dan "
            "Puskesmas Keliling dihentikan karena pelayanan di desa dilakukan melalui posyandu dan Posbindu. "
            "Forum menyepakati seluruh rancangan; catatan perubahan untuk pendaftaran, surat keterangan sehat dan "
            "pemeriksaan calon pengantin dicatat pada masing-masing layanan."
        ),
        participants=[
            Participant("dr. Ahmad Fauzi", PKM_SOKO, PROVIDER, "Kepala Puskesmas"),
            Participant("Siti Nurhayati, A.Md.RMIK", PKM_SOKO, PROVIDER, "Penanggung jawab mutu, ketua tim maklumat"),
            Participant("Sri Wahyuni, A.Md.Keb.", PKM_SOKO, PROVIDER, "Bidan koordinator"),
            Participant("Suparmi", "Desa Soko", USER, "Perwakilan pasien"),
            Participant("Siti Maemunah", "Posyandu Melati, Desa Mentoro", USER, "Kader posyandu"),
            Participant("Lilik Handayani", "Desa Mentoro", USER, "Perwakilan pengguna layanan KIA"),
            Participant("H. Mashuri", "Pemerintah Desa Soko", STAKEHOLDER, "Kepala Desa Soko"),
            Participant("Nur Hidayah", IDFOS, STAKEHOLDER, "Fasilitator"),
            Participant("dr. Retno Wulandari", DINKES, STAKEHOLDER, "Kepala Seksi Pelayanan Kesehatan"),
        ],
    ),
]

# Services the forum agreed with changes, and what it changed; every other one was agreed as drafted.
SOKO_2013_CHANGES = {
    "pendaftaran": "Atas usulan perwakilan pengguna layanan, lansia, ibu hamil dan penyandang disabilitas "
    "didahulukan di loket.",
    "ugd": "Atas usulan perwakilan pasien, ditambahkan bahwa pertolongan gawat darurat tidak pernah ditunda "
    "karena urusan biaya.",
}
SOKO_2015_CHANGES = {
    "pendaftaran": "Waktu pendaftaran dipersingkat dari 15 menjadi 5 menit; Puskesmas menambah satu petugas loket.",
    "surat-keterangan-sehat": "Tarif diturunkan dari Rp 15.000 menjadi Rp 10.000 sesuai tarif retribusi yang "
    "berlaku, atas usulan pelajar dan pencari kerja.",
    "catin": "Forum meminta konseling pranikah diberikan kepada kedua calon pengantin bersama-sama.",
}

RENGEL_FORUM_PARTICIPANTS = [
    Participant("dr. Endang Susilowati", "UPTD Puskesmas Rengel", PROVIDER, "Kepala Puskesmas"),
    Participant("Bambang Setiawan, S.Kep.", "UPTD Puskesmas Rengel", PROVIDER, "Penanggung jawab mutu"),
    Participant("Yuni Astuti, A.Md.Keb.", "UPTD Puskesmas Rengel", PROVIDER, "Bidan koordinator"),
    Participant("Marni", "Desa Rengel", USER, "Perwakilan pasien"),
    Participant("Slamet Riyadi", "Desa Maibit", USER, "Perwakilan lansia"),
    Participant("Sumarno", "Pemerintah Desa Rengel", STAKEHOLDER, "Kepala Desa Rengel"),
    Participant("dr. Retno Wulandari", DINKES, STAKEHOLDER, "Kepala Seksi Pelayanan Kesehatan"),
]

# --- Public comments on the revision ----------------------------------------------------


@dataclass(frozen=True)
class Comment:
    service: str | None  # slug; None: on the charter as a whole
    author: str
    text: str
    days_ago: int
    reply: str = ""


SOKO_REVISION_COMMENTS = [
    Comment(
        "pendaftaran",
        "Suwarni, Desa Sokosari",
        "Pendaftaran lewat Mobile JKN bagus untuk yang muda, tapi banyak lansia di desa kami tidak punya HP "
        "Android. Mohon loket biasa tetap buka dan lansia tetap didahulukan.",
        days_ago=18,
        reply="Terima kasih, Bu Suwarni. Loket pendaftaran tetap buka selama jam pelayanan dan lansia tetap "
        "didahulukan; pendaftaran melalui Mobile JKN hanya pilihan tambahan.",
    ),
    Comment(
        "lansia",
        "Karsono",
        "Apakah pemeriksaan lansia juga bisa di posyandu lansia di desa? Bagi yang sudah sepuh, datang ke "
        "Puskesmas cukup jauh.",
        days_ago=12,
    ),
    Comment(
        "laboratorium",
        "",
        "Hasil laboratorium 45 menit bagus sekali. Tapi pagi hari antrean di depan laboratorium panjang dan "
        "kursinya kurang.",
        days_ago=7,
    ),
    Comment(
        None,
        "Karang Taruna Desa Mentoro",
        "Mohon nomor WhatsApp pengaduan ditulis besar di papan depan Puskesmas dan di poster, supaya warga tahu "
        "ke mana harus mengadu.",
        days_ago=3,
    ),
]


# --- When each version went through its lifecycle ------------------------------------


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


# The day the findings of the evaluation of August 2015 started version 2 (`demo.data.evaluations`).
SOKO_REVISION_2015 = at(date(2015, 8, 24))


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
            drafted=SOKO_REVISION_2015,
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
