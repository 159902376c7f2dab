"""Demo survey data (a `pendopo demo` step after the catalogue's; idempotent).

For both demo regions: responses to every catalogue service over the last twelve months,
people served per month entered for one agency (as if it also served people outside Pendopo, so
that it falls short of its minimum sample; the other agencies' numbers are counted from the demo
applications), and one follow-up plan. A fixed random seed keeps the figures the same on every machine.
The step adds nothing when the region already has responses.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from pendopo.lib import dates
from pendopo.regions.demo import register_demo_step
from pendopo.regions.models import Region, Role
from pendopo.surveys.choices import AgeBand, Channel, Education, Occupation, Sex
from pendopo.surveys.models import FollowUpPlan, ServedCount, SurveyResponse, period_fields

SUGGESTIONS = [
    "Antrian sudah lebih cepat, terima kasih.",
    "Mohon ruang tunggu ditambah kursi.",
    "Petugas ramah dan sigap.",
    "Informasi persyaratan di website kurang jelas.",
    "Parkir kurang luas.",
    "Pelayanan online sangat membantu.",
]
# Each region's mean level of satisfaction per element (U1..U9): the model regency scores higher.
LEVELS = {
    "banyuwangi": (3.6, 3.5, 3.4, 3.9, 3.5, 3.5, 3.7, 3.3, 3.2),
    "mamuju-tengah": (3.1, 2.9, 2.7, 3.6, 3.0, 3.0, 3.3, 2.6, 2.5),
}


def _score(rng: random.Random, level: float) -> int:
    return max(1, min(4, round(rng.gauss(level, 0.55))))


def _load_region(region: Region, rng: random.Random) -> int:
    from pendopo.catalog.models import Service

    if SurveyResponse.objects.filter(region=region).exists():
        return 0
    levels = LEVELS.get(region.slug, LEVELS["mamuju-tengah"])
    services = list(Service.objects.filter(region=region, is_active=True).order_by("code"))
    points = list(region.service_points.filter(is_active=True).order_by("code"))
    today = dates.today(region.time_zone)
    rows = []
    for service in services:
        # Answered where the service is given: its agency's counter, or a point no one agency staffs.
        where = [point for point in points if point.agency_id in (None, service.agency_id)]
        for _ in range(rng.randint(25, 90)):
            day = today - dt.timedelta(days=rng.randint(0, 364))
            rows.append(
                SurveyResponse(
                    region=region,
                    agency_id=service.agency_id,
                    service=service,
                    service_point=rng.choice(where) if where and rng.random() < 0.6 else None,
                    **{f"u{n}": _score(rng, level) for n, level in enumerate(levels, start=1)},
                    sex=rng.choice(Sex.values),
                    age=rng.choice(AgeBand.values),
                    education=rng.choice(Education.values),
                    occupation=rng.choice(Occupation.values),
                    suggestion=rng.choice(SUGGESTIONS) if rng.random() < 0.2 else "",
                    channel=rng.choice([Channel.QR, Channel.KIOSK, Channel.ONLINE, Channel.PAPER]),
                    submitted_at=dt.datetime.combine(day, dt.time(rng.randint(1, 8)), tzinfo=dt.UTC),
                    **period_fields(day),
                )
            )
    SurveyResponse.objects.bulk_create(rows, batch_size=1000)
    for agency_id in sorted({service.agency_id for service in services})[:1]:
        for back in range(12):
            year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
            ServedCount.objects.get_or_create(
                region=region,
                agency_id=agency_id,
                service=None,
                year=year,
                month=month + 1,
                defaults={"served": rng.randint(20, 400)},
            )
    head = region.memberships.filter(role=Role.HEAD, is_active=True).select_related("user", "agency").first()
    if head is not None and head.agency_id:
        FollowUpPlan.objects.get_or_create(
            region=region,
            agency=head.agency,
            period=str(today.year),
            defaults={
                "text": "1. Menambah kursi ruang tunggu (Triwulan berikutnya).\n"
                "2. Memperjelas informasi persyaratan di laman layanan.\n"
                "3. Pelatihan penanganan pengaduan bagi petugas loket.",
                "entered_by": head.user,
            },
        )
    return len(rows)


@transaction.atomic
def load_demo_surveys() -> str | None:
    rng = random.Random(14_2017)  # noqa: S311 -- demo data, not security
    counts = [f"{region.slug} {_load_region(region, rng)}" for region in Region.objects.filter(slug__in=LEVELS).order_by("slug")]
    return "surveys: responses " + ", ".join(counts)


register_demo_step(70, "surveys", load_demo_surveys)
