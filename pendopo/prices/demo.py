"""Demo price data (a `pendopo demo` step after the regions'; idempotent).

Banyuwangi: 4 markets, the 20 commodities of the reference list, 90 days of approved prices with
a chilli spike over the last 12 days, ahead of the next national holiday, the last day's entries waiting for approval
(some flagged), IPH weights, alert rules (fired over the spike) and a cheap market. Mamuju
Tengah: 2 markets with 90 days of prices. Users: `<prefix>.pasar` (enumerator of every market),
`<prefix>.tpid` (head of the trade office, approves). A fixed seed keeps the figures the same.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal

from django.db import transaction

from pendopo.lib import dates
from pendopo.prices.models import (
    AlertRule,
    Commodity,
    CommodityWeight,
    EnumeratorAssignment,
    Intervention,
    Market,
    PriceEntry,
)
from pendopo.prices.reference_data import load_reference_data
from pendopo.regions.demo import _member, _user, demo_password, register_demo_step
from pendopo.regions.models import Agency, Region, Role

DAYS = 90
SPIKE_DAYS = 12
BASE = {
    "beras-medium": 13200, "beras-premium": 14800, "beras-sphp": 12400, "kedelai-impor": 11500,
    "bawang-merah": 38000, "bawang-putih": 39000, "cabai-merah-keriting": 45000, "cabai-merah-besar": 42000,
    "cabai-rawit-merah": 50000, "cabai-rawit-hijau": 40000, "daging-sapi-paha-belakang": 135000,
    "daging-sapi-paha-depan": 125000, "daging-ayam-ras": 37000, "telur-ayam-ras": 28000, "gula-pasir": 17800,
    "minyakita": 15800, "minyak-goreng-curah": 17000, "minyak-goreng-kemasan": 20000, "tepung-terigu": 11000,
    "jagung-peternak": 5500,
}  # fmt: skip
# Susenas-like weights (illustrative, not a survey's figures).
WEIGHTS = {
    "beras-medium": 30, "beras-premium": 10, "beras-sphp": 2, "kedelai-impor": 2, "bawang-merah": 6,
    "bawang-putih": 4, "cabai-merah-keriting": 5, "cabai-merah-besar": 2, "cabai-rawit-merah": 5,
    "cabai-rawit-hijau": 1, "daging-sapi-paha-belakang": 4, "daging-sapi-paha-depan": 2, "daging-ayam-ras": 9,
    "telur-ayam-ras": 8, "gula-pasir": 4, "minyakita": 3, "minyak-goreng-curah": 1, "minyak-goreng-kemasan": 1,
    "tepung-terigu": 1, "jagung-peternak": 0,
}  # fmt: skip
MARKETS = {
    "banyuwangi": (
        ("DISKOPUMP", "Dinas Koperasi, Usaha Mikro dan Perdagangan", "Diskop UMP"),
        [
            ("banyuwangi", "Pasar Banyuwangi", Market.Kind.TRADITIONAL, "-8.2186", "114.3691"),
            ("rogojampi", "Pasar Rogojampi", Market.Kind.TRADITIONAL, "-8.3108", "114.2825"),
            ("genteng", "Pasar Genteng", Market.Kind.TRADITIONAL, "-8.3656", "114.1493"),
            ("induk-genteng", "Pasar Induk Genteng (grosir)", Market.Kind.WHOLESALE, "-8.3701", "114.1520"),
        ],
    ),
    "mamuju-tengah": (
        ("DISPERINDAG", "Dinas Perindustrian, Perdagangan, Koperasi dan UKM", "Disperindagkop"),
        [
            ("tobadak", "Pasar Tobadak", Market.Kind.TRADITIONAL, "-1.8570", "119.5030"),
            ("topoyo", "Pasar Topoyo", Market.Kind.TRADITIONAL, "-1.7300", "119.4500"),
        ],
    ),
}
CHILLIES = {"cabai-merah-keriting", "cabai-merah-besar", "cabai-rawit-merah", "cabai-rawit-hijau"}


def _holiday_ahead(today: dt.date) -> tuple[dt.date, str]:
    """The next national holiday (within a year): the demo's chilli prices climb ahead of it."""
    for year in (today.year, today.year + 1):
        for day, name in sorted(dates.national_holidays(year).items()):
            if day > today:
                return day, name
    return today + dt.timedelta(days=10), ""


def _spike(back: int) -> float:
    """Chilli prices climb over the last 12 days to +80 % today (traders stock up ahead of the holiday)."""
    return 1 + 0.8 * (SPIKE_DAYS - back) / SPIKE_DAYS if back <= SPIKE_DAYS else 1.0


def _round(price: float) -> int:
    step = 500 if price >= 20000 else 100
    return max(step, round(price / step) * step)


def _load_region(region: Region, rng: random.Random, password: str) -> int:
    (agency_code, agency_name, short_name), specs = MARKETS[region.slug]
    if Market.objects.filter(region=region).exists():
        return 0
    agency, _created = Agency.objects.get_or_create(
        region=region, code=agency_code, defaults={"name": agency_name, "short_name": short_name}
    )
    markets = Market.objects.bulk_create(
        [
            Market(region=region, agency=agency, code=code, name=name, kind=kind, latitude=Decimal(lat), longitude=Decimal(lon))
            for code, name, kind, lat, lon in specs
        ]
    )
    p = region.prefix.lower()
    enumerator = _user(f"{p}.pasar", f"Enumerator Harga {region.regency.name}", password)
    coordinator = _user(f"{p}.tpid", f"Koordinator TPID {region.regency.name}", password)
    _member(enumerator, region, Role.OFFICER, agency=agency)
    _member(coordinator, region, Role.HEAD, agency=agency)
    EnumeratorAssignment.objects.bulk_create([EnumeratorAssignment(region=region, market=m, user=enumerator) for m in markets])
    commodities = {c.code: c for c in Commodity.objects.filter(code__in=BASE)}
    CommodityWeight.objects.bulk_create(
        [
            CommodityWeight(region=region, commodity=commodities[code], weight=w, source="Contoh (bukan angka Susenas)")
            for code, w in WEIGHTS.items()
        ]
    )
    today = dates.today(region.time_zone)
    spiking = region.slug == "banyuwangi"
    rows = []
    for market_no, market in enumerate(markets):
        level = {
            code: base * (1 + 0.02 * (market_no - 1.5)) * (0.97 if market.kind == Market.Kind.WHOLESALE else 1)
            for code, base in BASE.items()
        }
        for back in range(DAYS - 1, -1, -1):
            day = today - dt.timedelta(days=back)
            for code, commodity in commodities.items():
                drift = 0.03 if code in CHILLIES or code.startswith("bawang") else 0.006
                level[code] *= 1 + rng.gauss(0, drift)
                level[code] = min(max(level[code], BASE[code] * 0.8), BASE[code] * 1.25)
                factor = _spike(back) if spiking and code in CHILLIES else 1.0
                price = _round(level[code] * factor)
                pending = back == 0
                rows.append(
                    PriceEntry(
                        region=region, market=market, commodity=commodity, date=day, price=price, entered_price=price,
                        status=PriceEntry.Status.PENDING if pending else PriceEntry.Status.APPROVED,
                        source=PriceEntry.Source.DEMO, idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
                        entered_by=enumerator, reviewed_by=None if pending else coordinator,
                    )
                )  # fmt: skip
    if rows:
        # One of today's entries looks implausible (three times the price): the coordinator finds it flagged.
        rows[-1].price = rows[-1].entered_price = rows[-1].price * 3
        rows[-1].status, rows[-1].jump = PriceEntry.Status.FLAGGED, Decimal(200)
    PriceEntry.objects.bulk_create(rows, batch_size=2000)
    if spiking:
        _alerts(region, commodities, today, coordinator)
    return len(rows)


def _alerts(region: Region, commodities: dict[str, Commodity], today: dt.date, coordinator) -> None:
    from pendopo.prices.alerts import evaluate

    rules = [
        AlertRule(region=region, commodity=commodities[c], kind=AlertRule.Kind.ABOVE_REFERENCE, threshold=10, days=3)
        for c in ("cabai-rawit-merah", "cabai-merah-keriting", "bawang-merah")
    ]
    rules += [
        AlertRule(region=region, commodity=commodities[c], kind=AlertRule.Kind.JUMP, threshold=20, days=1)
        for c in sorted(CHILLIES)
    ]
    rules += [
        AlertRule(region=region, commodity=commodities[c], kind=AlertRule.Kind.ZSCORE, threshold=z, weeks=4)
        for c, z in (("cabai-rawit-merah", 2.5), ("bawang-merah", 2.5), ("beras-medium", 1.5), ("gula-pasir", 1.5))
    ]  # fmt: skip
    AlertRule.objects.bulk_create(rules)
    for back in range(30, 0, -1):
        evaluate(region, today - dt.timedelta(days=back))
    start = today - dt.timedelta(days=3)
    Intervention.objects.create(
        region=region, kind=Intervention.Kind.CHEAP_MARKET, date=start, place="Taman Blambangan, Banyuwangi",
        commodity=commodities["cabai-rawit-merah"], quantity="500 kg", recorded_by=coordinator,
        note=f"Gerakan Pangan Murah bersama Bulog dan kelompok tani menjelang {_holiday_ahead(today)[1] or 'hari besar'}.",
    )  # fmt: skip


@transaction.atomic
def load_demo_prices() -> str | None:
    load_reference_data()
    rng = random.Random(17_2024)  # noqa: S311 -- demo data, not security
    password = demo_password()
    counts = [
        f"{region.slug} {_load_region(region, rng, password)}"
        for region in Region.objects.filter(slug__in=MARKETS).select_related("regency").order_by("slug")
    ]
    return "prices: entries " + ", ".join(counts)


register_demo_step(80, "prices", load_demo_prices)
