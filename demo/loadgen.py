"""Data at national scale for benchmarks: `python manage.py generate_load_data`.

Facilities across the provinces, each with a published charter of many services (the demo's
service standards, varied: fees, durations, the auxiliary health posts of its villages), a survey
period and satisfaction answers over the last year, and complaints, suggestions, compliments and
questions over three years whose status follows their age. Each facility has a head, the user
`<slug>-head`, without a password. One facility, the *busiest*, gets the
largest share (by default 200,000 answers and three quarters of the cases), so the pages of a
crowded Puskesmas can be measured.

Everything is written with `bulk_create` in batches through the models' managers, on PostgreSQL
and SQLite alike: the survey's daily sums (`SurveyDay`) follow as for any write. The data is drawn
from a random generator seeded with `--seed`.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
import time
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from charters import search
from charters.models import (
    Charter,
    CharterStatus,
    Facility,
    Membership,
    MembershipRole,
    ProcedureStep,
    Requirement,
    ScheduleSlot,
    ServiceStandard,
)
from feedback import codes
from feedback.models import (
    DEFAULT_CLASS_FOR_KIND,
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    FeedbackKind,
    FeedbackSettings,
    SurveyPeriod,
    SurveyResponse,
)
from feedback.models.survey import AgeGroup, Education, Occupation, ResponseChannel, Sex

from .data.charters import ELDERLY_CARE, MOBILE_CLINIC
from .data.services import RENGEL_SERVICES, SOKO_SERVICES
from .replay.charters import service_content

User = get_user_model()
BATCH = 5000
SLUG_PREFIX = "load-"
CASE_YEARS_DAYS = 3 * 365

# Regencies with their province; the districts are drawn from the list below.
REGENCIES = [
    ("Kabupaten Tuban", "Jawa Timur"),
    ("Kabupaten Bojonegoro", "Jawa Timur"),
    ("Kabupaten Lamongan", "Jawa Timur"),
    ("Kabupaten Jember", "Jawa Timur"),
    ("Kabupaten Malang", "Jawa Timur"),
    ("Kabupaten Blora", "Jawa Tengah"),
    ("Kabupaten Rembang", "Jawa Tengah"),
    ("Kabupaten Banyumas", "Jawa Tengah"),
    ("Kabupaten Bogor", "Jawa Barat"),
    ("Kabupaten Garut", "Jawa Barat"),
    ("Kabupaten Cianjur", "Jawa Barat"),
    ("Kabupaten Serang", "Banten"),
    ("Kabupaten Sleman", "DI Yogyakarta"),
    ("Kabupaten Lombok Timur", "Nusa Tenggara Barat"),
    ("Kabupaten Kupang", "Nusa Tenggara Timur"),
    ("Kabupaten Gowa", "Sulawesi Selatan"),
    ("Kabupaten Bone", "Sulawesi Selatan"),
    ("Kabupaten Deli Serdang", "Sumatera Utara"),
    ("Kabupaten Aceh Besar", "Aceh"),
    ("Kabupaten Kampar", "Riau"),
    ("Kabupaten Banjar", "Kalimantan Selatan"),
    ("Kabupaten Kutai Kartanegara", "Kalimantan Timur"),
    ("Kabupaten Jayapura", "Papua"),
    ("Kota Surabaya", "Jawa Timur"),
    ("Kota Makassar", "Sulawesi Selatan"),
]
DISTRICTS = [
    "Soko",
    "Rengel",
    "Kerek",
    "Montong",
    "Jatirogo",
    "Bangilan",
    "Senori",
    "Singgahan",
    "Parengan",
    "Plumpang",
    "Widang",
    "Palang",
    "Semanding",
    "Merakurak",
    "Jenu",
    "Tambakboyo",
    "Bancar",
    "Grabagan",
    "Sukamaju",
    "Sukamakmur",
    "Cibeber",
    "Cikalong",
    "Pasirjambu",
    "Karangrejo",
    "Sumberrejo",
    "Kedungadem",
    "Sugihwaras",
    "Babat",
    "Pucuk",
    "Sukodadi",
    "Wonosari",
    "Tanjungsari",
    "Sidomulyo",
    "Bontonompo",
    "Pallangga",
    "Sungguminasa",
    "Tanete",
    "Lubuk Pakam",
    "Batang Kuis",
    "Kota Jantho",
    "Bangkinang",
    "Martapura",
    "Tenggarong",
    "Sentani",
    "Selong",
    "Masbagik",
    "Oelamasi",
    "Ciruas",
    "Depok",
    "Ngaglik",
]
VILLAGES = [
    "Mojoagung",
    "Sumurcinde",
    "Tluwe",
    "Glagahsari",
    "Kendalrejo",
    "Prambontergayang",
    "Jegulo",
    "Pandanwangi",
    "Bangunrejo",
    "Menilo",
    "Cekalang",
    "Simo",
    "Pandanagung",
    "Gununganyar",
    "Latsari",
    "Rahayu",
]
COMPLAINTS = [
    "Antrean di loket pendaftaran terlalu lama, saya menunggu dua jam.",
    "Petugas apotek kurang ramah saat menjelaskan cara minum obat.",
    "Tempat parkir sempit dan tidak ada petugas yang mengatur.",
    "Toilet di ruang tunggu kotor dan airnya tidak mengalir.",
    "Dokter datang terlambat, poli umum baru buka jam sepuluh.",
    "Mohon ditambah kursi di ruang tunggu poli anak.",
    "Terima kasih, bidan sangat sabar dan membantu persalinan istri saya.",
    "Bagaimana cara mendaftar imunisasi untuk anak usia dua bulan?",
    "Hasil laboratorium belum keluar setelah tiga hari.",
    "Biaya surat keterangan sehat tidak sesuai dengan yang tertulis di maklumat.",
    "Ruang pemeriksaan gigi panas, pendingin udara rusak.",
    "Jadwal posyandu lansia tidak diumumkan di desa kami.",
]
NAMES = ["Budi Santoso", "Siti Rahayu", "Agus Wijaya", "Dewi Lestari", "Joko Susilo", "Sri Wahyuni", "Ahmad Fauzi"]
REPLY = "Terima kasih atas masukannya. Kami sudah menindaklanjuti bersama penanggung jawab layanan."
COMMENTS = ["Pelayanan cepat dan ramah.", "Antrean masih lama.", "Ruang tunggu bersih.", "Petugas sabar menjelaskan."]


@dataclasses.dataclass(frozen=True)
class Plan:
    facilities: int = 2000
    services: int = 40
    responses: int = 1_000_000
    busiest_responses: int = 200_000
    cases: int = 200_000
    busiest_cases_share: float = 0.75
    seed: int = 2026

    def __post_init__(self) -> None:
        if self.facilities < 1 or self.services < 1:
            raise ValueError("at least one facility with one service")
        if not 0 <= self.busiest_responses <= self.responses:
            raise ValueError("the busiest facility's answers are part of all the answers")
        if not 0 <= self.busiest_cases_share <= 1:
            raise ValueError("the busiest facility's share of the cases is between 0 and 1")


Progress = Callable[[str], None]


def _batches(items: Iterator[Any], size: int = BATCH) -> Iterator[list[Any]]:
    while batch := list(islice(items, size)):
        yield batch


def busiest_slug() -> str:
    return f"{SLUG_PREFIX}0001"


def head_username(slug: str) -> str:
    return f"{slug}-head"


def exists() -> bool:
    return Facility.objects.filter(slug=busiest_slug()).exists()


# --- Facilities and charters -----------------------------------------------------------------------


def _catalogue() -> list[dict[str, Any]]:
    """The demo's service standards, each once (by its web address name)."""
    seen: dict[str, dict[str, Any]] = {}
    for data in [*SOKO_SERVICES, *RENGEL_SERVICES, MOBILE_CLINIC, ELDERLY_CARE]:
        seen.setdefault(data["slug"], data)
    return list(seen.values())


def _service_plans(count: int) -> list[tuple[dict[str, Any], list[str], list[str], list[tuple[Any, Any, Any]]]]:
    """`count` services: the catalogue, then the auxiliary health posts (Pustu) of the villages."""
    plans = []
    for data in _catalogue():
        content = service_content(data, None)
        plans.append(
            (
                content.fields,
                [row.values["text"] for row in content.requirements],
                [row.values["text"] for row in content.steps],
                [(row.values["weekday"], row.values["opens"], row.values["closes"]) for row in content.schedule],
            )
        )
    general = next(plan for plan in plans if plan[0]["slug"] == "poli-umum")
    number = 0
    while len(plans) < count:
        round_ = number // len(VILLAGES)
        village = VILLAGES[number % len(VILLAGES)] + (f" {round_ + 1}" if round_ else "")
        fields = {
            **general[0],
            "name": f"Pemeriksaan Umum di Pustu {village}",
            "slug": slugify(f"pustu-{village}"),
            "description": f"Pemeriksaan dan pengobatan dasar di Puskesmas Pembantu Desa {village}.",
        }
        plans.append((fields, general[1], general[2], general[3]))
        number += 1
    return plans[:count]


def _facilities(plan: Plan, rng: random.Random) -> list[Facility]:
    facilities = []
    used: dict[str, int] = {}
    for number in range(1, plan.facilities + 1):
        regency, province = REGENCIES[(number - 1) % len(REGENCIES)]
        district = rng.choice(DISTRICTS)
        name = f"Puskesmas {district}"
        used[f"{regency}/{name}"] = used.get(f"{regency}/{name}", 0) + 1
        if used[f"{regency}/{name}"] > 1:
            name = f"{name} {used[f'{regency}/{name}']}"
        facilities.append(
            Facility(
                name=name,
                slug=f"{SLUG_PREFIX}{number:04d}",
                district=district,
                village=rng.choice(VILLAGES),
                regency=regency,
                province=province,
                address=f"Jl. Raya {district} No. {rng.randint(1, 200)}",
                phone=f"0356-{rng.randint(100000, 999999)}",
                head_name=f"dr. {rng.choice(NAMES)}",
                vision=f"Masyarakat {district} sehat dan mandiri.",
                mission="Memberikan pelayanan kesehatan yang bermutu.\nMenggerakkan peran serta masyarakat.",
            )
        )
    return Facility.objects.bulk_create(facilities, batch_size=BATCH)


def _heads(facilities: list[Facility]) -> list[Any]:
    """A head for each facility (`<slug>-head`, no password: the admin gives one when needed)."""
    users = []
    for facility in facilities:
        user = User(username=head_username(facility.slug), first_name=facility.head_name)
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users, batch_size=BATCH)
    pairs = zip(users, facilities, strict=True)
    Membership.objects.bulk_create(
        [Membership(user=user, facility=facility, role=MembershipRole.HEAD) for user, facility in pairs],
        batch_size=BATCH,
    )
    return users


def _charters(facilities: list[Facility], plan: Plan, rng: random.Random, progress: Progress) -> list[list[int]]:
    """A published version 1 for each facility, approved and published by its head; the ids of
    each facility's services, in order."""
    now = timezone.now()
    charters = []
    for facility, head in zip(facilities, _heads(facilities), strict=True):
        published = now - datetime.timedelta(days=rng.randint(30, 700))
        charters.append(
            Charter(
                facility=facility,
                version=1,
                status=CharterStatus.DRAFT,  # published once its services are in (a published one is frozen)
                pledge=f"Kami, {facility.name}, sanggup menyelenggarakan pelayanan sesuai standar pelayanan ini.",
                effective_date=published.date(),
                review_due_date=published.date() + datetime.timedelta(days=365),
                agreed_at=published - datetime.timedelta(days=14),
                approved_at=published - datetime.timedelta(days=7),
                published_at=published,
                created_by=head,
                approved_by=head,
                published_by=head,
            )
        )
    charters = Charter.objects.bulk_create(charters, batch_size=BATCH)
    plans = _service_plans(plan.services)
    service_ids: list[list[int]] = []
    for start in range(0, len(charters), max(1, BATCH // plan.services)):
        chunk = charters[start : start + max(1, BATCH // plan.services)]
        services = []
        for charter in chunk:
            for position, (fields, _requirements, _steps, _slots) in enumerate(plans):
                varied = dict(fields)
                if varied.get("fee_amount"):
                    varied["fee_amount"] = int(varied["fee_amount"] * rng.choice((0.8, 1, 1, 1.25)))
                if varied.get("duration_value"):
                    varied["duration_value"] = max(1, varied["duration_value"] + rng.choice((-1, 0, 0, 1)))
                services.append(ServiceStandard(charter=charter, position=position, **varied))
        services = ServiceStandard.objects.bulk_create(services)
        rows: dict[type, list[Any]] = {Requirement: [], ProcedureStep: [], ScheduleSlot: []}
        for index, service in enumerate(services):
            _fields, requirements, steps, slots = plans[index % len(plans)]
            rows[Requirement] += [Requirement(service=service, position=i, text=t) for i, t in enumerate(requirements)]
            rows[ProcedureStep] += [ProcedureStep(service=service, position=i, text=t) for i, t in enumerate(steps)]
            rows[ScheduleSlot] += [ScheduleSlot(service=service, weekday=d, opens=o, closes=c) for d, o, c in slots]
        for model, objects in rows.items():
            model.objects.bulk_create(objects, batch_size=BATCH)
        service_ids += [[s.pk for s in services[i : i + len(plans)]] for i in range(0, len(services), len(plans))]
        Charter.objects.filter(pk__in=[charter.pk for charter in chunk]).update(status=CharterStatus.PUBLISHED)
        progress(f"  charters: {min(start + len(chunk), len(charters)):,} of {len(charters):,}")
    return service_ids


# --- Survey ------------------------------------------------------------------------------------------


def _shares(total: int, busiest: int, count: int, rng: random.Random) -> list[int]:
    """`busiest` for the first facility, the rest of `total` over the others, unevenly."""
    if count == 1:
        return [total]
    weights = [rng.paretovariate(1.5) for _ in range(count - 1)]
    scale = (total - busiest) / sum(weights)
    shares = [int(weight * scale) for weight in weights]
    shares[0] += total - busiest - sum(shares)
    return [busiest, *shares]


def _score(rng: random.Random, mood: float) -> int:
    draw = rng.random() + mood
    return 4 if draw > 0.8 else 3 if draw > 0.25 else 2 if draw > 0.05 else 1


def _responses(facilities: list[Facility], service_ids: list[list[int]], plan: Plan, rng: random.Random) -> Iterator:
    today = timezone.localdate()
    now = timezone.now()
    choices = [list(AgeGroup.values), list(Sex.values), list(Education.values), list(Occupation.values)]
    shares = _shares(plan.responses, plan.busiest_responses, len(facilities), rng)
    for facility, services, share in zip(facilities, service_ids, shares, strict=True):
        mood = rng.uniform(-0.15, 0.15)  # some facilities are liked better than others
        for _ in range(share):
            visited = today - datetime.timedelta(days=rng.randrange(365))
            age, sex, education, occupation = (rng.choice(values) for values in choices)
            yield SurveyResponse(
                facility=facility,
                service_id=rng.choice(services),
                visited_on=visited,
                **{f"u{n}": _score(rng, mood) for n in range(1, 10)},
                age_group=age,
                sex=sex,
                education=education,
                occupation=occupation,
                comment=rng.choice(COMMENTS) if rng.random() < 0.02 else "",
                channel=ResponseChannel.PAPER if rng.random() < 0.3 else ResponseChannel.WEB,
                submitted_at=now,
            )


# --- Cases -------------------------------------------------------------------------------------------


def _code(prefix: str, number: int) -> str:
    """Unique for each number: a multiple by an odd constant modulo 2^40 is a bijection."""
    value = (number * 765432109877) & ((1 << 40) - 1)
    symbols = "".join(codes.ALPHABET[(value >> (5 * k)) & 31] for k in range(7, -1, -1))
    return f"{prefix}-{symbols[:4]}-{symbols[4:]}"


def _status(age_days: float, draw: float) -> str:
    if age_days < 3:
        return CaseStatus.RECEIVED if draw < 0.6 else CaseStatus.IN_PROGRESS if draw < 0.9 else CaseStatus.ANSWERED
    if age_days < 20:
        bands = [(0.15, CaseStatus.RECEIVED), (0.4, CaseStatus.IN_PROGRESS), (0.7, CaseStatus.ANSWERED)]
        bands += [(0.95, CaseStatus.CLOSED), (1.0, CaseStatus.REJECTED)]
    else:
        bands = [(0.01, CaseStatus.RECEIVED), (0.02, CaseStatus.IN_PROGRESS), (0.025, CaseStatus.REOPENED)]
        bands += [(0.1, CaseStatus.ANSWERED), (0.97, CaseStatus.CLOSED), (1.0, CaseStatus.REJECTED)]
    return next(status for limit, status in bands if draw < limit)


def _cases(facilities: list[Facility], service_ids: list[list[int]], plan: Plan, rng: random.Random) -> Iterator:
    now = timezone.now()
    busiest = int(plan.cases * plan.busiest_cases_share)
    shares = _shares(plan.cases, busiest, len(facilities), rng)
    kinds = [(0.7, FeedbackKind.COMPLAINT), (0.85, FeedbackKind.SUGGESTION), (0.95, FeedbackKind.COMPLIMENT)]
    channels = [(0.55, Channel.WEB), (0.75, Channel.WALK_IN), (0.9, Channel.WHATSAPP), (1.0, Channel.PHONE)]
    number = 0
    for facility, services, share in zip(facilities, service_ids, shares, strict=True):
        prefix = _prefix(facility)
        for _ in range(share):
            number += 1
            age = rng.random() * CASE_YEARS_DAYS
            received = now - datetime.timedelta(days=age)
            draw = rng.random()
            kind = next((k for limit, k in kinds if draw < limit), FeedbackKind.QUESTION)
            channel = next(c for limit, c in channels if rng.random() < limit)
            status = _status(age, rng.random())
            anonymous = rng.random() < 0.15
            due = received.date() + datetime.timedelta(days=5 + number % 10)
            replied = status in (CaseStatus.ANSWERED, CaseStatus.CLOSED, CaseStatus.REOPENED)
            first_reply = received + datetime.timedelta(days=(due - received.date()).days * rng.random() * 1.2)
            closed = status in (CaseStatus.CLOSED, CaseStatus.REJECTED)
            yield Case(
                facility=facility,
                code=_code(prefix, number),
                kind=kind,
                complaint_class=DEFAULT_CLASS_FOR_KIND[kind],
                status=status,
                channel=channel,
                service_id=rng.choice(services) if rng.random() > 0.1 else None,
                description=rng.choice(COMPLAINTS),
                occurred_on=received.date() - datetime.timedelta(days=1),
                anonymous=anonymous,
                name="" if anonymous else rng.choice(NAMES),
                phone="" if anonymous else f"0812{rng.randint(0, 99_999_999):08d}",
                email="" if anonymous or number % 3 else f"warga{number}@example.org",
                received_at=received,
                due_date=due,
                first_reply_at=first_reply if replied else None,
                closed_at=(first_reply if replied else received) + datetime.timedelta(days=2) if closed else None,
                reopened_at=first_reply + datetime.timedelta(days=1) if status == CaseStatus.REOPENED else None,
                rejection_reason="Bukan wewenang puskesmas." if status == CaseStatus.REJECTED else "",
            )


def _prefix(facility: Facility) -> str:
    number = int(facility.slug.removeprefix(SLUG_PREFIX))
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(letters[(number // len(letters) ** k) % len(letters)] for k in (2, 1, 0))


def _events(cases: list[Case]) -> Iterator[CaseEvent]:
    for case in cases:
        yield CaseEvent(
            case=case, kind="received", public=True, by_citizen=True, to_status="received", created_at=case.received_at
        )
        if case.first_reply_at:
            yield CaseEvent(
                case=case,
                kind="reply",
                public=True,
                text=REPLY,
                from_status="in_progress",
                to_status="answered",
                created_at=case.first_reply_at,
            )
        if case.closed_at:
            yield CaseEvent(
                case=case,
                kind="status",
                public=True,
                from_status="answered",
                to_status=case.status,
                created_at=case.closed_at,
            )


# --- All of it ---------------------------------------------------------------------------------------


def generate(plan: Plan, progress: Progress) -> None:
    """Write the plan's data; `progress` hears how far it got."""
    rng = random.Random(plan.seed)
    started = time.monotonic()

    def step(message: str) -> None:
        progress(f"[{time.monotonic() - started:6.1f} s] {message}")

    with transaction.atomic():
        facilities = _facilities(plan, rng)
        FeedbackSettings.objects.bulk_create(
            [FeedbackSettings(facility=facility, code_prefix=_prefix(facility)) for facility in facilities]
        )
        step(f"{len(facilities):,} facilities")
        service_ids = _charters(facilities, plan, rng, step)
        step(f"{len(facilities):,} published charters with {plan.services} services each")
        search.refresh_all()  # bulk_create sends no signal
        step("search documents")
        year_ago = timezone.localdate() - datetime.timedelta(days=364)
        SurveyPeriod.objects.bulk_create(
            SurveyPeriod(
                facility=facility, name="Setahun terakhir", start=year_ago, end=timezone.localdate(), population=20_000
            )
            for facility in facilities
        )
    written = 0
    for batch in _batches(_responses(facilities, service_ids, plan, rng)):
        SurveyResponse.objects.bulk_create(batch)  # with the daily sums, in its own transaction
        written += len(batch)
        if written % 100_000 < BATCH or written == plan.responses:
            step(f"survey answers: {written:,} of {plan.responses:,}")
    written = 0
    for batch in _batches(_cases(facilities, service_ids, plan, rng)):
        with transaction.atomic():
            cases = Case.objects.bulk_create(batch)
            CaseEvent.objects.bulk_create(_events(cases), batch_size=BATCH)
        written += len(batch)
        if written % 50_000 < BATCH or written == plan.cases:
            step(f"cases with their events: {written:,} of {plan.cases:,}")
    step("done")
