"""Demo catalogues: Banyuwangi publishes its services; Mamuju Tengah publishes five and copies more.

`load_demo_catalog()` is idempotent: it adds what is missing and leaves the rest. It runs after
the regions' demo (which creates the regions, agencies and users); without those regions it
does nothing and says so.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from pendopo.catalog import actions
from pendopo.catalog.demo_data import (
    AGENCIES,
    AGENCY_ALIASES,
    BANYUWANGI_DECREE_DATE,
    BANYUWANGI_EFFECTIVE,
    BANYUWANGI_SERVICES,
    MAMUJU_TENGAH_COPIES,
    MAMUJU_TENGAH_DECREE_DATE,
    MAMUJU_TENGAH_EFFECTIVE,
    MAMUJU_TENGAH_SERVICES,
    DemoService,
    standard_content,
)
from pendopo.catalog.models import Service, StandardStatus
from pendopo.regions.models import Agency, Membership, Region, Role, User

BANYUWANGI_CODE = "35.10"
MAMUJU_TENGAH_CODE = "76.06"

# Agency names used when the regions' demo has not created an agency the catalogue needs.
AGENCY_NAMES = {
    "DISPENDUKCAPIL": ("Dinas Kependudukan dan Pencatatan Sipil", "Dispendukcapil"),
    "DISDUKCAPIL": ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    "DPMPTSP": ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    "DINKES": ("Dinas Kesehatan", "Dinkes"),
    "DINSOS": ("Dinas Sosial", "Dinsos"),
    "DPUCKPP": ("Dinas Pekerjaan Umum Cipta Karya, Perumahan dan Permukiman", "DPU CKPP"),
    "DISKOPUMP": ("Dinas Koperasi, Usaha Mikro dan Perdagangan", "Diskop UMP"),
    "DISHUB": ("Dinas Perhubungan", "Dishub"),
    "DLH": ("Dinas Lingkungan Hidup", "DLH"),
    "BAPENDA": ("Badan Pendapatan Daerah", "Bapenda"),
    "DISKOMINFO": ("Dinas Komunikasi, Informatika dan Persandian", "Diskominfo"),
    "DPMD": ("Dinas Pemberdayaan Masyarakat dan Desa", "DPMD"),
}


def _agency(region: Region, code: str) -> Agency:
    name, short = AGENCY_NAMES.get(code, (code, code))
    return Agency.objects.get_or_create(region=region, code=code, defaults={"name": name, "short_name": short})[0]


def _administrator(region: Region) -> User:
    """The region's administrator acts in the demo (the regions' demo creates `<prefix>.admin`)."""
    membership = (
        Membership.objects.filter(region=region, role=Role.REGION_ADMIN, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is not None:
        return membership.user
    user, created = User.objects.get_or_create(
        username=f"{region.prefix.lower()}.admin", defaults={"full_name": f"Admin Pemda {region.name}"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, region=region, role=Role.REGION_ADMIN, agency=None, service_point=None)
    return user


def _decree(region_code: str, spec: DemoService, number: int) -> str:
    if region_code == BANYUWANGI_CODE:
        defaults = AGENCIES.get(AGENCY_ALIASES.get(spec.agency, spec.agency))
        return f"188/{number:03d}/KEP/{defaults.number if defaults else '429.000'}/2025"
    return f"800/{number:03d}/{spec.agency}/VII/2025"


def _publish_own(region: Region, actor: User, services: list[DemoService], decree_date: dt.date, effective: dt.date) -> int:
    added = 0
    for number, spec in enumerate(services, start=1):
        if Service.objects.filter(region=region, code=spec.code).exists():
            continue
        agency = _agency(region, spec.agency)
        content = standard_content(spec, agency.name, _decree(region.regency_id, spec, number), decree_date)
        service = actions.create_service(
            actor,
            region,
            agency=agency,
            code=spec.code,
            name=spec.name,
            category=spec.category,
            summary=spec.summary,
            keywords=spec.keywords,
            channels=list(spec.channels),
            standard=content,
        )
        actions.publish_standard(actor, service.standards.get(), effective_from=effective)
        added += 1
    return added


def _copy_from_banyuwangi(target: Region, source: Region, actor: User) -> tuple[int, int]:
    picks = []
    publish_codes = []
    for code, agency_code, publish in MAMUJU_TENGAH_COPIES:
        if Service.objects.filter(region=target, code=code).exists():
            continue
        original = Service.objects.filter(region=source, code=code, published_standard__isnull=False).first()
        if original is None:
            continue
        picks.append(actions.CopyPick(source=original, agency=_agency(target, agency_code)))
        if publish:
            publish_codes.append(code)
    if not picks:
        return 0, 0
    copies = actions.copy_services(actor, target, picks)
    published = 0
    for number, service in enumerate(copies, start=1):
        if service.code not in publish_codes:
            continue
        draft = service.standards.get(status=StandardStatus.DRAFT)
        # The receiving region adopts the copy by its own decree before publishing it.
        actions.update_draft(
            actor,
            draft,
            {
                "decree_number": f"800/{100 + number:03d}/{service.agency.code}/VII/2025",
                "decree_date": MAMUJU_TENGAH_DECREE_DATE,
            },
        )
        actions.publish_standard(actor, draft, effective_from=MAMUJU_TENGAH_EFFECTIVE)
        published += 1
    return len(copies), published


@transaction.atomic
def load_demo_catalog() -> str:
    """Load the demo catalogues; returns one line saying what changed."""
    banyuwangi = Region.objects.filter(regency_id=BANYUWANGI_CODE).select_related("regency").first()
    mamuju = Region.objects.filter(regency_id=MAMUJU_TENGAH_CODE).select_related("regency").first()
    if banyuwangi is None or mamuju is None:
        return "catalog: demo regions not found (run the regions demo first); nothing loaded."
    bwi = _publish_own(banyuwangi, _administrator(banyuwangi), BANYUWANGI_SERVICES, BANYUWANGI_DECREE_DATE, BANYUWANGI_EFFECTIVE)
    mtg_actor = _administrator(mamuju)
    mtg = _publish_own(mamuju, mtg_actor, MAMUJU_TENGAH_SERVICES, MAMUJU_TENGAH_DECREE_DATE, MAMUJU_TENGAH_EFFECTIVE)
    copied, adopted = _copy_from_banyuwangi(mamuju, banyuwangi, mtg_actor)
    return (
        f"catalog: Banyuwangi +{bwi} services; Mamuju Tengah +{mtg} own, +{copied} copied from Banyuwangi "
        f"({adopted} adopted and published, the rest drafts)."
    )
