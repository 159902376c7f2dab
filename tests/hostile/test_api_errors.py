"""The API's errors: bounded paging, JSON for a fault too, every error declared in the OpenAPI document."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from pendopo.api import api
from pendopo.lib.apierrors import ERROR_STATUSES
from pendopo.lib.tests.hostile import HUGE_NUMBER, NOT_A_NUMBER, UNICODE_DIGITS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", [HUGE_NUMBER, "9223372036854775807", "1000001", "0", "-3", UNICODE_DIGITS, NOT_A_NUMBER])
def test_a_page_out_of_bounds_is_a_422_with_the_json_error_body(client, world, page):
    for url in ("/api/v1/regions", "/api/v1/regions/35.10/agencies"):
        response = client.get(url, {"page": page})
        assert response.status_code == 422, (url, page, response.content)
        assert response.json()["errors"][0]["field"] == "page"
    response = client.get("/api/v1/regions", {"page_size": "501"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "page_size"


def test_the_last_page_and_past_it_are_fine(client, world):
    assert client.get("/api/v1/regions", {"page": "1000000", "page_size": "500"}).json()["items"] == []


def test_a_fault_in_the_api_answers_with_the_json_error_body_not_html():
    request = RequestFactory().get("/api/v1/regions")
    response = api.on_exception(request, RuntimeError("a fault"))
    assert response.status_code == 500 and response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["detail"] and body["errors"] == []
    assert "a fault" not in response.content.decode()  # nothing of the fault is shown


def test_the_openapi_document_declares_every_error_with_its_body(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["components"]["schemas"]["Error"]["required"] == ["detail", "errors"]
    operations = [op for methods in document["paths"].values() for op in methods.values()]
    assert len(operations) > 20
    for operation in operations:
        for status in ERROR_STATUSES:
            assert status in operation["responses"], (operation["operationId"], status)
    paged = document["paths"]["/api/v1/regions"]["get"]["parameters"]
    page = next(p for p in paged if p["name"] == "page")
    assert page["schema"]["minimum"] == 1 and page["schema"]["maximum"] == 1_000_000


def test_a_multipart_body_without_its_boundary_is_a_400_in_the_callers_shape(client, world):
    api = client.generic("POST", "/api/v1/regions/35.10/skm/responses", b'{"a": 1}', content_type="multipart/form-data")
    assert api.status_code == 400 and api.json()["errors"][0]["code"] == "unreadable_body"
    page = client.generic("POST", "/masuk/", b"username=x", content_type="multipart/form-data")
    assert page.status_code == 400


def test_a_fault_outside_the_apis_handlers_keeps_the_json_shape_too():
    from pendopo.lib.middleware import HostileInputMiddleware

    middleware = HostileInputMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    response = middleware.process_exception(RequestFactory().post("/api/v1/regions/35.10/skm/responses"), RuntimeError("x"))
    assert response is not None and response.status_code == 500 and json.loads(response.content)["errors"] == []
    assert middleware.process_exception(RequestFactory().get("/masuk/"), RuntimeError("x")) is None  # pages: Django's 500
