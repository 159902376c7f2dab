"""Open311 POST requests: API keys, required arguments, bad input (nothing stored), identity."""

from __future__ import annotations

import pytest

from pendopo.complaints import actions
from pendopo.complaints.models import ApiClient, Complaint, Privacy
from pendopo.complaints.tests.open311_helpers import as_json, errors, xml_list
from pendopo.workflow.models import Case

pytestmark = pytest.mark.django_db
BASE = "/open311/v2/"
FORMATS = ["xml", "json"]


@pytest.fixture
def key(world):
    return actions.issue_api_key(world.region_a, "Aplikasi Warga")[1]


def body(world, key, **extra):
    return {
        "jurisdiction_id": world.region_a.code,
        "api_key": key,
        "service_code": "JALAN-RUSAK",
        "lat": "-8.2192",
        "long": "114.3691",
        "description": "Jalan berlubang.\nDua lubang besar.",
        "attribute[KERUSAKAN]": "berat",
        **extra,
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_creates_a_complaint(client, world, setup, key, fmt, frozen):
    response = client.post(BASE + f"requests.{fmt}", body(world, key))
    assert response.status_code == 200
    items = xml_list(response, "service_requests", "request") if fmt == "xml" else as_json(response)
    assert len(items) == 1
    item = items[0]
    assert list(item) == ["service_request_id", "service_notice", "account_id"]
    complaint = Complaint.objects.get()
    assert item["service_request_id"] == complaint.code
    assert item["account_id"] in ("", None)
    assert complaint.channel == "open311" and complaint.api_client.name == "Aplikasi Warga"
    assert complaint.privacy == Privacy.ANONYMOUS  # nothing identifying was sent
    assert complaint.description == "Jalan berlubang.\nDua lubang besar."
    assert complaint.attributes == {"KERUSAKAN": "berat"}
    assert ApiClient.objects.get().last_used_at is not None


def test_post_with_identity_and_multivalue_attribute(client, world, setup, key, frozen):
    setup.road_a.attributes.update(datatype="multivaluelist")
    data = body(world, key, first_name="Budi", last_name="Santoso", email="budi@example.id", phone="081234567890")
    del data["attribute[KERUSAKAN]"]
    data["attribute[KERUSAKAN][]"] = ["ringan", "berat"]
    assert client.post(BASE + "requests.json", data).status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.privacy == Privacy.IDENTIFIED and complaint.reporter_name == "Budi Santoso"
    assert complaint.reporter_phone == "081234567890" and complaint.attributes == {"KERUSAKAN": ["ringan", "berat"]}


def test_post_to_a_batch_service_returns_a_token(client, world, setup, key, frozen):
    data = body(world, key, service_code="LAMPU")
    del data["attribute[KERUSAKAN]"]
    item = as_json(client.post(BASE + "requests.json", data))[0]
    assert "service_request_id" not in item and item["token"]
    resolved = as_json(client.get(BASE + f"tokens/{item['token']}.json", {"jurisdiction_id": world.region_a.code}))
    assert resolved[0]["service_request_id"] == Complaint.objects.get().code


def test_post_with_address_id_only(client, world, setup, key, frozen):
    data = body(world, key, lat="", long="", address_id=setup.village_a.code)
    assert client.post(BASE + "requests.json", data).status_code == 200
    assert Complaint.objects.get().village == setup.village_a


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"api_key": ""}, 403),
        ({"api_key": "p311-00000000-wrong"}, 403),
        ({"api_key": "garbage"}, 403),
        ({"jurisdiction_id": ""}, 400),
        ({"jurisdiction_id": "99.99"}, 404),
        ({"service_code": ""}, 400),
        ({"service_code": "NOPE"}, 404),
        ({"lat": "", "long": ""}, 400),  # no location at all
        ({"long": ""}, 400),  # only one of them
        ({"lat": ""}, 400),
        ({"lat": "-91"}, 400),
        ({"long": "180.5"}, 400),
        ({"lat": "utara"}, 400),
        ({"description": "x" * 4001}, 400),
        ({"description": "<img src=x onerror=alert(1)>"}, 400),
        ({"attribute[KERUSAKAN]": ""}, 400),  # a required attribute
        ({"attribute[KERUSAKAN]": "parah"}, 400),  # not one of the values
        ({"attribute[WARNA]": "merah"}, 400),  # unknown attribute
        ({"email": "not-an-email"}, 400),
        ({"media_url": "javascript:alert(1)"}, 400),
        ({"address_id": "76.06.01.2001", "lat": "", "long": ""}, 400),
    ],
)
def test_bad_post_stores_nothing(client, world, setup, key, fmt, change, status):
    descriptions = errors(client.post(BASE + f"requests.{fmt}", body(world, key, **change)), fmt, status)
    assert all(len(d) > 10 for d in descriptions)
    assert Complaint.objects.count() == 0 and Case.objects.count() == 0


def test_several_problems_are_listed_together(client, world, setup, key):
    descriptions = errors(client.post(BASE + "requests.json", body(world, key, lat="99", description="<b>x</b>")), "json", 400)
    assert len(descriptions) == 2
    assert any(d.startswith("lat:") for d in descriptions) and any(d.startswith("description:") for d in descriptions)


def test_revoked_key_is_refused(client, world, setup, key):
    actions.revoke_api_key(ApiClient.objects.get())
    assert "api_key" in errors(client.post(BASE + "requests.json", body(world, key)), "json", 403)[0]
    assert Complaint.objects.count() == 0


def test_key_of_another_region_is_refused(client, world, setup):
    other = actions.issue_api_key(world.region_b, "Aplikasi B")[1]
    errors(client.post(BASE + "requests.json", body(world, other)), "json", 403)


def test_keys_are_stored_hashed(world, key):
    client = ApiClient.objects.get()
    assert key not in (client.key_hash, client.key_prefix) and len(client.key_hash) == 64
    assert key.startswith(f"p311-{client.key_prefix}-")


def test_post_needs_no_csrf_token(world, setup, key, frozen):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(BASE + "requests.json", body(world, key)).status_code == 200


def test_a_position_outside_the_regions_box_is_refused_in_the_users_language(client, world, setup, key, frozen):
    from decimal import Decimal

    region = world.region_a
    region.south, region.west, region.north, region.east = (Decimal(v) for v in ("-8.80", "113.85", "-7.68", "114.66"))
    region.save()
    # Mamuju Tengah's market, sent to Banyuwangi: refused, nothing saved.
    descriptions = errors(client.post(BASE + "requests.json", body(world, key, lat="-1.8570", long="119.5030")), "json", 400)
    assert any("di luar Kabupaten Banyuwangi" in d for d in descriptions)
    assert Complaint.objects.count() == 0 and Case.objects.count() == 0
    # The edges themselves count as inside.
    assert client.post(BASE + "requests.json", body(world, key, lat="-8.80", long="114.66")).status_code == 200
    assert Complaint.objects.count() == 1


def test_the_regions_box_needs_all_four_edges_in_order(world):
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    region = world.region_a
    region.south = Decimal("-8.8")
    with pytest.raises(ValidationError) as half:
        region.full_clean()
    assert "south" in half.value.message_dict
    region.west, region.north, region.east = Decimal("114.6"), Decimal("-9"), Decimal("113.8")
    with pytest.raises(ValidationError) as crossed:
        region.full_clean()
    assert {"north", "east"} <= set(crossed.value.message_dict)
    assert region.contains(Decimal("0"), Decimal("0")) is False
