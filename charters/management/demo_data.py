"""The demo's content: Puskesmas service standards, rights and obligations, and the history of
Puskesmas Soko's charter (forum meetings, participants, public comments).

Names of people are invented; organisations and places are real ones of Kabupaten Tuban. Version 2
of Soko's charter (2015) is `SOKO_SERVICES`; version 1 (2013) and the revision in consultation are
derived from it, so the differences between versions are spelled out in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from charters.models import (
    ClauseKind,
    ClauseParty,
    DurationUnit,
    ParticipantGroup,
    ServiceCategory,
    ServiceMethod,
    Weekday,
)

# --- Opening hours ------------------------------------------------------------------

Slot = tuple[int, time, time]

MON_THU = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY)


def _hours(days: Iterable[int], *ranges: tuple[str, str]) -> list[Slot]:
    """Slots for each day and each (opens, closes) range, e.g. two ranges around a break."""
    return [(day, time.fromisoformat(opens), time.fromisoformat(closes)) for day in days for opens, closes in ranges]


# Ordinary outpatient hours of a Puskesmas in Tuban.
OFFICE_HOURS = [
    *_hours(MON_THU, ("07:30", "14:00")),
    *_hours([Weekday.FRIDAY], ("07:30", "11:00")),
    *_hours([Weekday.SATURDAY], ("07:30", "12:30")),
]
# The same with the midday break (istirahat) on long days.
HOURS_WITH_BREAK = [
    *_hours(MON_THU, ("07:30", "11:30"), ("12:30", "14:00")),
    *_hours([Weekday.FRIDAY], ("07:30", "11:00")),
    *_hours([Weekday.SATURDAY], ("07:30", "12:30")),
]
ROUND_THE_CLOCK = _hours(Weekday.values, ("00:00", "23:59"))

# --- Service standards --------------------------------------------------------------

RETRIBUTION_BASIS = "Peraturan Daerah Kabupaten Tuban tentang Retribusi Jasa Umum"

# Components every service of the demo shares unless it says otherwise.
COMMON_COMPONENTS: dict[str, str] = {
    "complaint_handling": (
        "Pengaduan, saran dan masukan dapat disampaikan melalui kotak saran di ruang tunggu, SMS/WhatsApp ke "
        "nomor pengaduan yang tertera di papan informasi, langsung kepada petugas atau Kepala Puskesmas, atau "
        "melalui SP4N-LAPOR!. Setiap pengaduan dicatat dan diberi nomor. Pengaduan ringan dijawab paling lambat "
        "2 hari kerja, pengaduan lain paling lambat 5 hari kerja; pengaduan yang memerlukan pemeriksaan "
        "lapangan diselesaikan paling lambat 14 hari kerja."
    ),
    "legal_basis": (
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik; Undang-Undang tentang Kesehatan; "
        "Peraturan Menteri PANRB Nomor 15 Tahun 2014 tentang Pedoman Standar Pelayanan; Peraturan Menteri "
        "Kesehatan tentang Pusat Kesehatan Masyarakat."
    ),
    "facilities": (
        "Ruang tunggu dengan tempat duduk dan kipas angin, loket prioritas bagi lansia, ibu hamil dan penyandang "
        "disabilitas, kursi roda, jalur landai (ramp), toilet, papan informasi standar pelayanan, dan kotak saran."
    ),
    "internal_supervision": (
        "Dilakukan oleh Kepala Puskesmas, penanggung jawab mutu dan atasan langsung melalui pengawasan harian, "
        "lokakarya mini bulanan dan audit internal."
    ),
    "service_guarantee": (
        "Pelayanan diberikan sesuai standar pelayanan ini dan maklumat pelayanan yang ditandatangani Kepala "
        "Puskesmas; bila tidak sesuai, pengguna layanan berhak mengadu dan mendapat tanggapan."
    ),
    "safety_guarantee": (
        "Petugas bekerja sesuai standar operasional prosedur serta prinsip pencegahan dan pengendalian infeksi; "
        "rekam medis dan data pasien dijaga kerahasiaannya; tersedia alat pemadam api ringan dan jalur evakuasi."
    ),
    "performance_evaluation": (
        "Kinerja petugas dievaluasi setiap bulan dalam lokakarya mini dan setiap tahun melalui Survei Kepuasan "
        "Masyarakat serta penilaian kinerja pegawai."
    ),
}

# One dict per service: model fields, plus `requirements`, `steps`, `schedule` (slots), `duration`
# (value, unit) and `fee_amount` (None means free of charge). Matched between versions by `slug`.
# Soko's charter as revised in 2015 (version 2, the published one).
SOKO_SERVICES: list[dict[str, Any]] = [
    {
        "slug": "pendaftaran",
        "name": "Pendaftaran Pasien (Loket)",
        "category": ServiceCategory.REGISTRATION,
        "description": "Pendaftaran pasien baru dan lama sebelum mendapat pelayanan di poli atau unit yang dituju.",
        "requirements": [
            "Kartu identitas (KTP/KK)",
            "Kartu JKN/BPJS Kesehatan bagi peserta",
            "Kartu berobat Puskesmas bagi pasien lama",
        ],
        "steps": [
            "Pasien mengambil nomor antrean di meja antrean.",
            "Petugas memanggil pasien sesuai nomor antrean; lansia, ibu hamil dan penyandang disabilitas didahulukan.",
            "Petugas memeriksa identitas dan kepesertaan JKN, lalu mencari atau membuat rekam medis.",
            "Pasien diarahkan ke ruang tunggu poli atau unit yang dituju.",
        ],
        "schedule": OFFICE_HOURS,
        "schedule_note": "Tutup pada hari libur nasional; pasien gawat darurat langsung ke UGD 24 jam.",
        "duration": (5, DurationUnit.MINUTES),
        "duration_note": "Paling lama 10 menit untuk pasien baru.",
        "fee_amount": None,
        "fee_note": "Gratis untuk semua pasien.",
        "methods": [ServiceMethod.WALK_IN],
        "product": "Nomor antrean dan rekam medis; pasien terdaftar pada poli atau unit yang dituju.",
        "staff_competence": "Petugas rekam medis (D3 Rekam Medis dan Informasi Kesehatan) terlatih pelayanan prima.",
        "staff_count": "2 petugas loket",
    },
    {
        "slug": "poli-umum",
        "name": "Pemeriksaan Umum (Poli Umum)",
        "category": ServiceCategory.CLINICAL,
        "description": "Pemeriksaan, diagnosis dan pengobatan penyakit umum bagi pasien dewasa dan anak.",
        "requirements": [
            "Kartu identitas (KTP/KK)",
            "Kartu JKN/BPJS Kesehatan bagi peserta",
            "Nomor antrean dari loket pendaftaran",
        ],
        "steps": [
            "Pasien mendaftar di loket dan menunggu panggilan di ruang tunggu Poli Umum.",
            "Perawat menanyakan keluhan dan mengukur tanda vital (tekanan darah, suhu, berat badan).",
            "Dokter memeriksa, menegakkan diagnosis, dan menjelaskan penyakit serta pengobatannya.",
            "Dokter menulis resep, permintaan laboratorium atau surat rujukan bila diperlukan.",
            "Pasien menuju apotek atau laboratorium sesuai petunjuk.",
        ],
        "schedule": OFFICE_HOURS,
        "duration": (20, DurationUnit.MINUTES),
        "duration_note": "15–30 menit, tergantung keluhan.",
        "fee_amount": 10000,
        "fee_note": (
            "Gratis bagi peserta JKN/BPJS Kesehatan. Pasien umum membayar retribusi rawat jalan Rp 10.000, "
            "sudah termasuk obat."
        ),
        "fee_legal_basis": RETRIBUTION_BASIS,
        "methods": [ServiceMethod.WALK_IN, ServiceMethod.APPOINTMENT],
        "product": "Hasil pemeriksaan dan diagnosis, resep obat, dan bila perlu permintaan laboratorium atau rujukan.",
        "staff_competence": "Dokter umum dengan STR dan SIP yang berlaku; perawat dengan STR.",
        "staff_count": "2 dokter umum dan 3 perawat",
    },
    {
        "slug": "kia",
        "name": "Kesehatan Ibu dan Anak (KIA)",
        "category": ServiceCategory.MATERNAL_CHILD,
        "description": "Pemeriksaan kehamilan, nifas, serta pemantauan tumbuh kembang bayi dan balita.",
        "requirements": ["Buku KIA", "Kartu identitas (KTP/KK)", "Kartu JKN/BPJS Kesehatan bagi peserta"],
        "steps": [
            "Ibu atau pengantar mendaftar di loket dengan membawa Buku KIA.",
            "Bidan menanyakan keluhan, lalu menimbang dan mengukur ibu atau balita.",
            "Bidan memeriksa kehamilan atau tumbuh kembang anak dan mencatat hasilnya di Buku KIA.",
            "Bidan memberikan konseling, tablet tambah darah atau vitamin, dan jadwal kunjungan berikutnya.",
            "Bila ditemukan risiko tinggi, pasien dikonsultasikan ke dokter atau dirujuk.",
        ],
        "schedule": OFFICE_HOURS,
        "duration": (20, DurationUnit.MINUTES),
        "duration_note": "Pemeriksaan kehamilan pertama yang lengkap hingga 45 menit.",
        "fee_amount": None,
        "fee_note": "Gratis bagi semua ibu hamil, ibu nifas, bayi dan balita.",
        "methods": [ServiceMethod.WALK_IN, ServiceMethod.OUTREACH, ServiceMethod.HOME_VISIT],
        "product": "Hasil pemeriksaan tercatat di Buku KIA, konseling, tablet tambah darah atau vitamin A, dan "
        "jadwal kunjungan ulang.",
        "staff_competence": "Bidan dengan STR dan SIPB, terlatih pelayanan antenatal terpadu dan SDIDTK.",
        "staff_count": "3 bidan",
    },
    {
        "slug": "kb",
        "name": "Keluarga Berencana (KB)",
        "category": ServiceCategory.MATERNAL_CHILD,
        "description": "Konseling dan pelayanan kontrasepsi: pil, suntik, implan dan IUD.",
        "requirements": [
            "Kartu identitas (KTP/KK)",
            "Kartu JKN/BPJS Kesehatan bagi peserta",
            "Kartu KB bagi akseptor lama",
            "Persetujuan suami untuk pemasangan implan atau IUD",
        ],
        "steps": [
            "Pasien mendaftar di loket.",
            "Bidan memberikan konseling tentang pilihan metode kontrasepsi.",
            "Bidan memeriksa tekanan darah, berat badan dan kemungkinan hamil.",
            "Pasien menandatangani persetujuan tindakan untuk implan atau IUD.",
            "Bidan memberikan pelayanan kontrasepsi dan mencatat jadwal kunjungan ulang di Kartu KB.",
        ],
        "schedule": OFFICE_HOURS,
        "duration": (20, DurationUnit.MINUTES),
        "duration_note": "Pemasangan implan atau IUD 30–45 menit.",
        "fee_amount": None,
        "fee_note": "Gratis; alat kontrasepsi disediakan oleh program Keluarga Berencana pemerintah.",
        "methods": [ServiceMethod.WALK_IN, ServiceMethod.APPOINTMENT, ServiceMethod.OUTREACH],
        "product": "Pelayanan kontrasepsi sesuai pilihan pasien dan Kartu KB dengan jadwal kunjungan ulang.",
        "staff_competence": "Bidan terlatih konseling kontrasepsi serta pemasangan implan dan IUD.",
        "staff_count": "2 bidan",
    },
    {
        "slug": "imunisasi",
        "name": "Imunisasi",
        "category": ServiceCategory.MATERNAL_CHILD,
        "description": "Imunisasi dasar dan lanjutan bagi bayi dan balita, serta imunisasi Td bagi wanita usia subur "
        "dan ibu hamil.",
        "requirements": [
            "Buku KIA atau kartu imunisasi",
            "Anak dalam keadaan sehat (tidak demam tinggi)",
            "Didampingi orang tua atau wali",
        ],
        "steps": [
            "Orang tua mendaftar di loket atau di meja pendaftaran posyandu.",
            "Petugas menimbang anak dan menanyakan riwayat kesehatan serta imunisasi sebelumnya.",
            "Petugas menjelaskan jenis vaksin dan kemungkinan reaksi setelah imunisasi.",
            "Petugas memberikan imunisasi dan mencatatnya di Buku KIA.",
            "Anak menunggu 30 menit di ruang tunggu untuk pengamatan reaksi setelah imunisasi.",
        ],
        "schedule": _hours([Weekday.TUESDAY, Weekday.THURSDAY], ("07:30", "12:00")),
        "schedule_note": "Imunisasi juga diberikan di posyandu setiap bulan sesuai jadwal posyandu desa.",
        "duration": (15, DurationUnit.MINUTES),
        "duration_note": "Belum termasuk 30 menit pengamatan setelah imunisasi.",
        "fee_amount": None,
        "fee_note": "Gratis; vaksin disediakan oleh program imunisasi pemerintah.",
        "methods": [ServiceMethod.WALK_IN, ServiceMethod.OUTREACH],
        "product": "Imunisasi sesuai jadwal dan catatannya di Buku KIA.",
        "staff_competence": "Bidan atau perawat terlatih imunisasi dan penanganan kejadian ikutan pasca imunisasi.",
        "staff_count": "2 bidan dan 1 pengelola vaksin",
    },
    {
        "slug": "poli-gigi",
        "name": "Pemeriksaan Gigi dan Mulut (Poli Gigi)",
        "category": ServiceCategory.CLINICAL,
        "description": "Pemeriksaan, penambalan, pencabutan dan pembersihan karang gigi, serta penyuluhan kesehatan "
        "gigi dan mulut.",
        "requirements": [
            "Kartu identitas (KTP/KK)",
            "Kartu JKN/BPJS Kesehatan bagi peserta",
            "Nomor antrean dari loket pendaftaran",
        ],
        "steps": [
            "Pasien mendaftar di loket dan menunggu panggilan di ruang tunggu Poli Gigi.",
            "Terapis gigi mencatat keluhan dan riwayat kesehatan.",
            "Dokter gigi memeriksa, menjelaskan rencana perawatan dan meminta persetujuan pasien.",
            "Dokter gigi melakukan tindakan dan memberi edukasi perawatan di rumah.",
            "Pasien menuju apotek bila mendapat resep, atau menerima jadwal kontrol.",
        ],
        "schedule": OFFICE_HOURS,
        "duration": (30, DurationUnit.MINUTES),
        "duration_note": "Penambalan atau pencabutan dapat memerlukan kunjungan ulang.",
        "fee_amount": 10000,
        "fee_note": (
            "Gratis bagi peserta JKN/BPJS Kesehatan. Pasien umum membayar retribusi pemeriksaan Rp 10.000; "
            "tindakan (tambal, cabut, pembersihan karang gigi) sesuai tarif retribusi yang dipasang di ruang tunggu."
        ),
        "fee_legal_basis": RETRIBUTION_BASIS,
        "methods": [ServiceMethod.WALK_IN, ServiceMethod.APPOINTMENT],
        "product": "Hasil pemeriksaan, tindakan perawatan gigi, resep bila perlu, dan jadwal kontrol.",
        "staff_competence": "Dokter gigi dengan STR dan SIP; terapis gigi dan mulut dengan STR.",
        "staff_count": "1 dokter gigi dan 1 terapis gigi dan mulut",
    },
    {
        "slug": "laboratorium",
        "name": "Pemeriksaan Laboratorium",
        "category": ServiceCategory.SUPPORT,
        "description": "Pemeriksaan laboratorium sederhana: darah lengkap, gula darah, kolesterol, asam urat, urine, "
        "tes kehamilan dan dahak.",
        "requirements": [
            "Surat permintaan pemeriksaan dari dokter atau bidan",
            "Kartu JKN/BPJS Kesehatan bagi peserta",
            "Puasa 10–12 jam untuk pemeriksaan gula darah puasa dan kolesterol",
        ],
        "steps": [
            "Pasien menyerahkan surat permintaan pemeriksaan di loket laboratorium.",
            "Petugas menjelaskan persiapan dan mengambil sampel darah, urine atau dahak.",
            "Petugas memeriksa sampel dan memvalidasi hasilnya.",
            "Hasil diserahkan kepada pasien atau dikirim langsung ke poli yang meminta.",
        ],
        "schedule": HOURS_WITH_BREAK,
        "schedule_note": "Sampel diterima paling lambat 1 jam sebelum layanan tutup.",
        "duration": (60, DurationUnit.MINUTES),
        "duration_note": "Pemeriksaan sederhana 30–60 menit; pemeriksaan dahak 1 hari kerja.",
        "fee_amount": 10000,
        "fee_note": (
            "Gratis bagi peserta JKN/BPJS Kesehatan atas permintaan dokter Puskesmas. Pasien umum membayar per "
            "jenis pemeriksaan, mulai Rp 10.000, sesuai tarif retribusi."
        ),
        "fee_legal_basis": RETRIBUTION_BASIS,
        "methods": [ServiceMethod.WALK_IN, ServiceMethod.REFERRAL],
        "product": "Lembar hasil pemeriksaan laboratorium.",
        "staff_competence": "Ahli Teknologi Laboratorium Medik (ATLM) dengan STR.",
        "staff_count": "2 ATLM",
    },
    {
        "slug": "farmasi",
        "name": "Pelayanan Obat (Apotek)",
        "category": ServiceCategory.SUPPORT,
        "description": "Penyerahan obat sesuai resep disertai informasi cara pemakaian dan penyimpanan.",
        "requirements": ["Resep dari dokter, dokter gigi atau bidan Puskesmas", "Nomor antrean apotek"],
        "steps": [
            "Pasien menyerahkan resep di loket apotek dan menerima nomor antrean.",
            "Petugas memeriksa resep lalu menyiapkan atau meracik obat.",
            "Petugas memeriksa ulang kesesuaian obat dengan resep.",
            "Petugas memanggil pasien, menyerahkan obat, dan menjelaskan cara pemakaian, efek samping dan "
            "penyimpanannya.",
        ],
        "schedule": OFFICE_HOURS,
        "duration": (10, DurationUnit.MINUTES),
        "duration_note": "Paling lama 20 menit untuk obat racikan.",
        "fee_amount": None,
        "fee_note": "Gratis; obat sudah termasuk dalam pelayanan poli.",
        "methods": [ServiceMethod.WALK_IN],
        "product": "Obat sesuai resep dengan etiket yang jelas dan informasi obat.",
        "staff_competence": "Apoteker dengan STRA dan SIPA; tenaga teknis kefarmasian dengan STR.",
        "staff_count": "1 apoteker dan 2 tenaga teknis kefarmasian",
    },
    {
        "slug": "ugd",
        "name": "Unit Gawat Darurat (UGD)",
        "category": ServiceCategory.EMERGENCY,
        "description": "Pertolongan dan penanganan kasus gawat darurat 24 jam, termasuk stabilisasi dan rujukan.",
        "requirements": [
            "Pasien gawat darurat ditangani tanpa menunggu kelengkapan berkas",
            "Kartu identitas (KTP/KK), dapat menyusul",
            "Kartu JKN/BPJS Kesehatan bagi peserta, dapat menyusul",
        ],
        "steps": [
            "Pasien datang langsung ke UGD dan petugas segera melakukan triase.",
            "Dokter atau perawat memberi pertolongan dan stabilisasi sesuai tingkat kegawatan.",
            "Keluarga melengkapi pendaftaran di meja UGD.",
            "Pasien dipulangkan, dirawat, atau dirujuk ke rumah sakit dengan ambulans bila perlu.",
        ],
        "schedule": ROUND_THE_CLOCK,
        "schedule_note": "Buka 24 jam setiap hari, termasuk hari libur.",
        "duration": (5, DurationUnit.MINUTES),
        "duration_note": "Triase segera saat pasien tiba; lama penanganan sesuai kondisi pasien.",
        "fee_amount": 25000,
        "fee_note": (
            "Gratis bagi peserta JKN/BPJS Kesehatan. Pasien umum membayar retribusi tindakan gawat darurat mulai "
            "Rp 25.000; pertolongan tidak pernah ditunda karena urusan biaya."
        ),
        "fee_legal_basis": RETRIBUTION_BASIS,
        "methods": [ServiceMethod.WALK_IN, ServiceMethod.TELEPHONE],
        "product": "Pertolongan gawat darurat, dan bila perlu surat rujukan serta ambulans.",
        "staff_competence": "Dokter dan perawat dengan sertifikat pelatihan kegawatdaruratan yang berlaku.",
        "staff_count": "1 dokter dan 2 perawat jaga setiap shift",
    },
    {
        "slug": "persalinan",
        "name": "Persalinan dan Rawat Inap",
        "category": ServiceCategory.EMERGENCY,
        "description": "Pertolongan persalinan normal, perawatan ibu dan bayi baru lahir, dan rawat inap pasien "
        "dengan penyakit ringan.",
        "requirements": [
            "Buku KIA",
            "Kartu identitas (KTP) dan Kartu Keluarga",
            "Kartu JKN/BPJS Kesehatan bagi peserta",
            "Didampingi keluarga",
        ],
        "steps": [
            "Ibu bersalin datang ke ruang bersalin dan diperiksa bidan.",
            "Bidan menjelaskan hasil pemeriksaan dan meminta persetujuan tindakan.",
            "Bidan menolong persalinan dan merawat bayi baru lahir (inisiasi menyusu dini, vitamin K, imunisasi "
            "hepatitis B).",
            "Ibu dan bayi dirawat dan dipantau paling sedikit 24 jam.",
            "Pasien pulang dengan surat keterangan lahir dan jadwal kunjungan nifas, atau dirujuk bila ada komplikasi.",
        ],
        "schedule": ROUND_THE_CLOCK,
        "schedule_note": "Ruang bersalin dan rawat inap buka 24 jam.",
        "duration": (24, DurationUnit.HOURS),
        "duration_note": "Perawatan setelah persalinan paling sedikit 24 jam; lama rawat inap sesuai kondisi pasien.",
        "fee_amount": 750000,
        "fee_note": (
            "Gratis bagi peserta JKN/BPJS Kesehatan dan penerima Jampersal. Pasien umum membayar paket persalinan "
            "normal, termasuk rawat inap ibu dan bayi."
        ),
        "fee_legal_basis": RETRIBUTION_BASIS,
        "methods": [ServiceMethod.WALK_IN, ServiceMethod.REFERRAL],
        "product": "Pertolongan persalinan, perawatan ibu dan bayi, surat keterangan lahir, atau surat rujukan.",
        "staff_competence": "Bidan dan perawat terlatih asuhan persalinan normal dan kegawatdaruratan obstetri "
        "neonatal; dokter penanggung jawab.",
        "staff_count": "1 dokter, 6 bidan dan 4 perawat dalam tiga shift",
    },
    {
        "slug": "konseling-gizi",
        "name": "Konseling Gizi",
        "category": ServiceCategory.PUBLIC_HEALTH,
        "description": "Konsultasi gizi bagi balita gizi kurang, ibu hamil kurang energi kronis, remaja anemia dan "
        "pasien penyakit tidak menular.",
        "requirements": [
            "Kartu identitas (KTP/KK)",
            "Rujukan internal dari poli, atau Buku KIA bagi balita dan ibu hamil",
        ],
        "steps": [
            "Pasien datang dengan rujukan internal dari poli, atau langsung mendaftar di loket.",
            "Nutrisionis mengukur berat dan tinggi badan serta menilai status gizi.",
            "Nutrisionis menanyakan pola makan, memberikan konseling dan contoh menu.",
            "Pasien menerima leaflet dan jadwal konseling ulang; balita gizi kurang dipantau di posyandu.",
        ],
        "schedule": HOURS_WITH_BREAK,
        "duration": (30, DurationUnit.MINUTES),
        "fee_amount": None,
        "fee_note": "Gratis bagi semua warga.",
        "methods": [ServiceMethod.WALK_IN, ServiceMethod.REFERRAL, ServiceMethod.OUTREACH],
        "product": "Penilaian status gizi, konseling dan anjuran diet tertulis; makanan tambahan bagi balita gizi "
        "kurang dan ibu hamil kurang energi kronis sesuai program.",
        "staff_competence": "Nutrisionis (D3/S1 Gizi) dengan STR.",
        "staff_count": "1 nutrisionis",
    },
    {
        "slug": "tb-kusta",
        "name": "Pelayanan TB dan Kusta",
        "category": ServiceCategory.PUBLIC_HEALTH,
        "description": "Penemuan, pengobatan dan pemantauan pasien tuberkulosis (TB) dan kusta sampai sembuh.",
        "requirements": [
            "Kartu identitas (KTP/KK)",
            "Rujukan internal dari Poli Umum atau rujukan dari fasilitas lain",
            "Kartu pengobatan bagi pasien lama",
        ],
        "steps": [
            "Pasien dengan gejala (batuk 2 minggu atau lebih, bercak kulit mati rasa) diperiksa dokter di Poli Umum.",
            "Pasien menyerahkan dahak untuk pemeriksaan laboratorium, atau kulitnya diperiksa petugas kusta.",
            "Dokter menetapkan diagnosis dan petugas program menjelaskan pengobatan.",
            "Pasien dan pengawas menelan obat menerima obat dan jadwal pengambilan berikutnya.",
            "Petugas mengunjungi rumah pasien untuk memeriksa kontak serumah.",
        ],
        "schedule": OFFICE_HOURS,
        "duration": (30, DurationUnit.MINUTES),
        "duration_note": "Hasil pemeriksaan dahak keluar dalam 1 hari kerja.",
        "fee_amount": None,
        "fee_note": "Gratis bagi semua pasien; obat TB dan kusta disediakan oleh program nasional.",
        "methods": [ServiceMethod.WALK_IN, ServiceMethod.REFERRAL, ServiceMethod.HOME_VISIT],
        "product": "Diagnosis, obat TB atau kusta sampai tuntas, kartu pengobatan, dan pemeriksaan kontak serumah.",
        "staff_competence": "Dokter dan perawat pengelola program TB dan kusta yang telah mengikuti pelatihan program.",
        "staff_count": "1 dokter dan 2 perawat pengelola program",
    },
    {
        "slug": "klinik-sanitasi",
        "name": "Klinik Sanitasi",
        "category": ServiceCategory.PUBLIC_HEALTH,
        "description": "Konsultasi kesehatan lingkungan bagi pasien penyakit berbasis lingkungan (diare, demam "
        "berdarah, ISPA, penyakit kulit) dan masyarakat umum.",
        "requirements": [
            "Rujukan internal dari poli bagi pasien penyakit berbasis lingkungan",
            "Kartu identitas (KTP/KK) bagi masyarakat umum",
        ],
        "steps": [
            "Pasien datang dengan rujukan internal dari poli, atau langsung mendaftar di loket.",
            "Sanitarian menanyakan kondisi rumah dan lingkungan: air bersih, jamban, sampah dan jentik nyamuk.",
            "Sanitarian memberikan konseling dan saran perbaikan lingkungan.",
            "Bila perlu, sanitarian menjadwalkan kunjungan rumah dalam 7 hari kerja.",
        ],
        "schedule": HOURS_WITH_BREAK,
        "duration": (30, DurationUnit.MINUTES),
        "fee_amount": None,
        "fee_note": "Gratis bagi semua warga.",
        "methods": [ServiceMethod.WALK_IN, ServiceMethod.REFERRAL, ServiceMethod.HOME_VISIT],
        "product": "Konseling dan saran tertulis perbaikan kesehatan lingkungan; kunjungan rumah bila diperlukan.",
        "staff_competence": "Sanitarian (D3/S1 Kesehatan Lingkungan) dengan STR.",
        "staff_count": "1 sanitarian",
    },
    {
        "slug": "surat-keterangan-sehat",
        "name": "Surat Keterangan Sehat",
        "category": ServiceCategory.ADMINISTRATIVE,
        "description": "Pemeriksaan fisik dan penerbitan surat keterangan sehat untuk keperluan sekolah, pekerjaan "
        "atau persyaratan lain.",
        "requirements": [
            "Kartu identitas (KTP/KK) atau kartu pelajar",
            "Pas foto berwarna 3×4 sebanyak 2 lembar",
            "Surat pengantar dari instansi atau sekolah bila diminta",
        ],
        "steps": [
            "Pemohon mendaftar di loket dan membayar retribusi di kasir.",
            "Perawat mengukur tinggi badan, berat badan dan tekanan darah, serta memeriksa penglihatan dan buta warna.",
            "Dokter memeriksa fisik pemohon.",
            "Dokter menandatangani surat keterangan sehat dan petugas menyerahkannya kepada pemohon.",
        ],
        "schedule": OFFICE_HOURS,
        "duration": (30, DurationUnit.MINUTES),
        "fee_amount": 10000,
        "fee_note": (
            "Semua pemohon, termasuk peserta JKN, membayar Rp 10.000: surat keterangan untuk keperluan "
            "administrasi tidak ditanggung JKN. Pemeriksaan laboratorium tambahan dibayar terpisah."
        ),
        "fee_legal_basis": RETRIBUTION_BASIS,
        "methods": [ServiceMethod.WALK_IN],
        "product": "Surat keterangan sehat yang ditandatangani dokter.",
        "staff_competence": "Dokter umum dengan STR dan SIP; perawat dengan STR.",
        "staff_count": "1 dokter dan 1 perawat",
    },
    {
        "slug": "surat-rujukan",
        "name": "Surat Rujukan",
        "category": ServiceCategory.ADMINISTRATIVE,
        "description": "Penerbitan surat rujukan ke rumah sakit bagi pasien yang memerlukan pemeriksaan atau "
        "perawatan lanjutan.",
        "requirements": [
            "Kartu JKN/BPJS Kesehatan bagi peserta",
            "Kartu identitas (KTP/KK)",
            "Hasil pemeriksaan dokter Puskesmas yang menyatakan perlu dirujuk",
        ],
        "steps": [
            "Pasien diperiksa dokter di poli atau UGD.",
            "Dokter menjelaskan alasan rujukan dan pilihan rumah sakit.",
            "Petugas membuat rujukan elektronik dan mencetak surat rujukan.",
            "Pasien menerima surat rujukan dan penjelasan cara mendaftar di rumah sakit.",
        ],
        "schedule": OFFICE_HOURS,
        "schedule_note": "Rujukan gawat darurat dibuat di UGD 24 jam.",
        "duration": (10, DurationUnit.MINUTES),
        "fee_amount": None,
        "fee_note": "Gratis.",
        "methods": [ServiceMethod.WALK_IN],
        "product": "Surat rujukan (rujukan elektronik bagi peserta JKN) yang berlaku sesuai ketentuan BPJS Kesehatan.",
        "staff_competence": "Dokter atau dokter gigi; petugas administrasi terlatih aplikasi rujukan BPJS Kesehatan.",
        "staff_count": "1 petugas administrasi rujukan",
    },
    {
        "slug": "catin",
        "name": "Pemeriksaan Kesehatan Calon Pengantin (Catin)",
        "category": ServiceCategory.MATERNAL_CHILD,
        "description": "Pemeriksaan kesehatan, laboratorium, imunisasi Td dan konseling pranikah bagi calon "
        "pengantin sebagai syarat pendaftaran nikah.",
        "requirements": [
            "Kartu identitas (KTP) kedua calon pengantin",
            "Surat pengantar dari desa atau KUA",
            "Pas foto 3×4 sebanyak 2 lembar",
        ],
        "steps": [
            "Calon pengantin mendaftar di loket dengan membawa surat pengantar.",
            "Bidan menanyakan riwayat kesehatan dan memeriksa fisik serta status gizi.",
            "Petugas laboratorium memeriksa darah (Hb, golongan darah) dan tes kehamilan bila diperlukan.",
            "Bidan memberikan imunisasi Td sesuai status imunisasi dan konseling kesehatan reproduksi.",
            "Calon pengantin menerima surat keterangan pemeriksaan catin.",
        ],
        "schedule": OFFICE_HOURS,
        "duration": (60, DurationUnit.MINUTES),
        "duration_note": "Termasuk pemeriksaan laboratorium sederhana.",
        "fee_amount": 20000,
        "fee_note": (
            "Setiap calon pengantin membayar Rp 20.000 untuk pemeriksaan laboratorium dan surat keterangan; "
            "imunisasi Td dan konseling gratis."
        ),
        "fee_legal_basis": RETRIBUTION_BASIS,
        "methods": [ServiceMethod.WALK_IN, ServiceMethod.APPOINTMENT],
        "product": "Hasil pemeriksaan, imunisasi Td, konseling pranikah dan surat keterangan pemeriksaan catin.",
        "staff_competence": "Bidan terlatih konseling calon pengantin; Ahli Teknologi Laboratorium Medik.",
        "staff_count": "1 bidan dan 1 ATLM",
    },
]


def _variant(slug: str, **changes: Any) -> dict[str, Any]:
    """A Soko service as another Puskesmas runs it, with the fields that differ there."""
    base = next(s for s in SOKO_SERVICES if s["slug"] == slug)
    return {**base, **changes}


# A smaller Puskesmas: five services, staffed and scheduled a little differently.
RENGEL_SERVICES: list[dict[str, Any]] = [
    _variant("pendaftaran", methods=[ServiceMethod.WALK_IN], staff_count="1 petugas loket"),
    _variant("poli-umum", methods=[ServiceMethod.WALK_IN], staff_count="1 dokter umum dan 2 perawat"),
    _variant("kia", staff_count="2 bidan"),
    _variant(
        "imunisasi",
        schedule=_hours([Weekday.WEDNESDAY, Weekday.SATURDAY], ("08:00", "11:00")),
        staff_count="1 bidan dan 1 pengelola vaksin",
    ),
    _variant(
        "farmasi",
        staff_competence="Tenaga teknis kefarmasian dengan STR, dibina apoteker penanggung jawab.",
        staff_count="2 tenaga teknis kefarmasian",
    ),
]

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
    "schedule": _hours([Weekday.TUESDAY, Weekday.THURSDAY], ("08:00", "12:00")),
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
