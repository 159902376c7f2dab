"""`pendopo demo`'s complaint step: categories and one Open311 key per demo region, printed, idempotent."""

from __future__ import annotations

import pytest

from pendopo.complaints import keys
from pendopo.complaints.demo import load_demo_complaints
from pendopo.complaints.models import ApiClient, ComplaintCategory
from pendopo.regions.demo import demo_steps

pytestmark = pytest.mark.django_db


def test_demo_step_is_registered():
    assert "complaints" in [step.name for step in demo_steps()]


def test_demo_creates_categories_and_prints_a_working_key(world, client):
    output = load_demo_complaints()
    lines = output.splitlines()
    assert len(lines) == 2
    key_a = lines[0].rsplit(" ", 1)[1]
    assert "35.10" in lines[0] and key_a.startswith("p311-")
    assert keys.matches(key_a, ApiClient.objects.get(region=world.region_a).key_hash)
    assert ComplaintCategory.objects.filter(region=world.region_a).count() >= 5
    response = client.post(
        "/open311/v2/requests.json",
        {"jurisdiction_id": "35.10", "api_key": key_a, "service_code": "SAMPAH", "address_string": "Pasar Banyuwangi"},
    )
    assert response.status_code == 200
    # Running it again changes nothing and prints the same keys.
    assert load_demo_complaints().replace("+7", "+0") == output.replace("+7", "+0")
    assert ApiClient.objects.count() == 2


def test_every_demo_region_has_an_other_category(world):
    load_demo_complaints()
    for region in (world.region_a, world.region_b):
        assert ComplaintCategory.objects.filter(region=region, code="LAINNYA", is_active=True).exists()


def test_the_demo_shows_verified_complaints_and_a_few_waiting(world, client):
    from pendopo.complaints.models import Complaint, Verification

    load_demo_complaints()
    complaints = Complaint.objects.filter(region=world.region_a)
    assert complaints.filter(verification=Verification.VERIFIED).count() == 2
    assert complaints.filter(verification=Verification.PENDING).count() == 2
    listed = client.get("/r/banyuwangi/pengaduan/").content.decode()
    for complaint in complaints:
        assert (complaint.code in listed) is complaint.is_verified
