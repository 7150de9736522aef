"""The demo's complaint registers: a few synthetic complaints for Langkat's units, in 2023 (the
finished cycle) and this year (the cycle in progress), so the Pengaduan cards, the registers
and the rapor show figures.

Every complaint is labelled synthetic, has a ``DEMO-`` tracking ID and no real person behind
it; the sequence comes from a fixed seed. A complaint is created once (by tracking ID): a later
run changes nothing, and this year's dates never pass the day the demo is first loaded.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from patuh.complaints.models import Channel, Complaint, ComplaintClass, Source
from patuh.orgs.models import ServiceUnit

GOVERNMENT = "12.05"
UNITS = {"dinkes": 6, "disdukcapil": 8, "dpmptsp": 4, "puskesmas-karang-rejo": 3}
"""Units with complaints, and how many each year."""
SUBJECTS = (
    ("Antrean layanan terlalu lama", ComplaintClass.COMPLAINT, "Waktu layanan"),
    ("Petugas loket tidak ramah", ComplaintClass.COMPLAINT, "Perilaku petugas"),
    ("Persyaratan di laman berbeda dengan di loket", ComplaintClass.COMPLAINT, "Persyaratan"),
    ("Usul layanan pada hari Sabtu", ComplaintClass.ASPIRATION, "Waktu layanan"),
    ("Jadwal layanan keliling", ComplaintClass.INFORMATION_REQUEST, "Informasi layanan"),
    ("Biaya tidak sesuai standar pelayanan", ComplaintClass.COMPLAINT, "Biaya layanan"),
)
CHANNELS = (Channel.LAPOR, Channel.LAPOR, Channel.WALK_IN, Channel.PHONE, Channel.SOCIAL_MEDIA)


def _complaints(unit: ServiceUnit, year: int, count: int, today: dt.date) -> list[Complaint]:
    rng = random.Random(f"{unit.code}-{year}")
    first = dt.date(year, 1, 6)
    last = min(dt.date(year, 12, 20), today)
    rows = []
    for number in range(1, count + 1):
        span = max((last - first).days, 0)
        received = first + dt.timedelta(days=span * number // (count + 1))
        subject, complaint_class, category = SUBJECTS[rng.randrange(len(SUBJECTS))]
        channel = CHANNELS[rng.randrange(len(CHANNELS))]
        forwarded = received + dt.timedelta(days=rng.choice((0, 1, 2, 4, 6)))
        followed = forwarded + dt.timedelta(days=rng.choice((2, 4, 6, 8, 12)))
        closed = followed + dt.timedelta(days=rng.choice((3, 7, 12, 16)))
        dates = [d if d <= today else None for d in (forwarded, followed, closed)]
        if year == today.year and number == count:
            dates[1] = None  # this year's latest is still waiting for its follow-up
        if dates[0] is None:
            dates = [None, None, None]
        if dates[1] is None:
            dates[2] = None
        anonymous = rng.random() < 0.3
        # complaints closed long ago carry no identity: retention would have erased it
        named = not anonymous and year >= today.year - 1
        rows.append(
            Complaint(
                unit=unit,
                tracking_id=f"DEMO-{year}-{unit.code[:4].upper()}-{number:02d}",
                channel=channel,
                complaint_class=complaint_class,
                category=category,
                subject=f"{subject} (contoh sintetis)",
                description="Contoh sintetis untuk data demo; bukan laporan sebenarnya.",
                received_on=received,
                forwarded_on=dates[0],
                disposition_to="Sekretariat" if dates[0] else "",
                followed_up_on=dates[1],
                follow_up="Ditindaklanjuti oleh unit (contoh sintetis)." if dates[1] else "",
                closed_on=dates[2],
                anonymous=anonymous,
                complainant_name=f"Warga Contoh {number}" if named else "",
                complainant_contact=f"0812-0000-{number:04d}" if named else "",
                source=Source.IMPORT if channel == Channel.LAPOR else Source.WALK_IN_FORM,
                is_synthetic=True,
            )
        )
    return rows


def load_demo_complaints(years: list[int]) -> int:
    """Create the demo complaints of ``years`` that are missing; returns how many."""
    today = timezone.localdate()
    units = ServiceUnit.objects.filter(government__region_code=GOVERNMENT, code__in=UNITS)
    existing = set(
        Complaint.objects.filter(unit__in=units, tracking_id__startswith="DEMO-").values_list(
            "unit_id", "tracking_id"
        )
    )
    new = [
        complaint
        for unit in units
        for year in years
        if dt.date(year, 1, 6) <= today
        for complaint in _complaints(unit, year, UNITS[unit.code], today)
        if (unit.pk, complaint.tracking_id) not in existing
    ]
    Complaint.objects.bulk_create(new)
    return len(new)
