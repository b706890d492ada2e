"""The demo's service standards: Puskesmas Soko's as revised in 2015 (version 2 of its charter)
and Puskesmas Rengel's, with their opening hours and the components they share.

Names of people are invented; organisations and places are real ones of Kabupaten Tuban. Version 1
of Soko's charter (2013) and the revision in consultation are derived from `SOKO_SERVICES` in
`demo.data.charters`, so the differences between versions are spelled out in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time
from typing import Any

from charters.models import DurationUnit, ServiceCategory, ServiceMethod, Weekday

# --- Opening hours ------------------------------------------------------------------

Slot = tuple[int, time, time]

MON_THU = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY)


def opening_hours(days: Iterable[int], *ranges: tuple[str, str]) -> list[Slot]:
    """Slots for each day and each (opens, closes) range, e.g. two ranges around a break."""
    return [(day, time.fromisoformat(opens), time.fromisoformat(closes)) for day in days for opens, closes in ranges]


# Ordinary outpatient hours of a Puskesmas in Tuban.
OFFICE_HOURS = [
    *opening_hours(MON_THU, ("07:30", "14:00")),
    *opening_hours([Weekday.FRIDAY], ("07:30", "11:00")),
    *opening_hours([Weekday.SATURDAY], ("07:30", "12:30")),
]
# The same with the midday break (istirahat) on long days.
HOURS_WITH_BREAK = [
    *opening_hours(MON_THU, ("07:30", "11:30"), ("12:30", "14:00")),
    *opening_hours([Weekday.FRIDAY], ("07:30", "11:00")),
    *opening_hours([Weekday.SATURDAY], ("07:30", "12:30")),
]
ROUND_THE_CLOCK = opening_hours(Weekday.values, ("00:00", "23:59"))

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
        "description": "Imunisasi dasar dan lanjutan bagi bayi dan balita (vaksin BCG, polio, DPT-HB-Hib, campak "
        "rubela), serta imunisasi Td bagi wanita usia subur dan ibu hamil.",
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
        "schedule": opening_hours([Weekday.TUESDAY, Weekday.THURSDAY], ("07:30", "12:00")),
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
        schedule=opening_hours([Weekday.WEDNESDAY, Weekday.SATURDAY], ("08:00", "11:00")),
        staff_count="1 bidan dan 1 pengelola vaksin",
    ),
    _variant(
        "farmasi",
        staff_competence="Tenaga teknis kefarmasian dengan STR, dibina apoteker penanggung jawab.",
        staff_count="2 tenaga teknis kefarmasian",
    ),
]
