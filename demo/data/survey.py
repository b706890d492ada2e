"""The demo's satisfaction survey: how citizens answer at Puskesmas Soko and Rengel, who they
are, what they write, and how many each facility serves and asks per semester.

At Soko, waiting time (U3) and the waiting room (U8) are the weak elements, as in most Puskesmas
surveys; after the first evaluation's follow-up the waiting time improves. The current semester
is still running: it has fewer respondents than Krejcie & Morgan ask for, and the report says so.
"""

from __future__ import annotations

# Chances of the answers 1, 2, 3 and 4 for each element, at Soko in its first semester.
SOKO_ANSWERS: dict[str, tuple[float, float, float, float]] = {
    "U1": (0.01, 0.07, 0.62, 0.30),
    "U2": (0.01, 0.10, 0.63, 0.26),
    "U3": (0.05, 0.26, 0.53, 0.16),
    "U4": (0.00, 0.02, 0.30, 0.68),
    "U5": (0.01, 0.06, 0.63, 0.30),
    "U6": (0.00, 0.05, 0.58, 0.37),
    "U7": (0.01, 0.06, 0.55, 0.38),
    "U8": (0.04, 0.21, 0.58, 0.17),
    "U9": (0.03, 0.17, 0.58, 0.22),
}
# How much more often later semesters answer 3 or 4 instead of 1 or 2, per element.
SOKO_IMPROVEMENT: dict[str, float] = {"U3": 0.10, "U8": 0.04}

# Where the respondents were served: the busy services get most of the questionnaires.
SERVICE_WEIGHTS: dict[str, int] = {
    "pendaftaran": 18,
    "poli-umum": 20,
    "farmasi": 14,
    "kia": 10,
    "kb": 5,
    "imunisasi": 6,
    "poli-gigi": 5,
    "laboratorium": 6,
    "ugd": 3,
    "persalinan": 2,
    "konseling-gizi": 2,
    "tb-kusta": 1,
    "lansia": 3,
    "surat-keterangan-sehat": 3,
    "surat-rujukan": 2,
    "catin": 1,
}

AGE = (("under_20", 8), ("20_29", 22), ("30_39", 26), ("40_49", 19), ("50_59", 13), ("60_plus", 10), ("undisclosed", 2))
SEX = (("female", 61), ("male", 37), ("undisclosed", 2))
EDUCATION = (
    ("none", 4),
    ("primary", 24),
    ("junior", 24),
    ("senior", 31),
    ("diploma", 5),
    ("bachelor", 9),
    ("postgraduate", 1),
    ("undisclosed", 2),
)
OCCUPATION = (
    ("homemaker", 27),
    ("farmer", 22),
    ("labourer", 12),
    ("self_employed", 11),
    ("private", 8),
    ("student", 8),
    ("civil_servant", 4),
    ("retired", 2),
    ("not_working", 3),
    ("other", 2),
    ("undisclosed", 1),
)

COMMENTS = (
    "Antrean pendaftaran pagi masih panjang, mohon ditambah petugas.",
    "Petugas ramah dan sabar menjelaskan cara minum obat.",
    "Ruang tunggu panas, kipas angin sering mati.",
    "Pelayanan bidan sangat baik, terima kasih.",
    "Kursi tunggu kurang, banyak yang berdiri.",
    "Dokter menjelaskan penyakit dengan jelas.",
    "Obat sudah lengkap, tidak perlu beli di luar.",
    "Tolong toilet pasien lebih sering dibersihkan.",
    "Nomor antrean sangat membantu, sekarang lebih tertib.",
    "Saya belum tahu cara menyampaikan pengaduan.",
    "Parkir motor sempit.",
    "Pelayanan cepat, tidak sampai satu jam sudah selesai.",
    "Belum ada jalur kursi roda di poli, ibu saya kesulitan masuk.",
    "Petugas lab teliti dan hasil cepat keluar.",
)

# The semesters of each facility, oldest first, the last one running: (population served,
# respondents over the whole semester; the running one has its share so far).
SEMESTERS: dict[str, list[tuple[int, int]]] = {
    "pkm-soko": [(6150, 372), (6320, 381), (6400, 386)],
    "pkm-rengel": [(3900, 180), (4050, 215)],
}
