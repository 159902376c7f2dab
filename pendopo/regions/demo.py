"""The demo regions: Kabupaten Banyuwangi (the model regency) and Kabupaten Mamuju Tengah (the young one).

`pendopo demo` runs `load_demo()`; other apps add their own demo data by registering a step
(`register_demo_step`) from their AppConfig.ready(), so this app depends on none of them.
Every step is idempotent: running the demo twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext as _

from pendopo.regions.models import (
    Agency,
    Membership,
    OfficeHours,
    Regency,
    Region,
    Role,
    ServicePoint,
    User,
    Village,
)

DEFAULT_DEMO_PASSWORD = "pendopo-demo"  # noqa: S105 -- documented demo default, refused when DEBUG is off

T = dt.time


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    run: Callable[[], str | None]


_STEPS: list[DemoStep] = []


def register_demo_step(order: int, name: str, run: Callable[[], str | None]) -> None:
    """Add an app's demo data; `run` returns a line to print (or None). Lower orders run first."""
    if any(step.name == name for step in _STEPS):
        return
    _STEPS.append(DemoStep(order, name, run))


def demo_steps() -> list[DemoStep]:
    return sorted(_STEPS, key=lambda step: (step.order, step.name))


BANYUWANGI_AGENCIES = [
    ("DISPENDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Dispendukcapil"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    ("DINKES", "Dinas Kesehatan", "Dinkes"),
    ("DINSOS", "Dinas Sosial, Pemberdayaan Perempuan dan Keluarga Berencana", "Dinsos PPKB"),
    ("DPUCKPP", "Dinas Pekerjaan Umum Cipta Karya, Perumahan dan Permukiman", "DPU CKPP"),
    ("DISKOPUMP", "Dinas Koperasi, Usaha Mikro dan Perdagangan", "Diskop UMP"),
    ("DISHUB", "Dinas Perhubungan", "Dishub"),
    ("DLH", "Dinas Lingkungan Hidup", "DLH"),
    ("BAPENDA", "Badan Pendapatan Daerah", "Bapenda"),
    ("DISKOMINFO", "Dinas Komunikasi, Informatika dan Persandian", "Diskominfo"),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD"),
    ("BAGORG", "Bagian Organisasi Sekretariat Daerah", "Bagian Organisasi"),
]

MAMUJU_TENGAH_AGENCIES = [
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    ("DINKES", "Dinas Kesehatan", "Dinkes"),
    ("DINSOS", "Dinas Sosial", "Dinsos"),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR"),
    ("DISPERINDAG", "Dinas Perindustrian, Perdagangan, Koperasi dan UKM", "Disperindagkop"),
    ("DISHUB", "Dinas Perhubungan", "Dishub"),
    ("BAPENDA", "Badan Pendapatan Daerah", "Bapenda"),
    ("DISKOMINFO", "Dinas Komunikasi, Informatika, Statistik dan Persandian", "Diskominfo"),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD"),
]


# Heads of the agencies: illustrative names (not the real office holders), so that the agency pages
# and the signature block of a printed service standard look as they will in a live region.
AGENCY_HEADS = {
    "35.10": {
        "DISPENDUKCAPIL": "Drs. Bambang Sutrisno, M.Si.",
        "DPMPTSP": "Ir. Sri Wahyuni, M.M.",
        "DINKES": "dr. Hendra Kusuma, M.Kes.",
        "DINSOS": "Dra. Endang Purwanti, M.Si.",
        "DPUCKPP": "Ir. Agus Santoso, M.T.",
        "DISKOPUMP": "Nur Hidayati, S.E., M.M.",
        "DISHUB": "Drs. Slamet Riyadi, M.Si.",
        "DLH": "Ir. Wahyu Prasetyo, M.Sc.",
        "BAPENDA": "Rudi Hartono, S.E., M.Ak.",
        "DISKOMINFO": "Yuli Astuti, S.Kom., M.T.",
        "DPMD": "Drs. Imam Santoso, M.Si.",
        "BAGORG": "Dewi Lestari, S.Sos., M.AP.",
    },
    "76.06": {
        "DISDUKCAPIL": "Muhammad Arsyad, S.Sos.",
        "DPMPTSP": "Andi Rahmawati, S.E., M.Si.",
        "DINKES": "dr. Hasanuddin, M.Kes.",
        "DINSOS": "Nurhayati, S.Sos.",
        "DPUPR": "Ir. Syamsul Bahri, M.T.",
        "DISPERINDAG": "Abdul Rahman, S.E.",
        "DISHUB": "Baharuddin, S.Sos., M.Si.",
        "BAPENDA": "Hj. Nurlina, S.E.",
        "DISKOMINFO": "Ahmad Fauzi, S.Kom.",
        "DPMD": "Syarifuddin, S.IP.",
    },
}


@dataclass(frozen=True)
class DemoRegion:
    code: str
    slug: str
    prefix: str
    tagline: str
    agencies: list[tuple[str, str, str]]
    population_agency: str
    # weekday -> (opens, closes, break_starts, break_ends)
    hours: dict[int, tuple[dt.time, dt.time, dt.time | None, dt.time | None]]
    mall_name: str
    mall_hours: dict[int, tuple[dt.time, dt.time, dt.time | None, dt.time | None]]
    # The service mall's counters, by the agency that staffs each (Loket 1, 2, …): in a mall every
    # agency keeps its own counter. The first is the civil registration agency's (the counter officer's).
    counters: tuple[str, ...]
    village_offices: int
    # (south, west, north, east) in degrees, a little wider than the published extent so that the coast counts.
    bounds: tuple[str, str, str, str] | None = None


BANYUWANGI = DemoRegion(
    code="35.10",
    slug="banyuwangi",
    prefix="BWI",
    tagline="Kabupaten inovatif, pelayanan publik yang cepat dan dekat",
    agencies=BANYUWANGI_AGENCIES,
    population_agency="DISPENDUKCAPIL",
    hours={**{d: (T(7, 30), T(15, 30), None, None) for d in range(4)}, 4: (T(7, 30), T(14, 0), None, None)},
    mall_name="Mal Pelayanan Publik Banyuwangi",
    mall_hours={
        **{d: (T(7, 30), T(15, 30), None, None) for d in range(4)},
        4: (T(7, 30), T(14, 0), None, None),
        5: (T(8, 0), T(12, 0), None, None),
    },
    counters=("DISPENDUKCAPIL", "DPMPTSP", "BAPENDA", "DINSOS", "DINKES", "DPUCKPP", "DISHUB", "DISKOPUMP"),
    village_offices=4,
    # Banyuwangi lies at 7°43′–8°46′ S and 113°53′–114°38′ E.
    bounds=("-8.80", "113.85", "-7.68", "114.66"),
)

MAMUJU_TENGAH = DemoRegion(
    code="76.06",
    slug="mamuju-tengah",
    prefix="MTG",
    tagline="Membangun pelayanan publik dari desa",
    agencies=MAMUJU_TENGAH_AGENCIES,
    population_agency="DISDUKCAPIL",
    hours={**{d: (T(7, 30), T(16, 0), T(12, 0), T(13, 0)) for d in range(4)}, 4: (T(7, 30), T(16, 30), T(11, 30), T(13, 30))},
    mall_name="Mal Pelayanan Publik Mamuju Tengah",
    mall_hours={},
    counters=("DISDUKCAPIL", "DPMPTSP", "BAPENDA", "DINSOS"),
    village_offices=3,
    # Mamuju Tengah, around Tobadak (about 1°52′ S, 119°30′ E): an approximate box, edited on the region profile.
    bounds=("-2.15", "119.00", "-1.20", "119.95"),
)

DEMO_REGIONS = [BANYUWANGI, MAMUJU_TENGAH]


def demo_password() -> str:
    password = settings.PENDOPO_DEMO_PASSWORD or DEFAULT_DEMO_PASSWORD
    if not settings.DEBUG and password == DEFAULT_DEMO_PASSWORD:
        raise ImproperlyConfigured(
            _("The default demo password is refused when DEBUG is off: set PENDOPO_DEMO_PASSWORD to a strong password.")
        )
    return password


def _hours(region: Region, service_point: ServicePoint | None, table: dict) -> None:
    for weekday, (opens, closes, break_starts, break_ends) in table.items():
        OfficeHours.objects.get_or_create(
            region=region,
            service_point=service_point,
            weekday=weekday,
            defaults={"opens": opens, "closes": closes, "break_starts": break_starts, "break_ends": break_ends},
        )


def _user(username: str, full_name: str, password: str, **extra: object) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "email": f"{username}@demo.pendopo.id", **extra}
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _member(user: User, region: Region, role: Role, **scope: Any) -> None:
    Membership.objects.get_or_create(
        user=user, region=region, role=role, agency=scope.get("agency"), service_point=scope.get("service_point")
    )


@dataclass
class Login:
    username: str
    role: str
    where: str


def load_region(spec: DemoRegion, password: str) -> list[Login]:
    regency = Regency.objects.select_related("province").get(code=spec.code)
    region, _ = Region.objects.get_or_create(
        regency=regency,
        defaults={"slug": spec.slug, "prefix": spec.prefix, "time_zone": regency.default_time_zone, "tagline": spec.tagline},
    )
    if spec.bounds is not None and region.bounds is None:
        region.south, region.west, region.north, region.east = (Decimal(edge) for edge in spec.bounds)
        region.save(update_fields=["south", "west", "north", "east"])
    _hours(region, None, spec.hours)
    agencies = {}
    for code, name, short in spec.agencies:
        agencies[code], _ = Agency.objects.get_or_create(
            region=region,
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "head_title": "Kepala",
                "head_name": AGENCY_HEADS.get(spec.code, {}).get(code, ""),
            },
        )
    mall, _ = ServicePoint.objects.get_or_create(
        region=region,
        code="MPP",
        defaults={"name": spec.mall_name, "kind": ServicePoint.Kind.SERVICE_MALL, "has_own_hours": bool(spec.mall_hours)},
    )
    _hours(region, mall, spec.mall_hours)
    counters = []
    for number, agency_code in enumerate(spec.counters, start=1):
        agency = agencies[agency_code]
        counter, _ = ServicePoint.objects.get_or_create(
            region=region,
            code=f"MPP-L{number:02d}",
            defaults={
                "name": f"Loket {number} {agency.short_name}",
                "kind": ServicePoint.Kind.COUNTER,
                "parent": mall,
                "agency": agency,
            },
        )
        if counter.agency_id is None:  # a counter of an earlier demo, which left counters without an agency
            counter.agency = agency
            counter.save(update_fields=["agency"])
        counters.append(counter)
    villages = list(
        Village.objects.filter(district__regency=regency, kind=Village.Kind.RURAL).order_by("code")[: spec.village_offices]
    )
    village_offices = []
    for village in villages:
        office, _ = ServicePoint.objects.get_or_create(
            region=region,
            code=f"DESA-{village.code}",
            defaults={"name": f"Kantor Desa {village.name}", "kind": ServicePoint.Kind.VILLAGE_OFFICE, "village": village},
        )
        village_offices.append(office)

    p = spec.prefix.lower()
    population = agencies[spec.population_agency]
    admin = _user(f"{p}.admin", f"Admin Pemda {regency.name}", password)
    head = _user(f"{p}.kepala", f"Kepala {population.short_name} {regency.name}", password)
    officer = _user(f"{p}.petugas", f"Petugas {population.short_name}", password)
    counter_officer = _user(f"{p}.loket", f"Petugas Loket 1 {spec.mall_name}", password)
    _member(admin, region, Role.REGION_ADMIN)
    _member(head, region, Role.HEAD, agency=population)
    _member(officer, region, Role.OFFICER, agency=population)
    _member(counter_officer, region, Role.OFFICER, service_point=counters[0])
    logins = [
        Login(admin.username, str(Role.REGION_ADMIN.label), regency.name),
        Login(head.username, str(Role.HEAD.label), population.name),
        Login(officer.username, str(Role.OFFICER.label), population.name),
        Login(counter_officer.username, str(Role.OFFICER.label), counters[0].name + " — " + spec.mall_name),
    ]
    if village_offices:
        village_officer = _user(f"{p}.desa", f"Petugas {village_offices[0].name}", password)
        _member(village_officer, region, Role.OFFICER, service_point=village_offices[0])
        logins.append(Login(village_officer.username, str(Role.OFFICER.label), village_offices[0].name))
    return logins


def load_demo(stdout: Callable[[str], None] = print) -> list[Login]:
    """Switch on the demo regions with their agencies, service points and one user per role."""
    from pendopo.regions.areas import load_areas

    password = demo_password()
    load_areas()
    logins: list[Login] = []
    with transaction.atomic():
        for spec in DEMO_REGIONS:
            logins += load_region(spec, password)
        citizen = _user("warga", "Siti Rahayu", password)
        platform = _user("platform", "Admin Platform Pendopo", password, is_staff=True, is_superuser=True)
        logins += [
            Login(citizen.username, str(Role.CITIZEN.label), "—"),
            Login(platform.username, str(Role.PLATFORM_ADMIN.label), "—"),
        ]
    for step in demo_steps():
        line = step.run()
        if line:
            stdout(line)
    return logins
