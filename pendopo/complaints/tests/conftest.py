"""Fixtures of the complaint tests: categories in both regions, photos, a frozen working Monday."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

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
from pendopo.regions.models import District, Regency, Village

WIB = ZoneInfo("Asia/Jakarta")


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=WIB)


# Monday 2 February 2026, 09:00 WIB: an ordinary working week (no holiday until 16 February).
MONDAY = wib(2026, 2, 2, 9, 0)


def jpeg_bytes(size: tuple[int, int] = (40, 30), exif_owner: str = "") -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif_owner:
        exif = Image.Exif()
        exif[0x013B] = exif_owner  # Artist
        image.save(out, format="JPEG", exif=exif.tobytes())
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def photo(name: str = "jalan.jpg", data: bytes | None = None, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else jpeg_bytes(), content_type=content_type)


@dataclass
class Setup:
    road_a: ComplaintCategory  # region A, agency A1, with a required question
    lamp_a: ComplaintCategory  # region A, agency A2, light tier, batch in Open311
    road_b: ComplaintCategory  # region B
    village_a: Village


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def setup(world) -> Setup:
    road_a = ComplaintCategory.objects.create(
        region=world.region_a,
        code="JALAN-RUSAK",
        name="Jalan rusak",
        group="jalan",
        keywords="jalan, lubang",
        agency=world.agency_a1,
        tier=Tier.SUPERVISION,
    )
    CategoryAttribute.objects.create(
        category=road_a,
        code="KERUSAKAN",
        datatype="singlevaluelist",
        required=True,
        order=1,
        description="Seberapa parah?",
        values=[{"key": "ringan", "name": "Ringan"}, {"key": "berat", "name": "Berat"}],
    )
    ResponseTemplate.objects.create(region=world.region_a, category=road_a, title="Dijadwalkan", body="Perbaikan dijadwalkan.")
    lamp_a = ComplaintCategory.objects.create(
        region=world.region_a,
        code="LAMPU",
        name="Lampu jalan mati",
        agency=world.agency_a2,
        tier=Tier.LIGHT,
        verification_days=1,
        follow_up_days=2,
        open311_type="batch",
    )
    road_b = ComplaintCategory.objects.create(
        region=world.region_b, code="JALAN-RUSAK", name="Jalan rusak", agency=world.agency_b1
    )
    province = world.region_a.regency.province
    district = District.objects.create(code="35.10.01", regency_id="35.10", name="Pesanggaran")
    village = Village.objects.create(code="35.10.01.2001", district=district, name="Sumbermulyo", kind="desa")
    assert province is not None and Regency.objects.filter(code="35.10").exists()
    return Setup(road_a, lamp_a, road_b, village)


def file(region, category, *, user=None, filed_by=None, verified=True, **fields) -> actions.Filed:
    """File a complaint through the action (defaults: identified, with an answer to the road question).

    `verified=True` (the default) marks it verified as the administrator would, so that it is public like
    the complaints of the tests written before verification; `verified=False` leaves it waiting."""
    fields.setdefault("description", "Jalan berlubang besar di depan pasar.")
    if category.attributes.filter(required=True).exists() and "attributes" not in fields:
        fields["attributes"] = {"KERUSAKAN": "berat"}
    fields.setdefault("privacy", Privacy.IDENTIFIED)
    filed = actions.file_complaint(region, actions.Filing(category=category, **fields), user=user, filed_by=filed_by)
    if verified:
        Complaint.objects.filter(pk=filed.complaint.pk).update(verification=Verification.VERIFIED)
        filed.complaint.verification = Verification.VERIFIED
    return filed
