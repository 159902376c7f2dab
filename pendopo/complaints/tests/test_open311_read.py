"""Open311 GeoReport v2: discovery, services, service definitions, requests (GET), tokens — XML and JSON."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from pendopo.complaints import actions
from pendopo.complaints.models import Complaint, Privacy
from pendopo.complaints.tests.conftest import MONDAY, file, photo
from pendopo.complaints.tests.open311_helpers import as_json, as_xml, errors, xml_list

pytestmark = pytest.mark.django_db
BASE = "/open311/v2/"
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
FORMATS = ["xml", "json"]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def j(world, **params):
    return {"jurisdiction_id": world.region_a.code, **params}


def test_discovery_xml(client, world):
    response = client.get(BASE + "discovery.xml")
    assert response.status_code == 200
    tree = as_xml(response)
    assert tree.tag == "discovery"
    assert [child.tag for child in tree] == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = tree.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://testserver/open311/v2"
    assert endpoint.findtext("type") == "production"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_discovery_json(client, world):
    data = as_json(client.get(BASE + "discovery.json"))
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    assert isinstance(data["endpoints"], list)
    assert data["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert data["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"


def test_services_xml(client, world, setup):
    items = xml_list(client.get(BASE + "services.xml", j(world)), "services", "service")
    by_code = {item["service_code"]: item for item in items}
    assert set(by_code) == {"JALAN-RUSAK", "LAMPU"}
    road = by_code["JALAN-RUSAK"]
    assert list(road) == ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
    assert road["metadata"] == "true" and road["type"] == "realtime" and road["group"] == "jalan"
    assert by_code["LAMPU"]["metadata"] == "false" and by_code["LAMPU"]["type"] == "batch"


def test_services_json_types(client, world, setup):
    data = as_json(client.get(BASE + "services.json", j(world)))
    assert isinstance(data, list) and len(data) == 2
    road = next(s for s in data if s["service_code"] == "JALAN-RUSAK")
    assert road["metadata"] is True and road["keywords"] == "jalan, lubang"
    lamp = next(s for s in data if s["service_code"] == "LAMPU")
    assert lamp["metadata"] is False and lamp["description"] is None


def test_inactive_categories_are_not_services(client, world, setup):
    setup.lamp_a.is_active = False
    setup.lamp_a.save()
    data = as_json(client.get(BASE + "services.json", j(world)))
    assert [s["service_code"] for s in data] == ["JALAN-RUSAK"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition(client, world, setup, fmt):
    response = client.get(BASE + f"services/JALAN-RUSAK.{fmt}", j(world))
    assert response.status_code == 200
    if fmt == "xml":
        tree = as_xml(response)
        assert tree.tag == "service_definition" and tree.findtext("service_code") == "JALAN-RUSAK"
        attribute = tree.find("attributes/attribute")
        assert [c.tag for c in attribute] == [
            "variable",
            "code",
            "datatype",
            "required",
            "datatype_description",
            "order",
            "description",
            "values",
        ]
        assert attribute.findtext("required") == "true" and attribute.findtext("order") == "1"
        assert [v.findtext("key") for v in attribute.findall("values/value")] == ["ringan", "berat"]
    else:
        data = as_json(response)
        assert data["service_code"] == "JALAN-RUSAK"
        attribute = data["attributes"][0]
        assert attribute["variable"] is True and attribute["required"] is True and attribute["order"] == 1
        assert attribute["datatype"] == "singlevaluelist" and attribute["datatype_description"] is None
        assert attribute["values"] == [{"key": "ringan", "name": "Ringan"}, {"key": "berat", "name": "Berat"}]


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_fields_and_types(client, world, setup, fmt, frozen):
    filed = file(
        world.region_a,
        setup.road_a,
        latitude="-8.2192",
        longitude="114.3691",
        village_code=setup.village_a.code,
        address="Jl. Raya",
        photos=[photo()],
    )
    response = client.get(BASE + f"requests.{fmt}", j(world))
    assert response.status_code == 200
    if fmt == "xml":
        items = xml_list(response, "service_requests", "request")
        assert list(items[0]) == REQUEST_FIELDS
        item = items[0]
        assert item["lat"] == "-8.2192" and item["address_id"] == "35.10.01.2001"
    else:
        items = as_json(response)
        assert list(items[0]) == REQUEST_FIELDS
        item = items[0]
        assert item["lat"] == -8.2192 and item["long"] == 114.3691 and item["zipcode"] is None
    assert item["service_request_id"] == filed.complaint.code
    assert item["status"] == "open" and item["service_code"] == "JALAN-RUSAK"
    assert item["agency_responsible"] == world.agency_a1.name
    assert item["requested_datetime"] == "2026-02-02T09:00:00+07:00"
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3C.match(item[name]), item[name]
    assert item["expected_datetime"] == "2026-02-05T15:30:00+07:00"  # the verification deadline
    assert item["address"] == "Jl. Raya, Sumbermulyo, Pesanggaran"
    assert item["media_url"].startswith("http://testserver/r/banyuwangi/pengaduan/" + filed.complaint.code + "/foto/")
    assert client.get(item["media_url"]).status_code == 200


def test_requests_in_wita_use_the_regions_offset(client, world, setup, frozen):
    file(world.region_b, setup.road_b)
    data = as_json(client.get(BASE + "requests.json", {"jurisdiction_id": "76.06"}))
    assert data[0]["requested_datetime"] == "2026-02-02T10:00:00+08:00"


def test_closed_status_and_notes(client, world, setup, frozen):
    filed = file(world.region_a, setup.road_a)
    actions.take_action(filed.complaint, "archive", world.admin_a, "Laporan ganda.")
    item = as_json(client.get(BASE + "requests.json", j(world)))[0]
    assert item["status"] == "closed" and item["status_notes"] in ("Diarsipkan", "Archived")
    assert item["expected_datetime"] is None
    assert item["updated_datetime"] == "2026-02-02T09:00:00+07:00"


def test_confidential_and_hidden_complaints_never_appear(client, world, setup, frozen):
    public = file(world.region_a, setup.road_a)
    secret = file(world.region_a, setup.road_a, privacy=Privacy.CONFIDENTIAL)
    hidden = file(world.region_a, setup.lamp_a)
    actions.hide_complaint(hidden.complaint, world.admin_a, "Menyebut nama orang.")
    ids = [r["service_request_id"] for r in as_json(client.get(BASE + "requests.json", j(world)))]
    assert ids == [public.complaint.code]
    for code in (secret.complaint.code, hidden.complaint.code):
        errors(client.get(BASE + f"requests/{code}.json", j(world)), "json", 404)
        listed = as_json(client.get(BASE + "requests.json", j(world, service_request_id=code)))
        assert listed == []


def _at(moment, world, setup, category=None, **fields):
    with time_machine.travel(moment, tick=False):
        return file(world.region_a, category or setup.lamp_a, **fields).complaint


def test_default_window_is_the_last_90_days(client, world, setup):
    old = _at(MONDAY - dt.timedelta(days=91), world, setup)
    recent = _at(MONDAY - dt.timedelta(days=89), world, setup)
    with time_machine.travel(MONDAY, tick=False):
        ids = [r["service_request_id"] for r in as_json(client.get(BASE + "requests.json", j(world)))]
    assert ids == [recent.code]
    assert old.code not in ids


def test_default_limit_is_1000_requests(client, world, setup, settings, monkeypatch):
    from pendopo.complaints.open311 import views

    monkeypatch.setattr(views, "MAX_REQUESTS", 3)
    made = [_at(MONDAY - dt.timedelta(hours=h), world, setup) for h in range(5)]
    with time_machine.travel(MONDAY, tick=False):
        data = as_json(client.get(BASE + "requests.json", j(world)))
        assert [r["service_request_id"] for r in data] == [c.code for c in made[:3]]  # newest first
        page2 = as_json(client.get(BASE + "requests.json", j(world, page="2", page_size="3")))
        assert [r["service_request_id"] for r in page2] == [c.code for c in made[3:]]
        errors(client.get(BASE + "requests.json", j(world, page_size="4")), "json", 400)


def test_the_real_limit_is_1000(client, world, setup, frozen):
    from pendopo.complaints.open311 import views

    assert views.MAX_REQUESTS == 1000
    errors(client.get(BASE + "requests.json", j(world, page_size="1001")), "json", 400)
    assert client.get(BASE + "requests.json", j(world, page_size="1000")).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_date_filters(client, world, setup, fmt):
    early = _at(MONDAY - dt.timedelta(days=200), world, setup)
    late = _at(MONDAY - dt.timedelta(days=10), world, setup)
    with time_machine.travel(MONDAY, tick=False):
        params = j(world, start_date="2025-07-01T00:00:00Z", end_date="2025-08-01T00:00:00+07:00")
        response = client.get(BASE + f"requests.{fmt}", params)
        ids = [
            r["service_request_id"]
            for r in (xml_list(response, "service_requests", "request") if fmt == "xml" else as_json(response))
        ]
        assert ids == [early.code]
        # Only start_date: 90 days from it; only end_date: the 90 days before it.
        only_start = as_json(client.get(BASE + "requests.json", j(world, start_date="2025-07-10")))
        assert [r["service_request_id"] for r in only_start] == [early.code]
        only_end = as_json(client.get(BASE + "requests.json", j(world, end_date="2026-02-02T09:00:00+07:00")))
        assert [r["service_request_id"] for r in only_end] == [late.code]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-05-01T00:00:00Z"},  # over 90 days
        {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},  # reversed
        {"start_date": "yesterday"},
        {"start_date": "2026-01-01T00:00:00"},  # no time zone
        {"end_date": "2026-13-01"},
        {"status": "pending"},
        {"service_code": "NOPE"},
        {"page": "0"},
    ],
)
def test_bad_filters_are_400(client, world, setup, fmt, params):
    descriptions = errors(client.get(BASE + f"requests.{fmt}", j(world, **params)), fmt, 400)
    assert descriptions[0]


def test_status_and_service_code_filters(client, world, setup, frozen):
    road = file(world.region_a, setup.road_a).complaint
    lamp = file(world.region_a, setup.lamp_a).complaint
    actions.take_action(lamp, "archive", world.admin_a, "Ganda.")
    get = lambda **p: [r["service_request_id"] for r in as_json(client.get(BASE + "requests.json", j(world, **p)))]  # noqa: E731
    assert get(status="open") == [road.code]
    assert get(status="closed") == [lamp.code]
    assert sorted(get(status="open,closed")) == sorted([road.code, lamp.code])
    assert get(service_code="LAMPU") == [lamp.code]
    assert sorted(get(service_code="LAMPU,JALAN-RUSAK")) == sorted([road.code, lamp.code])
    # An empty parameter is the same as an absent one.
    assert sorted(get(status="", service_code="")) == sorted([road.code, lamp.code])


def test_service_request_id_overrides_every_other_filter(client, world, setup):
    old = _at(MONDAY - dt.timedelta(days=200), world, setup)
    new = _at(MONDAY, world, setup)
    with time_machine.travel(MONDAY, tick=False):
        params = j(world, service_request_id=f"{old.code},{new.code}", status="closed", service_code="NOPE", start_date="bad")
        ids = sorted(r["service_request_id"] for r in as_json(client.get(BASE + "requests.json", params)))
    assert ids == sorted([old.code, new.code])


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_request(client, world, setup, fmt, frozen):
    complaint = file(world.region_a, setup.road_a).complaint
    response = client.get(BASE + f"requests/{complaint.code}.{fmt}", j(world))
    items = xml_list(response, "service_requests", "request") if fmt == "xml" else as_json(response)
    assert len(items) == 1 and items[0]["service_request_id"] == complaint.code
    errors(client.get(BASE + f"requests/BWI-0000-0000.{fmt}", j(world)), fmt, 404)
    # Another jurisdiction does not hold it.
    errors(client.get(BASE + f"requests/{complaint.code}.{fmt}", {"jurisdiction_id": "76.06"}), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_tokens(client, world, setup, fmt, frozen):
    complaint = file(world.region_a, setup.lamp_a).complaint
    assert complaint.open311_token
    response = client.get(BASE + f"tokens/{complaint.open311_token}.{fmt}", j(world))
    items = xml_list(response, "service_requests", "request") if fmt == "xml" else as_json(response)
    assert items == [{"service_request_id": complaint.code, "token": complaint.open311_token}]
    errors(client.get(BASE + f"tokens/nope.{fmt}", j(world)), fmt, 404)
    errors(client.get(BASE + f"tokens/{complaint.open311_token}.{fmt}", {"jurisdiction_id": "76.06"}), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", ["services", "services/JALAN-RUSAK", "requests", "requests/BWI-0000-0000", "tokens/x"])
def test_jurisdiction_is_required_with_several_regions(client, world, setup, fmt, path):
    assert "jurisdiction_id" in errors(client.get(BASE + f"{path}.{fmt}"), fmt, 400)[0]
    errors(client.get(BASE + f"{path}.{fmt}", {"jurisdiction_id": "99.99"}), fmt, 404)


def test_jurisdiction_may_be_left_out_with_one_region(client, world, setup):
    world.region_b.is_active = False
    world.region_b.save()
    assert client.get(BASE + "services.json").status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_definition_is_404(client, world, setup, fmt):
    errors(client.get(BASE + f"services/NOPE.{fmt}", j(world)), fmt, 404)


def test_unknown_format_and_path(client, world):
    response = client.get(BASE + "services.html")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/xml")
    errors(client.get(BASE + "nothing/here.json"), "json", 404)
    assert client.get(BASE).status_code == 302


def test_wrong_method_is_400_with_allow(client, world, setup):
    response = client.post(BASE + "services.json", j(world))
    errors(response, "json", 400)
    assert response["Allow"] == "GET, HEAD"


def test_requests_list_query_count(client, world, setup, frozen, django_assert_max_num_queries):
    for _ in range(6):
        file(world.region_a, setup.road_a, photos=[photo()])
    with django_assert_max_num_queries(8):
        assert len(as_json(client.get(BASE + "requests.json", j(world)))) == 6
    assert Complaint.objects.count() == 6


def test_requests_xml_stays_well_formed_with_control_characters_in_old_rows(client, world, setup, frozen):
    filed = file(world.region_a, setup.road_a, address="Jl.\x01 Raya")
    # Rows stored before input was cleaned still hold them: the writer must cope.
    Complaint.objects.filter(pk=filed.complaint.pk).update(description="Jalan\x0b rusak\x01 <parah> & licin")
    items = xml_list(client.get(BASE + "requests.xml", j(world)), "service_requests", "request")
    assert items[0]["description"] == "Jalan rusak <parah> & licin"
    data = as_json(client.get(BASE + "requests.json", j(world)))
    assert data[0]["description"] == "Jalan\x0b rusak\x01 <parah> & licin"  # JSON escapes them: still valid
