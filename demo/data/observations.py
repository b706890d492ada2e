"""Service-time observations at Puskesmas Soko over the last three months: what the monitoring
team timed at the counters, and the registration desk's queue machine.

Per service: how many users were timed, and how long they took as a share of the promised
duration (the typical time, and how far the slowest go). Registration and the general clinic
mostly keep their promise; the pharmacy does not on busy mornings (compounded drugs), which is
what the survey's U3 and the complaints about waiting say too.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitoring.models import ObservationMethod


@dataclass(frozen=True)
class ServiceTiming:
    slug: str
    count: int  # users timed over the three months
    typical: float  # median time as a share of the promise (0.6: 60% of the promised minutes)
    spread: float  # how far above the typical time the slow ones go, as a share of the promise
    method: str = ObservationMethod.OBSERVED


SOKO_TIMINGS: list[ServiceTiming] = [
    ServiceTiming("pendaftaran", 160, 0.8, 0.9, ObservationMethod.QUEUE_MACHINE),
    ServiceTiming("poli-umum", 90, 0.7, 0.6),
    ServiceTiming("kia", 40, 0.75, 0.5),
    ServiceTiming("imunisasi", 30, 0.6, 0.5),
    ServiceTiming("farmasi", 120, 1.1, 1.2),
    ServiceTiming("laboratorium", 36, 0.8, 0.7),
    ServiceTiming("surat-keterangan-sehat", 24, 0.7, 0.4, ObservationMethod.EXIT_INTERVIEW),
    # Too few to be shown to the public: the monitoring team timed it on two mornings only.
    ServiceTiming("poli-gigi", 8, 0.9, 0.5),
]
OBSERVED_DAYS = 91
