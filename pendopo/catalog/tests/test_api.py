"""The catalogue API: public reads, staff writes, errors naming the field, an OpenAPI that describes every field."""

from __future__ import annotations

import pytest

from pendopo.catalog.models import Service, StandardStatus
from pendopo.catalog.tests.factories import make_service, standard_data

pytestmark = pytest.mark.django_db


def json_standard(**overrides):
    data = standard_data()
    data["decree_date"] = data["decree_date"].isoformat()
    data["time_limit"] = {"value": data.pop("time_limit_value"), "unit": data.pop("time_limit_unit")}
    data.update(overrides)
    return data


@pytest.fixture
def ktp(world):
    return make_service(world.admin_a, world.agency_a1)


def test_public_list_search_and_read(client, world, ktp):
    make_service(world.admin_a, world.agency_a1, "KIA", "Kartu Identitas Anak", publish=False)
    body = client.get("/api/v1/regions/35.10/services", {"q": "ktp"}).json()
    assert body["count"] == 1 and body["page"] == 1
    item = body["items"][0]
    assert item == {
        "code": "KTP-EL",
        "name": "Penerbitan KTP Elektronik",
        "agency": "DISDUKCAPIL",
        "agency_name": "Dinas Kependudukan dan Pencatatan Sipil",
        "category": "civil_registration",
        "summary": "",
        "keywords": "ktp, kartu tanda penduduk, identitas",
        "channels": ["online", "service_mall"],
        "fee": 0,
        "time_limit": {"value": 3, "unit": "working_days"},
        "version": 1,
        "url": "/r/banyuwangi/layanan/KTP-EL/",
    }
    assert client.get("/api/v1/regions/35.10/services", {"q": "anak"}).json()["count"] == 0
    detail = client.get("/api/v1/regions/35.10/services/KTP-EL").json()
    assert detail["standard"]["version"] == 1
    assert detail["standard"]["decree_number"] == "188/123/KEP/429.011/2026"
    assert detail["standard"]["requirements"][0] == {
        "text": "Fotokopi Kartu Keluarga",
        "required": True,
        "is_document_upload": True,
        "group": "",  # no one-of group
    }
    assert detail["standard"]["form"]["fields"][0]["type"] == "nik"
    assert detail["source"] is None
    assert [s["version"] for s in client.get("/api/v1/regions/35.10/services/KTP-EL/standards").json()] == [1]
    assert client.get("/api/v1/regions/35.10/services/KTP-EL/standards/1").json()["status"] == "published"
    assert client.get("/api/v1/regions/35.10/services/KIA").status_code == 404
    assert client.get("/api/v1/regions/35.10/services/KTP-EL/standards/2").status_code == 404
    assert client.get("/api/v1/regions/76.06/services/KTP-EL").json()["detail"] == "Not found."


def test_create_edit_and_publish_through_the_api(client, world):
    client.force_login(world.officer_a1)
    response = client.post(
        "/api/v1/regions/35.10/services",
        {
            "code": "AKTA-LAHIR",
            "agency": "DISDUKCAPIL",
            "name": "Akta Kelahiran",
            "category": "civil_registration",
            "channels": ["online"],
            "standard": json_standard(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["standard"] is None  # nothing published yet
    response = client.patch(
        "/api/v1/regions/35.10/services/AKTA-LAHIR/draft",
        {"fee": 0, "time_limit": {"value": 60, "unit": "minutes"}, "change_note": "Lebih cepat"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["time_limit"] == {"value": 60, "unit": "minutes"}
    assert response.json()["procedure"].startswith("1. Pemohon")  # fields not sent are kept
    # An officer cannot publish; the agency head can.
    assert (
        client.post("/api/v1/regions/35.10/services/AKTA-LAHIR/draft/publish", {}, content_type="application/json").status_code
        == 403
    )
    client.force_login(world.head_a1)
    response = client.post(
        "/api/v1/regions/35.10/services/AKTA-LAHIR/draft/publish",
        {"effective_from": "2026-12-01"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "published" and response.json()["effective_from"] == "2026-12-01"
    service = Service.objects.get(code="AKTA-LAHIR")
    assert service.published_standard.time_limit_unit == "minutes"
    response = client.patch(
        "/api/v1/regions/35.10/services/AKTA-LAHIR",
        {"name": "Penerbitan Akta Kelahiran", "active": True},
        content_type="application/json",
    )
    assert response.json()["name"] == "Penerbitan Akta Kelahiran"
    assert client.post("/api/v1/regions/35.10/services/AKTA-LAHIR/draft").json()["version"] == 2
    assert client.post("/api/v1/regions/35.10/services/AKTA-LAHIR/draft").json()["version"] == 2


@pytest.mark.parametrize(
    ("standard", "field", "code"),
    [
        ({"fee": -1}, "fee", "invalid"),
        ({"time_limit": {"value": 0, "unit": "working_days"}}, "time_limit_value", "invalid"),
        ({"time_limit": {"value": 1, "unit": "weeks"}}, "standard.time_limit.unit", "literal_error"),
        # pendopo.lib.apierrors drops "form" from pydantic locations (ninja's name for form data).
        (
            {"form": {"fields": [{"key": "x", "type": "colour", "label_id": "X", "label_en": "X"}]}},
            "standard.form.fields.0.type",
            "literal_error",
        ),
        (
            {"form": {"fields": [{"key": "x", "type": "text", "label_id": "X", "label_en": "X", "validation": {"regex": "(["}}]}},
            "form",
            "invalid",
        ),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_saved(client, world, standard, field, code):
    client.force_login(world.admin_a)
    response = client.post(
        "/api/v1/regions/35.10/services",
        {"code": "X-1", "agency": "DISDUKCAPIL", "name": "X", "standard": json_standard(**standard)},
        content_type="application/json",
    )
    assert response.status_code == 422, response.json()
    assert (field, code) in [(e["field"], e["code"]) for e in response.json()["errors"]], response.json()
    assert not Service.objects.exists()


def test_a_negative_fee_gets_one_clear_message(client, world):
    client.force_login(world.admin_a)
    response = client.post(
        "/api/v1/regions/35.10/services",
        {"code": "X-1", "agency": "DISDUKCAPIL", "name": "X", "standard": json_standard(fee=-1)},
        content_type="application/json",
    )
    messages = [e["message"] for e in response.json()["errors"] if e["field"] == "fee"]
    assert messages == ["The fee is a whole number of Rupiah, 0 or more (0 means free)."]


def test_an_unknown_agency_is_a_422(client, world):
    client.force_login(world.admin_a)
    response = client.post(
        "/api/v1/regions/35.10/services", {"code": "X", "agency": "NOPE", "name": "X"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "agency", "code": "unknown_agency", "message": "Unknown agency NOPE in Kabupaten Banyuwangi."}
    ]


def test_writes_need_a_login_and_the_right_region(client, world, ktp):
    assert client.post("/api/v1/regions/35.10/services/KTP-EL/draft").status_code in (401, 403)
    client.force_login(world.admin_b)
    assert client.post("/api/v1/regions/35.10/services/KTP-EL/draft").status_code == 404
    assert (
        client.patch("/api/v1/regions/35.10/services/KTP-EL", {"name": "Diubah"}, content_type="application/json").status_code
        == 404
    )
    response = client.post(
        "/api/v1/regions/35.10/services", {"code": "X", "agency": "DISDUKCAPIL", "name": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    client.force_login(world.officer_a2)
    assert client.post("/api/v1/regions/35.10/services/KTP-EL/draft").status_code == 404
    ktp.refresh_from_db()
    assert ktp.name == "Penerbitan KTP Elektronik"
    assert not ktp.standards.filter(status=StandardStatus.DRAFT).exists()


def test_the_openapi_document_describes_every_field():
    # The components of /api/v1/openapi.json are these schemas' JSON schemas; checked one by one so that
    # another app's router cannot hide a missing description here.
    from pendopo.catalog import api

    schemas = [
        api.ServiceSummary,
        api.ServiceDetail,
        api.StandardOut,
        api.Requirement,
        api.FormField,
        api.FieldValidation,
        api.Choice,
        api.ApplicationForm,
        api.TimeLimit,
        api.Provenance,
        api.ServiceIn,
        api.ServicePatch,
        api.StandardContent,
        api.PublishIn,
    ]
    for schema in schemas:
        document = schema.model_json_schema(ref_template="#/components/schemas/{model}")
        for field, spec in document["properties"].items():
            assert spec.get("description"), f"{schema.__name__}.{field} has no description"
    operations = set(api.router.path_operations)
    assert operations == {
        "/regions/{code}/services",
        "/regions/{code}/services/{service_code}",
        "/regions/{code}/services/{service_code}/standards",
        "/regions/{code}/services/{service_code}/standards/{version}",
        "/regions/{code}/services/{service_code}/draft",
        "/regions/{code}/services/{service_code}/draft/publish",
    }
    for path_view in api.router.path_operations.values():
        for operation in path_view.operations:
            assert operation.summary, operation.view_func.__name__


def test_the_served_openapi_document_has_the_catalogue(client):
    document = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/regions/{code}/services/{service_code}/draft/publish" in document["paths"]
    standard = document["components"]["schemas"]["StandardOut"]["properties"]
    assert all(spec.get("description") for spec in standard.values())
    assert standard["fee"]["description"] == "Delivery 4: fee in whole Rupiah; 0 means free."


def test_schema_errors_are_worded_in_the_users_language(client, world):
    """pydantic's own messages are English: the API words each error type in the request's language."""
    client.force_login(world.admin_a)
    sent = {"agency": "DISDUKCAPIL", "name": "X", "standard": json_standard(time_limit={"value": 1, "unit": "weeks"})}
    answers = {
        language: client.post(
            "/api/v1/regions/35.10/services", sent, content_type="application/json", headers={"accept-language": language}
        ).json()["errors"]
        for language in ("id", "en")
    }
    by_field = {language: {e["field"]: (e["code"], e["message"]) for e in errors} for language, errors in answers.items()}
    assert by_field["id"]["code"] == ("missing", "Bidang ini tidak boleh kosong.")  # the forms' words (Django's catalogue)
    assert by_field["en"]["code"] == ("missing", "This field is required.")
    assert by_field["id"]["standard.time_limit.unit"] == ("literal_error", "Kirim salah satu dari: 'working_days', 'minutes'.")
    assert by_field["en"]["standard.time_limit.unit"] == ("literal_error", "Send one of: 'working_days', 'minutes'.")
    assert not Service.objects.exists()
