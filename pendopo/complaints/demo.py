"""Demo complaint categories, a few complaints and one Open311 demo key per demo region.

Idempotent: categories are created when missing, complaints only when the region has none, and
the demo key is derived from SECRET_KEY (actions.ensure_demo_key), so running `pendopo demo`
twice prints the same keys and changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from pendopo.complaints import actions
from pendopo.complaints.models import CategoryAttribute, Complaint, ComplaintCategory, Privacy, ResponseTemplate, Tier
from pendopo.regions.demo import register_demo_step
from pendopo.regions.models import Agency, Region

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
        lamp = ComplaintCategory.objects.filter(region=region, code="LAMPU-JALAN").first()
        if lamp is not None:
            actions.file_complaint(
                region,
                actions.Filing(
                    category=lamp, description="Lampu jalan di depan balai desa mati sejak seminggu.", privacy=Privacy.ANONYMOUS
                ),
            )
    return created


def load_demo_complaints() -> str | None:
    lines = []
    for region in Region.objects.filter(regency_id__in=["35.10", "76.06"]).select_related("regency"):
        created = load_region(region)
        _client, key = actions.ensure_demo_key(region)
        lines.append(f"complaints: {region.name} +{created} categories; Open311 demo key (jurisdiction_id={region.code}): {key}")
    return "\n".join(lines) or None


register_demo_step(70, "complaints", load_demo_complaints)
