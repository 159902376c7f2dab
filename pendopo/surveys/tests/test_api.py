"""/api/v1/: submit a response (throttled per device), read indices with filters."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from pendopo.surveys import links
from pendopo.surveys.models import SUGGESTION_MAX_LENGTH, ServedCount, SurveyResponse, application_key
from pendopo.surveys.tests.conftest import answer

SUBMIT = "/api/v1/regions/35.10/skm/responses"
SCORES = {f"U{n}": 4 for n in range(1, 10)}


def post(client, body, url=SUBMIT, **extra):
    return client.post(url, body, content_type="application/json", **extra)


def test_submit(client, world, services):
    response = post(client, {"service": "KTP-EL", "service_point": "MPP-01", "scores": SCORES, "sex": "male"})
    assert response.status_code == 201, response.content
    assert response.json()["received"] is True
    saved = SurveyResponse.objects.get()
    assert (saved.service, saved.service_point, saved.channel, saved.sex) == (services.ktp, world.counter_a, "api", "male")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"service": "KTP-EL", "scores": SCORES | {"U3": 5}}, "u3"),
        ({"service": "KTP-EL", "scores": {k: v for k, v in SCORES.items() if k != "U9"}}, "u9"),
        ({"service": "NOPE", "scores": SCORES}, "service"),
        ({"service": "KTP-EL", "service_point": "NOPE", "scores": SCORES}, "service_point"),
        ({"service": "KTP-EL", "scores": SCORES, "sex": "x"}, "sex"),
        ({"service": "KTP-EL", "scores": SCORES, "application_token": "forged"}, "application_token"),
        ({"service": "KTP-EL"}, "scores"),
        ({"service": "KTP-EL", "scores": SCORES, "suggestion": "x" * (SUGGESTION_MAX_LENGTH + 1)}, "suggestion"),
    ],
)
def test_bad_input_names_the_field(client, world, services, body, field):
    response = post(client, body)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not SurveyResponse.objects.exists()


def test_one_response_per_application(client, world, services):
    url = links.application_survey_url(world.region_a, "BWI-7K3M-9QX2", services.akta)
    token = url.rstrip("/").rsplit("/", 1)[1]
    body = {"service": "ignored", "scores": SCORES, "application_token": token}
    assert post(client, body).status_code == 201
    second = post(client, body)
    assert second.status_code == 422
    assert second.json()["errors"][0]["code"] == "already_answered"
    saved = SurveyResponse.objects.get()
    assert (saved.service, saved.application_key, saved.channel) == (services.akta, application_key("BWI-7K3M-9QX2"), "online")


def test_throttled_per_device(client, world, services, settings):
    settings.PENDOPO_SURVEY_RATES = {"api": "2/m"}
    body = {"service": "KTP-EL", "scores": SCORES}
    assert post(client, body, REMOTE_ADDR="10.0.0.1").status_code == 201
    assert post(client, body, REMOTE_ADDR="10.0.0.1").status_code == 201
    assert post(client, body, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert post(client, body, REMOTE_ADDR="10.0.0.2").status_code == 201
    assert SurveyResponse.objects.count() == 3


def test_a_forged_forwarded_for_header_does_not_reset_the_allowance(client, world, services, settings):
    settings.PENDOPO_SURVEY_RATES = {"api": "2/m"}
    body = {"service": "KTP-EL", "scores": SCORES}
    statuses = [post(client, body, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(4)]
    assert statuses == [201, 201, 429, 429]
    assert SurveyResponse.objects.count() == 2


def test_behind_a_declared_proxy_the_client_is_the_address_it_forwarded(client, world, services, settings, monkeypatch):
    from ninja.conf import settings as ninja_settings

    monkeypatch.setattr(ninja_settings, "NUM_PROXIES", 1)
    settings.PENDOPO_SURVEY_RATES = {"api": "1/m"}
    body = {"service": "KTP-EL", "scores": SCORES}
    # nginx appends the address it saw; whatever the client wrote before it is ignored.
    assert post(client, body, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7").status_code == 201
    assert post(client, body, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="2.2.2.2, 198.51.100.7").status_code == 429
    assert post(client, body, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 201


def test_ipv6_clients_are_counted_per_64_network(client, world, services, settings):
    settings.PENDOPO_SURVEY_RATES = {"api": "1/m"}
    body = {"service": "KTP-EL", "scores": SCORES}
    assert post(client, body, REMOTE_ADDR="2001:db8:1:2::1").status_code == 201
    assert post(client, body, REMOTE_ADDR="2001:db8:1:2:ffff::9").status_code == 429
    assert post(client, body, REMOTE_ADDR="2001:db8:1:3::1").status_code == 201


def test_unknown_region(client, world, services):
    assert post(client, {"service": "KTP-EL", "scores": SCORES}, url="/api/v1/regions/99.99/skm/responses").status_code == 404


@time_machine.travel(dt.datetime(2026, 5, 5, 3, 0, tzinfo=dt.UTC), tick=False)
def test_read_indices_with_filters(client, world, services, django_assert_max_num_queries):
    for scores in (4, 3):
        answer(services.ktp, scores)
    answer(services.vaksin, 1)
    answer(services.ktp_b, 2)
    ServedCount.objects.create(region=world.region_a, agency=world.agency_a1, year=2026, month=5, served=100)

    region = client.get("/api/v1/regions/35.10/skm/index?period=2026").json()
    assert (region["respondents"], region["converted"], region["grade"], region["level"]) == (3, "66.67", "C", "region")
    assert region["nrr"]["U1"] == "2.67"

    agency = client.get("/api/v1/regions/35.10/skm/index?period=2026-Q2&agency=DISDUKCAPIL").json()
    assert (agency["converted"], agency["grade"], agency["label"]) == ("87.50", "B", "Baik")
    assert (agency["people_served"], agency["minimum_sample"], agency["short_of_sample"]) == (100, 80, 78)

    with django_assert_max_num_queries(5):
        listing = client.get("/api/v1/regions/35.10/skm/indices?period=2026-05&level=agency").json()
    assert listing["count"] == 2
    assert [(item["code"], item["converted"]) for item in listing["items"]] == [("DISDUKCAPIL", "87.50"), ("DINKES", "25.00")]

    services_of_a1 = client.get(
        "/api/v1/regions/35.10/skm/indices?level=service&agency=DISDUKCAPIL&from=2026-05-01&to=2026-05-31"
    )
    assert [item["code"] for item in services_of_a1.json()["items"]] == ["KTP-EL"]

    empty = client.get("/api/v1/regions/35.10/skm/index?period=2025").json()
    assert (empty["respondents"], empty["converted"], empty["grade"]) == (0, None, None)


def test_bad_filters(client, world, services):
    assert client.get("/api/v1/regions/35.10/skm/index?period=2026-13").status_code == 422
    assert client.get("/api/v1/regions/35.10/skm/index?agency=NOPE").status_code == 404
    assert client.get("/api/v1/regions/35.10/skm/indices?level=planet").status_code == 422


def test_indices_never_expose_raw_answers(client, world, services):
    answer(services.ktp, 4, suggestion="rahasia")
    body = client.get("/api/v1/regions/35.10/skm/indices?level=service").content.decode()
    assert "rahasia" not in body
