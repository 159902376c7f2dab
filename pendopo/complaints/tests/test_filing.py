"""Filing a complaint on the web, by an officer, and the checks of what is sent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pendopo.complaints.models import Complaint, ComplaintPhoto, Privacy
from pendopo.complaints.tests.conftest import file, jpeg_bytes, photo
from pendopo.lib import codes
from pendopo.workflow.models import Case, CaseEvent

pytestmark = pytest.mark.django_db


def _url(world, **query):
    base = reverse("complaints:file", args=[world.region_a.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _post(client, world, setup, **overrides):
    data = {
        "kategori": setup.road_a.code,
        "classification": "complaint",
        "description": "Jalan berlubang di depan pasar Genteng.",
        "privacy": "identified",
        "reporter_name": "Budi Santoso",
        "reporter_email": "budi@example.id",
        "reporter_phone": "0812-3456-7890",
        "village": setup.village_a.code,
        "address": "Jl. Raya Genteng",
        "latitude": "-8.2192",
        "longitude": "114.3691",
        "attr_KERUSAKAN": "berat",
        **overrides,
    }
    return client.post(_url(world), data)


def test_choose_category_lists_the_regions_categories(client, world, setup):
    response = client.get(_url(world))
    assert response.status_code == 200
    assert setup.road_a.name.encode() in response.content
    assert b"LAMPU" in response.content
    other = client.get(reverse("complaints:file", args=[world.region_b.slug]))
    assert b"LAMPU" not in other.content


def test_web_filing_identified_with_photo(client, world, setup, frozen):
    response = _post(client, world, setup, photos=[photo()])
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert codes.is_valid(complaint.code) and complaint.code.startswith("BWI-")
    assert response["Location"] == complaint.get_absolute_url()
    assert complaint.privacy == Privacy.IDENTIFIED
    assert complaint.reporter_name == "Budi Santoso"
    assert complaint.reporter_phone == "081234567890"
    assert "0812" not in complaint.reporter_phone_encrypted
    assert complaint.latitude == Decimal("-8.219200") and complaint.village == setup.village_a
    assert complaint.attributes == {"KERUSAKAN": "berat"}
    assert complaint.case.agency == world.agency_a1 and complaint.case.state == "new"
    assert complaint.case.kind == "complaint"
    # SP4N-LAPOR!: verification within 3 working days (Mon 2 Feb → Thu 5 Feb at closing time).
    assert complaint.case.state_due_at.date().isoformat() == "2026-02-05"
    assert complaint.case.time_limits["follow_up"] == {"value": 5, "unit": "working_days"}
    assert complaint.photos.count() == 1
    # The tracking code and the secret are shown once on the next page.
    page = client.get(response["Location"])
    assert complaint.code.encode() in page.content and b"secret-key" in page.content
    again = client.get(response["Location"])
    assert b'id="secret-key"' not in again.content


def test_logged_in_citizen_owns_the_identified_complaint(client, world, setup):
    client.force_login(world.citizen)
    _post(client, world, setup, reporter_name="", reporter_email="")
    complaint = Complaint.objects.get()
    assert complaint.case.owner == world.citizen
    assert complaint.reporter_name == world.citizen.full_name and complaint.reporter_email == world.citizen.email


def test_classification_is_kept(world, setup):
    filed = file(world.region_a, setup.lamp_a, classification="aspiration")
    assert filed.complaint.get_classification_display() in ("aspiration", "aspirasi")
    with pytest.raises(ValidationError) as refused:
        file(world.region_a, setup.lamp_a, classification="rumour")
    assert [e.code for e in refused.value.error_dict["classification"]] == ["invalid_choice"]
    assert Complaint.objects.count() == 1 and Case.objects.count() == 1


def test_officer_registers_a_walk_in_complaint(client, world, setup):
    client.force_login(world.officer_a1)
    url = reverse("complaints:officer_file", args=[world.region_a.slug])
    response = client.post(
        url,
        {
            "kategori": setup.lamp_a.code,
            "channel": "phone",
            "classification": "complaint",
            "description": "Lampu mati (laporan telepon).",
            "privacy": "identified",
            "reporter_name": "Sri Wahyuni",
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "phone" and complaint.filed_by == world.officer_a1
    assert complaint.case.owner is None and complaint.reporter_name == "Sri Wahyuni"


def test_citizen_cannot_use_the_officer_form(client, world, setup):
    client.force_login(world.citizen)
    assert client.get(reverse("complaints:officer_file", args=[world.region_a.slug])).status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "x" * 4001}, "description"),
        ({"description": "Lihat <script>alert(1)</script>"}, "description"),
        ({"description": "Tebal <b>sekali</b>"}, "description"),
        ({"latitude": "-8.2", "longitude": ""}, "longitude"),
        ({"latitude": "", "longitude": "114.3"}, "latitude"),
        ({"latitude": "91", "longitude": "114.3"}, "latitude"),
        ({"latitude": "-8.2", "longitude": "181"}, "longitude"),
        ({"latitude": "abc", "longitude": "114"}, "latitude"),
        ({"attr_KERUSAKAN": ""}, "attr_KERUSAKAN"),
        ({"reporter_email": "bukan-email"}, "reporter_email"),
        ({"village": "76.06.01.2001"}, "village"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(client, world, setup, overrides, field, settings):
    response = _post(client, world, setup, **overrides)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Complaint.objects.count() == 0 and Case.objects.count() == 0 and CaseEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (photo("ktp.jpg", b"MZ\x90\x00" + b"\x00" * 300, "image/jpeg"), "photo_type"),
        (photo("doc.jpg", b"%PDF-1.4\n%%EOF\n", "image/jpeg"), "photo_type"),
        (photo("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "image/jpeg"), "photo_type"),
        (photo("empty.jpg", b"", "image/jpeg"), "photo_empty"),
    ],
)
def test_non_image_photos_are_refused(client, world, setup, upload, code, settings):
    response = _post(client, world, setup, photos=[upload])
    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    assert Complaint.objects.count() == 0 and ComplaintPhoto.objects.count() == 0
    assert not list((settings.MEDIA_ROOT).rglob("*.*")) if settings.MEDIA_ROOT.exists() else True


def test_oversized_photo_is_refused(client, world, setup, settings):
    settings.PENDOPO_COMPLAINT_PHOTO_MAX_KB = 1
    response = _post(client, world, setup, photos=[photo(data=jpeg_bytes((600, 600)))])
    assert response.status_code == 400
    assert "KB" in str(response.context["form"].errors["photos"])
    assert Complaint.objects.count() == 0


def test_photos_lose_their_metadata(world, setup):
    filed = file(world.region_a, setup.road_a, photos=[photo(data=jpeg_bytes(exif_owner="Budi Santoso"))])
    stored = filed.complaint.photos.get()
    data = stored.file.read()
    assert b"Budi Santoso" not in data and data.startswith(b"\xff\xd8")


def test_rollback_removes_written_photos(world, setup, settings, monkeypatch):
    from pendopo.complaints import notify

    def boom(complaint):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(notify, "receipt", boom)
    with pytest.raises(RuntimeError):
        file(world.region_a, setup.road_a, photos=[photo()], reporter_email="a@example.id")
    assert Complaint.objects.count() == 0
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def test_validation_lists_every_problem(world, setup):
    with pytest.raises(ValidationError) as info:
        file(world.region_a, setup.road_a, description="<p>x</p>", latitude="99", longitude="0", attributes={"NOPE": "1"})
    assert {"description", "lat", "attribute[NOPE]", "attribute[KERUSAKAN]"} <= set(info.value.error_dict)


def test_a_decompression_bomb_photo_is_refused_before_decoding(client, world, setup, settings):
    from pendopo.lib.tests.hostile import bomb_png

    client.cookies["django_language"] = "en"
    response = _post(client, world, setup, photos=[photo("bom.png", bomb_png(), "image/png")])
    assert response.status_code == 400
    assert "13300 × 13300 pixels; at most 40 megapixels" in str(response.context["form"].errors["photos"])
    assert Complaint.objects.count() == 0 and ComplaintPhoto.objects.count() == 0
