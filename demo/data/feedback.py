"""Three months of feedback at the demo's facilities: complaints, suggestions, compliments and
questions as the citizens sent them, and what staff and citizens did about each since.

Days count back from the day of the run, so the inbox always holds recent cases, a few overdue
and one due soon.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from charters.models import ComplaintClass
from feedback.models import Channel, FeedbackKind, Rating


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

# Complaints at Montong that nobody answered: every one of them is past its deadline.
MONTONG_CASES: list[CasePlan] = [
    CasePlan(
        days_ago,
        9 + index % 5,
        K.COMPLAINT,
        C.WEB if index % 2 else C.BOX,
        service,
        text,
    )
    for index, (days_ago, service, text) in enumerate(
        [
            (45, "pendaftaran", "Loket pendaftaran baru buka jam 08.30, padahal jadwalnya jam 07.30."),
            (38, "farmasi", "Obat racikan untuk anak saya baru jadi setelah dua jam menunggu."),
            (33, "poli-umum", "Dokter tidak ada di tempat, pasien diperiksa perawat tanpa penjelasan."),
            (27, "pendaftaran", "Petugas pendaftaran meminta fotokopi KTP padahal sudah membawa kartu JKN."),
            (21, "farmasi", "Apotek tutup sebelum jam pelayanan selesai."),
            (16, "imunisasi", "Jadwal imunisasi di posyandu diundur tanpa pemberitahuan."),
            (12, "poli-umum", "Ruang tunggu panas dan tidak ada kursi untuk lansia."),
            (9, "pendaftaran", "Nomor antrean habis jam 09.00, pasien disuruh datang besok."),
        ]
    )
]

ACTIVITY: dict[str, list[CasePlan]] = {"pkm-soko": SOKO_CASES, "pkm-rengel": RENGEL_CASES, "pkm-montong": MONTONG_CASES}
DESK = {"pkm-soko": EDITOR, "pkm-rengel": "other-editor", "pkm-montong": "admin"}  # who enters phone, box, walk-in
