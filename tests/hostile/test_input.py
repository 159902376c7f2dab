"""Control characters never stored nor echoed, NUL bytes and deep JSON refused with a clear 4xx, in every part of the site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pendopo.complaints.models import Complaint
from pendopo.lib.tests.hostile import nested_json
from pendopo.surveys.models import SurveyResponse

pytestmark = pytest.mark.django_db
SCORES = {f"U{n}": 4 for n in range(1, 10)}


def _complaint(world, setup, **overrides):  # type: ignore[no-untyped-def]
    return {
        "kategori": setup.road_a.code,
        "classification": "complaint",
        "description": "Jalan berlubang di depan pasar Genteng.",
        "privacy": "anonymous",
        "attr_KERUSAKAN": "berat",
        **overrides,
    }


def _file_url(world):  # type: ignore[no-untyped-def]
    return reverse("complaints:file", args=[world.region_a.slug])


def test_control_characters_in_a_form_are_removed_before_saving(client, world, setup):
    response = client.post(_file_url(world), _complaint(world, setup, description="Jalan\x0b berlubang\x01 parah.\r\nSekali."))
    assert response.status_code == 302, response.content
    assert Complaint.objects.get().description == "Jalan berlubang parah.\nSekali."


def test_an_error_message_never_echoes_a_control_character(client, world, setup):
    client.cookies["django_language"] = "en"
    response = client.post(_file_url(world), _complaint(world, setup, classification="x\x01\x0by", attr_KERUSAKAN="\x1bberat?"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "\x01" not in page and "\x0b" not in page and "\x1b" not in page
    assert Complaint.objects.count() == 0


def test_a_nul_byte_in_a_form_body_is_a_400_page_and_nothing_is_saved(client, world, setup):
    client.cookies["django_language"] = "en"
    response = client.post(_file_url(world), _complaint(world, setup, description="Jalan\x00 rusak"))
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("url", ["/?q=a%00b", "/r/banyuwangi%00/", "/admin/login/?next=%00"])
def test_a_nul_byte_in_a_query_or_a_path_is_a_400_page(client, world, url):
    assert client.get(url).status_code == 400


def test_the_api_answers_a_nul_byte_with_its_json_error_body(client, world, services):
    for response in (
        client.get("/api/v1/regions/35.10/skm/index?period=2026%00"),
        client.get("/api/v1/regions/35.10%00/skm/index"),
        client.post(
            "/api/v1/regions/35.10/skm/responses", {"service": "KTP-EL\u0000", "scores": SCORES}, content_type="application/json"
        ),
    ):
        assert response.status_code == 400, response.content
        body = response.json()
        assert body["errors"][0]["code"] == "nul_character" and body["detail"]
    assert SurveyResponse.objects.count() == 0


def test_the_api_stores_json_text_without_control_characters(client, world, services):
    body = {"service": "KTP-EL", "scores": SCORES, "suggestion": "Antrian\u000b lama\u0001."}
    response = client.post("/api/v1/regions/35.10/skm/responses", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert SurveyResponse.objects.get().suggestion == "Antrian lama."


def test_deeply_nested_json_is_a_400_with_the_json_error_body(client, world, services):
    client.force_login(world.citizen)
    for url in ("/api/v1/regions/35.10/skm/responses", "/api/v1/applications"):
        response = client.post(url, nested_json(2000), content_type="application/json")
        assert 400 <= response.status_code < 500, (url, response.content)
        assert response.json()["detail"]
    assert SurveyResponse.objects.count() == 0


def test_open311_answers_a_nul_byte_with_the_specifications_error_body(client, world):
    response = client.get("/open311/v2/requests.json", {"jurisdiction_id": "35.10\x00"})
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    response = client.get("/open311/v2/requests.xml", {"jurisdiction_id": "35.10\x00"})
    assert response.status_code == 400 and b"<code>400</code>" in response.content
