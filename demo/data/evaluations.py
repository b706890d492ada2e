"""Puskesmas Soko's two monitoring and evaluation rounds of version 1 of its charter, facilitated
by IDFoS Indonesia: June 2014, and early August 2015, whose findings started version 2.

"Hingga saat ini PKM Soko telah dua kali melakukan monitoring dan evaluasi terkait penerapan
Citizen Charter. Monitoring dan evaluasi terakhir dilaksanakan pada awal Agustus 2015" (IDFoS
Indonesia, in the article the demo follows).

Each round has a finding for every service of version 1. The second round's findings that were
not (or only partly) kept are exactly what version 2 changed: the registration queue, the fee of
the health certificate, the mobile clinic (dropped). The brides and grooms who asked to be
examined at the Puskesmas are no finding about a service of version 1: the round's notes and one
action say it, and the revision records it as a reason of the new service (`RoundPlan.requests`).

The follow-up actions say how each stood over time (`Progress`): most of the first round's were
done within months, one was still under way at the second round (so it is carried over), and
one of the second round's is still under way today; the revision now in consultation takes it up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from monitoring.models import ActionStatus, EvaluationMethod, FindingResult

from ..moments import at
from .charters import DINKES, IDFOS, PKM_SOKO, PROVIDER, SOKO_REVISION_2015, STAKEHOLDER, USER, Participant

KEPT, PARTLY, NOT_KEPT = FindingResult.KEPT, FindingResult.PARTLY, FindingResult.NOT_KEPT


@dataclass(frozen=True)
class FindingPlan:
    slug: str  # the service of the evaluated version
    result: FindingResult
    evidence: str
    notes: str = ""


@dataclass(frozen=True)
class Progress:
    """How an action stood from `day` on."""

    day: date
    status: ActionStatus
    result: str = ""


@dataclass(frozen=True)
class ActionPlan:
    what: str
    who: str
    due: date
    finding: str | None  # slug of the finding's service; None: the round as a whole
    progress: list[Progress] = field(default_factory=list)  # oldest first; recorded "not started"


@dataclass(frozen=True)
class RevisionRequest:
    """A reason for the revision that is no finding about a service of the evaluated version
    (a service users asked for); `slug` is the service of the new version that answers it."""

    slug: str
    text: str


@dataclass(frozen=True)
class RoundPlan:
    started: date
    ended: date
    period_start: date
    period_end: date
    facilitator: str
    organisation: str
    method: EvaluationMethod
    method_note: str
    notes: str
    public_summary: str
    participants: list[Participant]
    findings: list[FindingPlan]
    actions: list[ActionPlan]
    # When the findings not kept started the revision that answers them (None: they did not).
    revision_started: datetime | None = None
    requests: list[RevisionRequest] = field(default_factory=list)

    @property
    def recorded(self) -> datetime:
        """The round is entered on its last day, after the closing discussion."""
        return at(self.ended, 15)


# --- Round 1: June 2014 -------------------------------------------------------------------------

ROUND_2014 = RoundPlan(
    started=date(2014, 6, 17),
    ended=date(2014, 6, 19),
    period_start=date(2013, 7, 1),
    period_end=date(2014, 5, 31),
    facilitator="Nur Hidayah",
    organisation=IDFOS,
    method=EvaluationMethod.MIXED,
    method_note=(
        "Pengamatan waktu tunggu di loket pendaftaran, poli umum, apotek dan laboratorium pada 2–13 Juni 2014 "
        "(10 hari pelayanan); wawancara keluar dengan 60 pengguna layanan; rekap kotak saran dan SMS pengaduan "
        "Juli 2013–Mei 2014 (37 lembar/pesan); catatan jadwal Puskesmas Keliling; diskusi kelompok terarah "
        "dengan kader dan perwakilan pasien pada 19 Juni 2014."
    ),
    notes=(
        "Monitoring dan evaluasi pertama sejak maklumat pelayanan berlaku 1 Juli 2013. Sebagian besar janji "
        "ditepati. Antrean loket pada Senin dan Selasa pagi, obat racikan, kekosongan reagen laboratorium dan "
        "jadwal Puskesmas Keliling belum sesuai janji; tindak lanjut disepakati tanpa mengubah maklumat. Sejak "
        "Januari 2014 kartu JKN/BPJS Kesehatan menggantikan Jamkesmas/Jamkesda, sedangkan maklumat masih "
        "menyebut Jamkesmas/Jamkesda: diumumkan di papan informasi sampai maklumat direvisi."
    ),
    public_summary=(
        "Pada 17–19 Juni 2014 Puskesmas Soko bersama pengguna layanan, pemerintah desa dan IDFoS Indonesia "
        "memeriksa apakah janji maklumat pelayanan ditepati. Sebagian besar ditepati. Antrean loket pada Senin "
        "pagi, obat racikan, hasil laboratorium dan jadwal Puskesmas Keliling belum sesuai janji. Puskesmas "
        "memindahkan petugas ke loket pada jam sibuk, menambah asisten apoteker dan mengumumkan jadwal "
        "Puskesmas Keliling melalui pemerintah desa."
    ),
    participants=[
        Participant("Siti Nurhayati, A.Md.RMIK", PKM_SOKO, PROVIDER, "Penanggung jawab mutu, ketua tim maklumat"),
        Participant("Sri Wahyuni, A.Md.Keb.", PKM_SOKO, PROVIDER, "Bidan koordinator"),
        Participant("Agus Prasetyo, A.Md.Kep.", PKM_SOKO, PROVIDER, "Perawat UGD"),
        Participant("Suparmi", "Desa Soko", USER, "Perwakilan pasien"),
        Participant("Kasmuri", "Desa Sokosari", USER, "Perwakilan pasien"),
        Participant("Siti Maemunah", "Posyandu Melati, Desa Mentoro", USER, "Kader posyandu"),
        Participant("H. Mashuri", "Pemerintah Desa Soko", STAKEHOLDER, "Kepala Desa Soko"),
        Participant("drg. Bambang Hariyanto", DINKES, STAKEHOLDER, "Seksi Pelayanan Kesehatan Dasar"),
        Participant("Nur Hidayah", IDFOS, STAKEHOLDER, "Fasilitator"),
        Participant("Ahmad Rofiq", IDFOS, STAKEHOLDER, "Fasilitator lapangan"),
    ],
    findings=[
        FindingPlan(
            "pendaftaran",
            PARTLY,
            "Dijanjikan 15 menit, paling lama 20 menit pada jam sibuk. Pengamatan 2–13 Juni 2014 (186 pasien): "
            "median 13 menit; pada Senin dan Selasa pukul 07.30–09.00 median 24 menit dan 58% selesai dalam 20 "
            "menit. Wawancara keluar: 17 dari 60 responden mengeluhkan antrean loket. Kotak saran: 8 keluhan "
            "tentang antrean.",
            "Pada hari biasa janji ditepati; pada Senin dan Selasa pagi satu petugas loket tidak cukup.",
        ),
        FindingPlan(
            "poli-umum",
            KEPT,
            "Dijanjikan 20 menit (15–30 menit). Pengamatan 2–13 Juni 2014 (124 pasien): median 17 menit, 86% "
            "selesai dalam 30 menit. Wawancara keluar: 52 dari 60 responden puas dengan penjelasan dokter.",
        ),
        FindingPlan(
            "kia",
            KEPT,
            "Dijanjikan 20 menit. Pengamatan (41 kunjungan): median 18 menit. Tidak ada keluhan di kotak saran. "
            "Kader posyandu menyampaikan ibu hamil merasa dilayani dengan ramah.",
        ),
        FindingPlan(
            "kb",
            KEPT,
            "Dijanjikan 20 menit (pemasangan implan atau IUD 30–45 menit). Pengamatan (23 kunjungan): median 17 "
            "menit. Tidak ada keluhan.",
        ),
        FindingPlan(
            "imunisasi",
            KEPT,
            "Dijanjikan 15 menit di luar pengamatan 30 menit. Pengamatan pada dua hari imunisasi (38 anak): median "
            "11 menit. Tidak ada keluhan.",
        ),
        FindingPlan(
            "poli-gigi",
            KEPT,
            "Dijanjikan 30 menit. Pengamatan (19 pasien): median 26 menit. Satu saran di kotak saran agar poli "
            "gigi juga buka hari Sabtu.",
        ),
        FindingPlan(
            "laboratorium",
            PARTLY,
            "Dijanjikan 60 menit. Pengamatan (47 pemeriksaan): median 40 menit, tetapi pada 3 dari 10 hari "
            "pengamatan reagen gula darah dan asam urat habis sehingga pasien diminta kembali esok hari. Kotak "
            "saran: 4 keluhan hasil laboratorium tertunda.",
            "Janji waktu tidak tertepati karena kekosongan reagen, bukan karena lamanya pemeriksaan.",
        ),
        FindingPlan(
            "farmasi",
            PARTLY,
            "Dijanjikan 10 menit, paling lama 20 menit untuk obat racikan. Pengamatan (152 resep): obat jadi "
            "median 8 menit; obat racikan median 26 menit, 39% selesai dalam 20 menit. Wawancara keluar: 12 dari "
            "60 responden mengeluhkan lama menunggu obat racikan.",
            "Satu petugas apotek meracik dan menyerahkan obat sekaligus pada jam sibuk.",
        ),
        FindingPlan(
            "ugd",
            KEPT,
            "Dijanjikan triase segera (5 menit). Register UGD Juli 2013–Mei 2014: 412 pasien, seluruhnya ditriase "
            "saat tiba; tidak ada pasien yang ditunda karena biaya.",
        ),
        FindingPlan(
            "persalinan",
            KEPT,
            "Register persalinan Juli 2013–Mei 2014: 138 persalinan, ibu dirawat paling sedikit 24 jam setelah "
            "persalinan. Tidak ada keluhan; dua surat ucapan terima kasih.",
        ),
        FindingPlan(
            "puskesmas-keliling",
            PARTLY,
            "Dijadwalkan Selasa dan Kamis. Catatan kunjungan Juli 2013–Mei 2014: 58 dari 84 kunjungan terlaksana "
            "sesuai jadwal; sisanya batal atau mundur karena mobil diperbaiki atau petugas menangani UGD. Kepala "
            "desa menyampaikan warga tidak selalu tahu jadwal kunjungan.",
            "Jadwal kunjungan belum diumumkan dengan pasti kepada warga.",
        ),
        FindingPlan(
            "konseling-gizi",
            KEPT,
            "Dijanjikan 30 menit. Catatan konseling (31 klien): seluruhnya dilayani pada hari yang sama. Tidak ada "
            "keluhan.",
        ),
        FindingPlan(
            "tb-kusta",
            KEPT,
            "Hasil pemeriksaan dahak dijanjikan 1 hari kerja: register laboratorium TB mencatat 64 dari 66 hasil "
            "keluar keesokan harinya. Tidak ada keluhan.",
        ),
        FindingPlan(
            "klinik-sanitasi",
            KEPT,
            "Dijanjikan 30 menit. Catatan klinik sanitasi (18 klien): median 25 menit. Tidak ada keluhan.",
        ),
        FindingPlan(
            "surat-keterangan-sehat",
            KEPT,
            "Dijanjikan 30 menit dengan tarif Rp 15.000. Pengamatan (21 pemohon): median 22 menit; tarif dipungut "
            "sesuai maklumat dengan karcis retribusi. Dua pemohon menanyakan keringanan tarif bagi pelajar.",
        ),
        FindingPlan(
            "surat-rujukan",
            KEPT,
            "Dijanjikan 10 menit. Pengamatan (33 rujukan): median 8 menit.",
            "Sejak Januari 2014 rujukan mengikuti ketentuan JKN (BPJS Kesehatan); maklumat masih menyebut "
            "Jamkesmas/Jamkesda.",
        ),
    ],
    actions=[
        ActionPlan(
            "Pada Senin dan Selasa pukul 07.30–09.30 satu petugas rekam medis membantu di loket pendaftaran; "
            "loket dibuka pukul 07.30 tepat.",
            "Siti Nurhayati, penanggung jawab mutu",
            date(2014, 7, 31),
            "pendaftaran",
            [
                Progress(
                    date(2014, 7, 7),
                    ActionStatus.DONE,
                    "Sejak 7 Juli 2014 petugas rekam medis membantu di loket pada Senin dan Selasa pagi.",
                )
            ],
        ),
        ActionPlan(
            "Menambah satu asisten apoteker pada pagi hari untuk meracik obat.",
            "dr. Ahmad Fauzi, Kepala Puskesmas",
            date(2014, 9, 30),
            "farmasi",
            [
                Progress(
                    date(2014, 9, 1),
                    ActionStatus.DONE,
                    "Asisten apoteker bertugas setiap pagi sejak 1 September 2014.",
                )
            ],
        ),
        ActionPlan(
            "Mencatat stok reagen laboratorium setiap minggu dan mengajukan stok penyangga satu bulan kepada "
            "Dinas Kesehatan.",
            "dr. Ahmad Fauzi, Kepala Puskesmas",
            date(2014, 12, 31),
            "laboratorium",
            [
                Progress(
                    date(2014, 10, 6),
                    ActionStatus.IN_PROGRESS,
                    "Stok reagen dicatat setiap minggu sejak Oktober 2014; pengajuan stok penyangga masuk anggaran "
                    "Dinas Kesehatan tahun 2015.",
                ),
                Progress(
                    date(2015, 11, 16),
                    ActionStatus.DONE,
                    "Stok penyangga reagen untuk satu bulan tersedia sejak pengadaan November 2015.",
                ),
            ],
        ),
        ActionPlan(
            "Mengumumkan jadwal Puskesmas Keliling satu bulan sebelumnya melalui pemerintah desa dan kader, dan "
            "memberi tahu kepala desa bila kunjungan batal.",
            "Sri Wahyuni, bidan koordinator",
            date(2014, 8, 31),
            "puskesmas-keliling",
            [
                Progress(
                    date(2014, 8, 4),
                    ActionStatus.DONE,
                    "Jadwal bulanan dikirim ke setiap balai desa sejak Agustus 2014.",
                )
            ],
        ),
        ActionPlan(
            "Mengumumkan di papan informasi dan di loket bahwa kartu JKN/BPJS Kesehatan berlaku menggantikan "
            "Jamkesmas/Jamkesda sampai maklumat direvisi.",
            "Siti Nurhayati, penanggung jawab mutu",
            date(2014, 7, 15),
            None,
            [Progress(date(2014, 6, 30), ActionStatus.DONE, "Pengumuman dipasang di papan informasi dan loket.")],
        ),
    ],
)

# --- Round 2: early August 2015 --------------------------------------------------------------

# What the revision answers: the notes say it in the words of the changes of version 2.
REGISTRATION_NOTE = (
    "Antrean di loket pendaftaran terlalu lama pada jam sibuk: satu petugas loket tidak cukup, dan bantuan "
    "petugas rekam medis pada Senin dan Selasa pagi (tindak lanjut evaluasi 2014) hanya membantu sebagian. "
    "Diusulkan satu petugas loket ditambah dan waktu pendaftaran dipersingkat."
)
CERTIFICATE_NOTE = (
    "Waktu pelayanan ditepati, tetapi tarif Rp 15.000 dirasakan terlalu mahal oleh pelajar dan pencari kerja. "
    "Diusulkan tarif disesuaikan dengan tarif retribusi yang berlaku (Rp 10.000)."
)
MOBILE_CLINIC_NOTE = (
    "Puskesmas Keliling jarang datang sesuai jadwal meskipun jadwal sudah diumumkan melalui desa. Warga dan "
    "kepala desa mengusulkan pelayanan di desa dipusatkan di posyandu dan Posbindu yang jadwalnya pasti."
)
BRIDES_REQUEST = (
    "Calon pengantin dan KUA Kecamatan Soko meminta pemeriksaan kesehatan calon pengantin (pemeriksaan fisik, "
    "laboratorium sederhana, imunisasi Td dan konseling pranikah) dapat dilakukan di Puskesmas; layanan ini "
    "belum ada dalam maklumat."
)

ROUND_2015 = RoundPlan(
    started=date(2015, 8, 3),
    ended=date(2015, 8, 7),
    period_start=date(2014, 6, 1),
    period_end=date(2015, 7, 31),
    facilitator="Nur Hidayah",
    organisation=IDFOS,
    method=EvaluationMethod.MIXED,
    method_note=(
        "Pengamatan waktu tunggu di loket pendaftaran, poli umum, apotek dan laboratorium pada 27–31 Juli 2015; "
        "wawancara keluar dengan 80 pengguna layanan pada 3–6 Agustus 2015; rekap kotak saran dan SMS pengaduan "
        "Juni 2014–Juli 2015 (52 lembar/pesan); catatan kunjungan Puskesmas Keliling; diskusi dengan kader, "
        "perwakilan pasien, pemerintah desa dan KUA Kecamatan Soko pada 7 Agustus 2015."
    ),
    notes=(
        "Monitoring dan evaluasi kedua. Tindak lanjut evaluasi Juni 2014 untuk apotek dan jadwal Puskesmas "
        "Keliling sudah dilaksanakan; stok penyangga reagen laboratorium masih menunggu anggaran. Tiga janji "
        "belum ditepati: antrean loket pada jam sibuk, tarif surat keterangan sehat, dan jadwal Puskesmas "
        "Keliling. "
        + BRIDES_REQUEST
        + " Tim maklumat menyiapkan revisi maklumat untuk dibahas bersama warga dan dalam Forum Konsultasi Publik."
    ),
    public_summary=(
        "Pada 3–7 Agustus 2015 Puskesmas Soko bersama pengguna layanan, pemerintah desa, KUA dan IDFoS Indonesia "
        "kembali memeriksa janji maklumat pelayanan. Antrean loket masih lama pada jam sibuk, tarif surat "
        "keterangan sehat dirasakan mahal, dan Puskesmas Keliling jarang datang sesuai jadwal. Calon pengantin "
        "meminta pemeriksaan di Puskesmas. Hasil ini menjadi dasar revisi maklumat (versi 2) yang disepakati "
        "dalam Forum Konsultasi Publik 15 September 2015."
    ),
    participants=[
        Participant("dr. Ahmad Fauzi", PKM_SOKO, PROVIDER, "Kepala Puskesmas"),
        Participant("Siti Nurhayati, A.Md.RMIK", PKM_SOKO, PROVIDER, "Penanggung jawab mutu, ketua tim maklumat"),
        Participant("Sri Wahyuni, A.Md.Keb.", PKM_SOKO, PROVIDER, "Bidan koordinator"),
        Participant("Dwi Lestari, S.KM", PKM_SOKO, PROVIDER, "Petugas promosi kesehatan"),
        Participant("Suparmi", "Desa Soko", USER, "Perwakilan pasien"),
        Participant("Sutrisno", "Desa Sokosari", USER, "Perwakilan pasien"),
        Participant("Siti Maemunah", "Posyandu Melati, Desa Mentoro", USER, "Kader posyandu"),
        Participant("Lilik Handayani", "Desa Mentoro", USER, "Perwakilan pengguna layanan KIA"),
        Participant("H. Mashuri", "Pemerintah Desa Soko", STAKEHOLDER, "Kepala Desa Soko"),
        Participant("Moh. Anshori", "Pemerintah Desa Sokosari", STAKEHOLDER, "Kepala Desa Sokosari"),
        Participant("dr. Retno Wulandari", DINKES, STAKEHOLDER, "Kepala Seksi Pelayanan Kesehatan"),
        Participant("Nur Hidayah", IDFOS, STAKEHOLDER, "Fasilitator"),
        Participant("Ahmad Rofiq", IDFOS, STAKEHOLDER, "Fasilitator lapangan"),
    ],
    findings=[
        FindingPlan(
            "pendaftaran",
            NOT_KEPT,
            "Dijanjikan 15 menit, paling lama 20 menit pada jam sibuk. Pengamatan 27–31 Juli 2015 (212 pasien): "
            "median 16 menit; pada jam sibuk (07.30–09.30) median 27 menit dan hanya 41% selesai dalam 20 menit. "
            "Wawancara keluar: 34 dari 80 responden mengeluhkan antrean loket. Kotak saran dan SMS: 11 keluhan "
            "tentang antrean.",
            REGISTRATION_NOTE,
        ),
        FindingPlan(
            "poli-umum",
            KEPT,
            "Dijanjikan 20 menit (15–30 menit). Pengamatan (138 pasien): median 18 menit, 88% selesai dalam 30 "
            "menit. Wawancara keluar: 71 dari 80 responden puas dengan pemeriksaan.",
        ),
        FindingPlan(
            "kia",
            KEPT,
            "Dijanjikan 20 menit. Pengamatan (45 kunjungan): median 19 menit. Tidak ada keluhan.",
        ),
        FindingPlan(
            "kb",
            KEPT,
            "Dijanjikan 20 menit. Pengamatan (26 kunjungan): median 16 menit. Tidak ada keluhan.",
        ),
        FindingPlan(
            "imunisasi",
            KEPT,
            "Dijanjikan 15 menit di luar pengamatan 30 menit. Pengamatan (42 anak): median 12 menit. Tidak ada "
            "keluhan.",
        ),
        FindingPlan(
            "poli-gigi",
            KEPT,
            "Dijanjikan 30 menit. Pengamatan (22 pasien): median 27 menit. Dua saran agar kursi gigi diganti.",
        ),
        FindingPlan(
            "laboratorium",
            KEPT,
            "Dijanjikan 60 menit. Pengamatan (53 pemeriksaan): median 38 menit, 91% selesai dalam 60 menit. "
            "Kekosongan reagen tercatat dua kali dalam setahun.",
            "Pencatatan stok mingguan membantu; stok penyangga masih menunggu anggaran (tindak lanjut 2014).",
        ),
        FindingPlan(
            "farmasi",
            KEPT,
            "Dijanjikan 10 menit, paling lama 20 menit untuk obat racikan. Pengamatan (171 resep): obat jadi "
            "median 7 menit; obat racikan median 16 menit, 78% selesai dalam 20 menit sejak asisten apoteker "
            "bertugas pagi hari.",
        ),
        FindingPlan(
            "ugd",
            KEPT,
            "Dijanjikan triase segera (5 menit). Register UGD Juni 2014–Juli 2015: 468 pasien, seluruhnya "
            "ditriase saat tiba.",
        ),
        FindingPlan(
            "persalinan",
            KEPT,
            "Register persalinan Juni 2014–Juli 2015: 151 persalinan sesuai standar; ibu dirawat paling sedikit "
            "24 jam. Tidak ada keluhan.",
        ),
        FindingPlan(
            "puskesmas-keliling",
            NOT_KEPT,
            "Dijadwalkan Selasa dan Kamis. Catatan kunjungan Juni 2014–Juli 2015: 46 dari 112 kunjungan "
            "terlaksana sesuai jadwal; 38 batal karena mobil rusak atau dipakai merujuk pasien, 28 mundur. "
            "Kepala desa dan kader melaporkan warga menunggu di balai desa tanpa kepastian. Posyandu dan Posbindu "
            "di desa berjalan setiap bulan sesuai jadwal.",
            MOBILE_CLINIC_NOTE,
        ),
        FindingPlan(
            "konseling-gizi",
            KEPT,
            "Dijanjikan 30 menit. Catatan konseling (36 klien): seluruhnya dilayani pada hari yang sama.",
        ),
        FindingPlan(
            "tb-kusta",
            KEPT,
            "Hasil pemeriksaan dahak dijanjikan 1 hari kerja: 71 dari 73 hasil keluar keesokan harinya.",
        ),
        FindingPlan(
            "klinik-sanitasi",
            KEPT,
            "Dijanjikan 30 menit. Catatan klinik sanitasi (15 klien): median 24 menit.",
        ),
        FindingPlan(
            "surat-keterangan-sehat",
            PARTLY,
            "Dijanjikan 30 menit dengan tarif Rp 15.000. Pengamatan (28 pemohon): median 21 menit; tarif dipungut "
            "sesuai maklumat. Wawancara keluar: 11 dari 14 pemohon (pelajar dan pencari kerja) menyatakan tarif "
            "terlalu mahal. Kotak saran: 5 keluhan tentang tarif.",
            CERTIFICATE_NOTE,
        ),
        FindingPlan(
            "surat-rujukan",
            KEPT,
            "Dijanjikan 10 menit. Pengamatan (40 rujukan): median 9 menit.",
            "Persyaratan masih menyebut Jamkesmas/Jamkesda; disesuaikan dengan JKN dalam revisi.",
        ),
    ],
    actions=[
        ActionPlan(
            "Menambah satu petugas loket sehingga dua loket pendaftaran buka pada jam pelayanan; waktu pendaftaran "
            "5 menit diusulkan dalam revisi maklumat.",
            "dr. Ahmad Fauzi, Kepala Puskesmas",
            date(2015, 10, 1),
            "pendaftaran",
            [
                Progress(date(2015, 8, 24), ActionStatus.IN_PROGRESS, "Diusulkan dalam rancangan revisi maklumat."),
                Progress(
                    date(2015, 10, 1),
                    ActionStatus.DONE,
                    "Dua loket pendaftaran buka sejak 1 Oktober 2015; maklumat versi 2 menjanjikan 5 menit.",
                ),
            ],
        ),
        ActionPlan(
            "Mengusulkan tarif surat keterangan sehat Rp 10.000 sesuai tarif retribusi dalam revisi maklumat.",
            "Siti Nurhayati, ketua tim maklumat",
            date(2015, 9, 30),
            "surat-keterangan-sehat",
            [
                Progress(
                    date(2015, 9, 15),
                    ActionStatus.DONE,
                    "Disepakati dalam Forum Konsultasi Publik 15 September 2015; berlaku 1 Oktober 2015.",
                )
            ],
        ),
        ActionPlan(
            "Memusatkan pelayanan di desa pada posyandu dan Posbindu terjadwal di setiap desa, dan mengusulkan "
            "penghapusan Puskesmas Keliling dari maklumat.",
            "Sri Wahyuni, bidan koordinator",
            date(2015, 12, 31),
            "puskesmas-keliling",
            [
                Progress(date(2015, 9, 15), ActionStatus.IN_PROGRESS, "Disepakati dalam Forum Konsultasi Publik."),
                Progress(
                    date(2015, 12, 14),
                    ActionStatus.DONE,
                    "Jadwal posyandu dan Posbindu 2016 untuk setiap desa dibagikan melalui pemerintah desa.",
                ),
            ],
        ),
        ActionPlan(
            "Menyiapkan pemeriksaan kesehatan calon pengantin bersama KUA Kecamatan Soko dan memasukkannya ke "
            "dalam revisi maklumat.",
            "Sri Wahyuni, bidan koordinator",
            date(2015, 10, 1),
            None,
            [
                Progress(
                    date(2015, 9, 28),
                    ActionStatus.DONE,
                    "Bidan dilatih konseling calon pengantin; alur rujukan dari KUA disepakati.",
                )
            ],
        ),
        ActionPlan(
            "Memasang layar nomor antrean di ruang tunggu dan menyiapkan pendaftaran tanpa antre bagi peserta JKN.",
            "Siti Nurhayati, penanggung jawab mutu",
            date(2016, 6, 30),
            "pendaftaran",
            [
                Progress(
                    date(2016, 2, 1),
                    ActionStatus.IN_PROGRESS,
                    "Layar nomor antrean terpasang Februari 2016; pendaftaran tanpa antre bagi peserta JKN belum "
                    "tersedia.",
                )
            ],
        ),
    ],
    revision_started=SOKO_REVISION_2015,
    requests=[RevisionRequest("catin", BRIDES_REQUEST)],
)

SOKO_ROUNDS = [ROUND_2014, ROUND_2015]
