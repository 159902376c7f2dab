"""Demo complaint categories, a few complaints and one Open311 demo key per demo region.

Idempotent: categories are created when missing, complaints only when the region has none, and
the demo key is derived from SECRET_KEY (actions.ensure_demo_key), so running `pendopo demo`
twice prints the same keys and changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from pendopo.complaints import actions
from pendopo.complaints.models import (
    CategoryAttribute,
    Complaint,
    ComplaintCategory,
    Privacy,
    ResponseTemplate,
    Tier,
    Verification,
)
from pendopo.lib import dates
from pendopo.regions.demo import register_demo_step
from pendopo.regions.models import Agency, Membership, Region, Role

# (code, name, group, agency codes to try in order, tier, keywords)
CATEGORIES = [
    ("JALAN-RUSAK", "Jalan rusak atau berlubang", "jalan", ["DPUCKPP", "DPUPR"], Tier.SUPERVISION, "jalan, lubang, aspal"),
    ("LAMPU-JALAN", "Lampu penerangan jalan mati", "jalan", ["DISHUB"], Tier.NORMATIVE, "lampu, PJU, gelap"),
    ("SAMPAH", "Sampah menumpuk", "lingkungan", ["DLH", "DPUPR"], Tier.LIGHT, "sampah, kebersihan, TPS"),
    (
        "ADMINDUK",
        "Layanan KTP-el, KK dan akta",
        "kependudukan",
        ["DISPENDUKCAPIL", "DISDUKCAPIL"],
        Tier.NORMATIVE,
        "KTP, KK, akta",
    ),
    ("KESEHATAN", "Layanan puskesmas dan rumah sakit", "kesehatan", ["DINKES"], Tier.SUPERVISION, "puskesmas, BPJS, dokter"),
    ("PUNGLI", "Pungutan liar dalam pelayanan", "integritas", ["BAGORG", "DPMPTSP"], Tier.INVESTIGATION, "pungli, suap"),
    # What fits no category above: the region's administration sorts it out (SP4N-LAPOR! "lainnya").
    ("LAINNYA", "Lainnya (tidak ada kategori yang cocok)", "lainnya", ["BAGORG", "DISKOMINFO"], Tier.NORMATIVE, "lain, lainnya"),
]


def _agency(region: Region, codes: list[str]) -> Agency | None:
    for code in codes:
        agency = Agency.objects.filter(region=region, code=code).first()
        if agency is not None:
            return agency
    return Agency.objects.filter(region=region).order_by("name").first()


@transaction.atomic
def load_region(region: Region) -> int:
    created = 0
    for code, name, group, agency_codes, tier, keywords in CATEGORIES:
        agency = _agency(region, agency_codes)
        if agency is None:
            continue
        category, new = ComplaintCategory.objects.get_or_create(
            region=region,
            code=code,
            defaults={"name": name, "group": group, "agency": agency, "tier": tier, "keywords": keywords},
        )
        created += new
        if new and code == "JALAN-RUSAK":
            CategoryAttribute.objects.create(
                category=category,
                code="KERUSAKAN",
                datatype="singlevaluelist",
                required=True,
                order=1,
                description="Seberapa parah kerusakannya?",
                values=[
                    {"key": "ringan", "name": "Ringan"},
                    {"key": "sedang", "name": "Sedang"},
                    {"key": "berat", "name": "Berat"},
                ],
            )
            ResponseTemplate.objects.create(
                region=region,
                category=category,
                title="Dijadwalkan perbaikan",
                body="Terima kasih atas laporannya. Lokasi sudah kami survei dan perbaikan dijadwalkan.",
            )
    ResponseTemplate.objects.get_or_create(
        region=region,
        category=None,
        title="Sedang ditindaklanjuti",
        defaults={"body": "Terima kasih. Laporan Anda sedang kami tindak lanjuti; kami kabari perkembangannya."},
    )
    if not Complaint.objects.filter(region=region).exists():
        _file_demo_complaints(region)
    return created


def _position(region: Region, north: str, east: str) -> tuple[Decimal | None, Decimal | None]:
    """A point at fractions of the region's box (none when the region has no box)."""
    box = region.bounds
    if box is None:
        return None, None
    south, west, top, right = box
    quantum = Decimal("0.000001")
    return (
        (south + (top - south) * Decimal(north)).quantize(quantum),
        (west + (right - west) * Decimal(east)).quantize(quantum),
    )


# (category, description, privacy, name, position as fractions of the box, verified)
DEMO_COMPLAINTS = [
    ("LAMPU-JALAN", "Lampu jalan di depan balai desa mati sejak seminggu.", Privacy.ANONYMOUS, "", ("0.55", "0.6"), True),
    (
        "JALAN-RUSAK",
        "Jalan berlubang dalam di tikungan dekat pasar, sudah dua motor jatuh.",
        Privacy.IDENTIFIED,
        "Sri Wahyuni",
        ("0.4", "0.45"),
        True,
    ),
    (
        "SAMPAH",
        "Sampah di TPS belakang sekolah tidak diangkut sejak Senin.",
        Privacy.IDENTIFIED,
        "Agus Salim",
        ("0.5", "0.35"),
        False,
    ),
    ("LAINNYA", "Saluran air di gang kami tersumbat setiap hujan.", Privacy.IDENTIFIED, "Dewi Lestari", None, False),
]


def _file_demo_complaints(region: Region) -> None:
    """A few complaints: two verified (public: list, map, Open311), two awaiting verification (SP4N-LAPOR!)."""
    verified = []
    for code, description, privacy, name, where, is_verified in DEMO_COMPLAINTS:
        category = ComplaintCategory.objects.filter(region=region, code=code).first()
        if category is None:
            continue
        latitude, longitude = _position(region, *where) if where else (None, None)
        filed = actions.file_complaint(
            region,
            actions.Filing(
                category=category,
                description=description,
                privacy=privacy,
                reporter_name=name,
                latitude=latitude,
                longitude=longitude,
                attributes={"KERUSAKAN": "berat"} if category.attributes.filter(code="KERUSAKAN").exists() else {},
            ),
        )
        if is_verified:
            verified.append(filed.complaint)
    # As the region's administrator does (verified and forwarded); without one, marked verified directly.
    admin = (
        Membership.objects.filter(region=region, role=Role.REGION_ADMIN, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    for complaint in verified:
        if admin is not None:
            actions.verify_complaint(complaint, admin.user)
        else:
            Complaint.objects.filter(pk=complaint.pk).update(verification=Verification.VERIFIED, verified_at=dates.now())


def load_demo_complaints() -> str | None:
    lines = []
    for region in Region.objects.filter(regency_id__in=["35.10", "76.06"]).select_related("regency"):
        created = load_region(region)
        _client, key = actions.ensure_demo_key(region)
        lines.append(f"complaints: {region.name} +{created} categories; Open311 demo key (jurisdiction_id={region.code}): {key}")
    return "\n".join(lines) or None


register_demo_step(70, "complaints", load_demo_complaints)
